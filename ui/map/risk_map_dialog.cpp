#include "ui/map/risk_map_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

#include "core/common/error.h"
#include "core/geo/raster_stack.h"
#include "core/geo/risk_classes.h"

namespace geih::ui {
namespace {

std::filesystem::path toPath(const QString& text) { return std::filesystem::path(text.toStdU16String()); }

QWidget* withButton(QWidget* field, QPushButton* button, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(field, 1);
  layout->addWidget(button);
  return row;
}

}  // namespace

RiskMapDialog::RiskMapDialog(const QStringList& models, const QString& model,
                             const QString& mapsFolder, QWidget* parent)
    : QDialog(parent),
      m_mapsFolder(mapsFolder),
      m_model(new QComboBox(this)),
      m_input(new QLineEdit(this)),
      m_bands(new QLabel(this)),
      m_output(new QLineEdit(this)),
      m_classes(new QComboBox(this)),
      m_compression(new QComboBox(this)),
      m_cog(new QCheckBox(tr("Cloud Optimized GeoTIFF"), this)) {
  setWindowTitle(tr("Make risk map"));
  m_model->setEditable(true);
  m_model->addItems(models);
  m_model->setCurrentText(model.isEmpty() && !models.isEmpty() ? models.front() : model);
  m_model->setToolTip(tr("A registered model (NAME@production, NAME@3, NAME@champion), a run id, "
                         "or a model JSON file"));
  m_input->setPlaceholderText(tr("a raster stack whose band names match the model's features"));
  m_bands->setWordWrap(true);
  m_output->setPlaceholderText(tr("risk.tif (the classes, preview, style and sidecar go beside it)"));
  m_classes->setEditable(true);
  m_classes->addItem(QStringLiteral("default"));
  m_classes->addItem(QStringLiteral("inpe"));
  m_classes->setToolTip(tr("default: low < 0.25 ≤ medium < 0.5 ≤ high < 0.75 ≤ critical; inpe: "
                           "INPE's five classes; or your own, e.g. low:0.3,medium:0.6,high"));
  m_compression->addItem(tr("Zstandard (fast; any GDAL reads it)"), QStringLiteral("zstd"));
  m_compression->addItem(tr("Deflate (smaller floats; for readers outside GDAL)"),
                         QStringLiteral("deflate"));
  m_compression->addItem(tr("None"), QStringLiteral("none"));

  auto* modelFile = new QPushButton(tr("File…"), this);
  auto* inputBrowse = new QPushButton(tr("Browse…"), this);
  auto* outputBrowse = new QPushButton(tr("Browse…"), this);
  auto* form = new QFormLayout;
  form->addRow(tr("Model"), withButton(m_model, modelFile, this));
  form->addRow(tr("Input raster"), withButton(m_input, inputBrowse, this));
  form->addRow(QString(), m_bands);
  form->addRow(tr("Output"), withButton(m_output, outputBrowse, this));
  form->addRow(tr("Classes"), m_classes);
  form->addRow(tr("Compression"), m_compression);
  form->addRow(QString(), m_cog);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Make map"));
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
  setMinimumWidth(620);

  connect(modelFile, &QPushButton::clicked, this, &RiskMapDialog::browseModel);
  connect(inputBrowse, &QPushButton::clicked, this, &RiskMapDialog::browseInput);
  connect(outputBrowse, &QPushButton::clicked, this, &RiskMapDialog::browseOutput);
  connect(m_input, &QLineEdit::editingFinished, this, [this] { setInput(m_input->text()); });
  connect(m_output, &QLineEdit::textEdited, this, [this] { m_outputEdited = true; });
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void RiskMapDialog::setInput(const QString& path) {
  m_input->setText(path);
  if (path.isEmpty()) return;
  // The band names tell whether the stack fits the model before anything is scored.
  try {
    const geo::RasterStack stack = geo::RasterStack::open(toPath(path));
    QStringList names;
    for (const std::string& name : stack.bandNames()) names << QString::fromStdString(name);
    m_bands->setText(tr("%1 x %2 pixels, %3 bands: %4")
                         .arg(stack.grid().width)
                         .arg(stack.grid().height)
                         .arg(names.size())
                         .arg(names.join(QStringLiteral(", "))));
    m_bands->setStyleSheet({});
  } catch (const std::exception& error) {
    m_bands->setText(QString::fromStdString(error.what()));
    m_bands->setStyleSheet(QStringLiteral("color: #b00020"));
  }
  adjustSize();
  if (!m_outputEdited) {
    const QString folder = m_mapsFolder.isEmpty() ? QFileInfo(path).absolutePath() : m_mapsFolder;
    m_output->setText(QDir(folder).filePath(QFileInfo(path).completeBaseName() +
                                            QStringLiteral("_risk.tif")));
  }
}

void RiskMapDialog::browseModel() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Model JSON"), QString(),
                                                    tr("Model JSON (*.json);;All files (*)"));
  if (!path.isEmpty()) m_model->setCurrentText(path);
}

void RiskMapDialog::browseInput() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Input raster"), QString(), tr("Rasters (*.tif *.tiff *.vrt *.nc *.img);;All files (*)"));
  if (!path.isEmpty()) setInput(path);
}

void RiskMapDialog::browseOutput() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Risk map"), m_output->text(),
                                                    tr("GeoTIFF (*.tif)"));
  if (path.isEmpty()) return;
  m_output->setText(path);
  m_outputEdited = true;
}

pipeline::RiskMapRequest RiskMapDialog::request() const {
  pipeline::RiskMapRequest request;
  request.model = m_model->currentText().trimmed().toStdString();
  if (request.model.empty()) throw InputError("choose a model (a registry reference, a run id or a model JSON file)");
  const QString input = m_input->text().trimmed();
  if (input.isEmpty()) throw InputError("choose the input raster");
  request.input = toPath(input);
  const QString output = m_output->text().trimmed();
  if (output.isEmpty()) throw InputError("choose where to write the risk map (.tif)");
  request.output = toPath(output);
  if (request.output.extension() != ".tif" && request.output.extension() != ".tiff") {
    throw InputError("'" + request.output.string() + "': the risk map is a GeoTIFF; use a .tif name");
  }
  request.classes = geo::parseRiskClasses(m_classes->currentText().trimmed().toStdString());
  request.compression = geo::compressionFromName(m_compression->currentData().toString().toStdString());
  request.cloudOptimized = m_cog->isChecked();
  return request;
}

}  // namespace geih::ui
