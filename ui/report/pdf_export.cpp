#include "ui/report/pdf_export.h"

#include <QBuffer>
#include <QGuiApplication>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTextDocument>
#include <QUrl>

#include <unistd.h>

#include <memory>

#include "core/common/atomic_file.h"

namespace geih::ui {

namespace {
constexpr int kMaxImageWidth = 520;  // px of the document's layout

QImage rasterise(const QByteArray& svg, QSize* layoutSize) {
  QSvgRenderer renderer(svg);
  QSize size = renderer.defaultSize();
  if (!renderer.isValid() || size.isEmpty()) size = QSize(320, 200);
  *layoutSize = size;
  QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  renderer.render(&painter);
  return image;
}
}  // namespace

void writeHtmlAsPdf(const std::string& html, const std::filesystem::path& pdf, const std::string& title) {
  QTextDocument document;
  QString text = QString::fromStdString(html);
  int counter = 0;

  static const QRegularExpression svgBlock(QStringLiteral("<svg[\\s\\S]*?</svg>"));
  QString withCharts;
  qsizetype last = 0;
  for (auto it = svgBlock.globalMatch(text); it.hasNext();) {
    const auto match = it.next();
    QSize layoutSize;
    const QImage image = rasterise(match.captured(0).toUtf8(), &layoutSize);
    const QString name = QStringLiteral("geih-chart-%1.png").arg(++counter);
    document.addResource(QTextDocument::ImageResource, QUrl(name), image);
    withCharts += text.mid(last, match.capturedStart() - last);
    withCharts += QStringLiteral("<p><img src=\"%1\" width=\"%2\" height=\"%3\"></p>")
                      .arg(name)
                      .arg(layoutSize.width())
                      .arg(layoutSize.height());
    last = match.capturedEnd();
  }
  withCharts += text.mid(last);

  static const QRegularExpression dataImage(QStringLiteral("<img([^>]*?)src=\"data:image/png;base64,([^\"]+)\"([^>]*)>"));
  QString withImages;
  last = 0;
  for (auto it = dataImage.globalMatch(withCharts); it.hasNext();) {
    const auto match = it.next();
    const QImage image = QImage::fromData(QByteArray::fromBase64(match.captured(2).toLatin1()), "PNG");
    const QString name = QStringLiteral("geih-image-%1.png").arg(++counter);
    document.addResource(QTextDocument::ImageResource, QUrl(name), image);
    const int width = std::min(kMaxImageWidth, std::max(1, image.width()));
    const int height = image.width() > 0 ? image.height() * width / image.width() : 1;
    withImages += withCharts.mid(last, match.capturedStart() - last);
    withImages += QStringLiteral("<p><img src=\"%1\" width=\"%2\" height=\"%3\"></p>").arg(name).arg(width).arg(height);
    last = match.capturedEnd();
  }
  withImages += withCharts.mid(last);
  document.setHtml(withImages);
  document.setMetaInformation(QTextDocument::DocumentTitle, QString::fromStdString(title));

  QByteArray bytes;
  {
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setTitle(QString::fromStdString(title));
    writer.setCreator(QStringLiteral("GEIH Workbench"));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    document.print(&writer);
  }
  writeFileAtomic(pdf, std::string_view(bytes.constData(), std::size_t(bytes.size())));
}

struct PdfApplicationScope::State {
  int argc = 1;
  char name[5] = "geih";
  char* argv[2] = {name, nullptr};
  std::unique_ptr<QGuiApplication> application;
};

PdfApplicationScope::PdfApplicationScope() {
  if (QCoreApplication::instance()) return;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
    // Qt wants a private runtime folder and warns on stderr without one; a CLI has none.
    const std::filesystem::path runtime =
        std::filesystem::temp_directory_path() / ("geih-runtime-" + std::to_string(::getuid()));
    std::error_code ec;
    std::filesystem::create_directories(runtime, ec);
    std::filesystem::permissions(runtime, std::filesystem::perms::owner_all, ec);
    if (!ec) qputenv("XDG_RUNTIME_DIR", QByteArray::fromStdString(runtime.string()));
  }
  m_state = new State;
  m_state->application = std::make_unique<QGuiApplication>(m_state->argc, m_state->argv);
}

PdfApplicationScope::~PdfApplicationScope() { delete m_state; }

}  // namespace geih::ui
