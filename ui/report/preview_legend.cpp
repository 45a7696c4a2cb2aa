#include "ui/report/preview_legend.h"

#include <QBuffer>
#include <QFont>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>

#include <nlohmann/json.hpp>

#include "core/common/atomic_file.h"
#include "core/common/error.h"

namespace geih::ui {

namespace fs = std::filesystem;

void addLegendToPreview(const fs::path& sidecar) {
  nlohmann::json info;
  try {
    info = nlohmann::json::parse(readFile(sidecar));
  } catch (const std::exception& error) {
    throw InputError("cannot read the risk-map sidecar '" + sidecar.string() + "': " + error.what());
  }
  if (!info.contains("outputs") || !info.contains("classes")) {
    throw InputError("'" + sidecar.string() + "' is not a risk-map sidecar (no outputs or classes)");
  }
  const fs::path previewPath = sidecar.parent_path() / info["outputs"].value("preview", std::string());
  QImage map;
  if (!map.load(QString::fromStdU16String(previewPath.u16string()))) {
    throw InputError("cannot read the preview '" + previewPath.string() + "'");
  }

  QFont font;
  font.setPixelSize(13);
  QFont bold = font;
  bold.setBold(true);
  const QFontMetrics metrics(font);
  const int line = metrics.height() + 6;
  const int margin = 10;
  const auto& classes = info["classes"];
  QStringList rows;
  double lower = 0;
  int textWidth = 0;
  for (const auto& c : classes) {
    const double upper = c.value("upper", 1.0);
    const QString row = QStringLiteral("%1   %2–%3   %4 km²   %5 %")
                            .arg(QString::fromStdString(c.value("name", std::string("?"))))
                            .arg(lower, 0, 'g', 3)
                            .arg(upper, 0, 'g', 3)
                            .arg(c.value("area_km2", 0.0), 0, 'g', 5)
                            .arg(100.0 * c.value("share", 0.0), 0, 'f', 1);
    rows << row;
    textWidth = std::max(textWidth, metrics.horizontalAdvance(row));
    lower = upper;
  }
  const QString title = QString::fromStdString(info.value("model", std::string("risk map")));
  textWidth = std::max(textWidth + 26, QFontMetrics(bold).horizontalAdvance(title));
  const int width = std::max(map.width(), textWidth + 2 * margin);
  const int legendHeight = margin + line * (int(rows.size()) + 1) + margin;
  QImage out(width, map.height() + legendHeight, QImage::Format_RGB32);
  out.fill(Qt::white);
  {
    QPainter painter(&out);
    painter.drawImage((width - map.width()) / 2, 0, map);
    int y = map.height() + margin;
    painter.setFont(bold);
    painter.setPen(Qt::black);
    painter.drawText(margin, y + metrics.ascent(), title);
    painter.setFont(font);
    int k = 0;
    for (const auto& c : classes) {
      y += line;
      const auto rgb = c.value("rgb", std::vector<int>{128, 128, 128});
      painter.fillRect(margin, y, 16, metrics.height(), QColor(rgb.at(0), rgb.at(1), rgb.at(2)));
      painter.drawRect(margin, y, 16, metrics.height());
      painter.drawText(margin + 24, y + metrics.ascent(), rows[k++]);
    }
  }
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  // Qt maps quality 80 to zlib level 1 (see preview PNGs in geotiff_output.cpp).
  out.save(&buffer, "PNG", 80);
  writeFileAtomic(previewPath, std::string_view(bytes.constData(), std::size_t(bytes.size())));
}

}  // namespace geih::ui
