// The "Make risk map" dialog: a model (a registry reference offered from the workspace, a run id
// typed in, or a model JSON file), the input raster stack, the probability GeoTIFF to write (by
// default <workspace>/maps/<input>_risk.tif), the classes (default, INPE's five, or bounds such as
// "low:0.3,medium:0.6,high"), the compression and Cloud Optimized output. request() builds the
// pipeline::RiskMapRequest the main window runs as a background job; the maps then open on the
// Map page.
#pragma once

#include <QDialog>

#include "core/pipeline/risk_map_job.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace geih::ui {

class RiskMapDialog : public QDialog {
  Q_OBJECT

 public:
  // `models`: registry references to offer ("fire@production", "fire@3", ...); `model`: the one
  // to preselect (may be absent from the list); `mapsFolder`: where outputs go by default.
  RiskMapDialog(const QStringList& models, const QString& model, const QString& mapsFolder,
                QWidget* parent = nullptr);

  // Throws InputError naming the missing or bad field (no model, no input, classes that do not
  // parse, an output that is not a .tif).
  pipeline::RiskMapRequest request() const;

  void setInput(const QString& path);
  QComboBox* modelChooser() const { return m_model; }
  QLineEdit* inputEdit() const { return m_input; }
  QLineEdit* outputEdit() const { return m_output; }
  QComboBox* classesChooser() const { return m_classes; }
  QComboBox* compressionChooser() const { return m_compression; }

 private:
  void browseModel();
  void browseInput();
  void browseOutput();

  QString m_mapsFolder;
  QComboBox* m_model;
  QLineEdit* m_input;
  QLabel* m_bands;
  QLineEdit* m_output;
  QComboBox* m_classes;
  QComboBox* m_compression;
  QCheckBox* m_cog;
  bool m_outputEdited = false;
};

}  // namespace geih::ui
