// The drift view: choose reference and current data (registered datasets or CSV files) and,
// optionally, a registered model whose predictions are tested too; the check runs as a
// TaskRunner job with progress; a banner gives the verdict, a sortable table lists every feature
// with drifted rows marked, the chart overlays the reference and current histograms of the
// selected feature, and Export writes the self-contained HTML report or its PDF.
// Given two rasters of one place (.tif, .vrt, ...) instead, it makes a drift map (PSI per tile,
// geo/raster_drift.h) under the workspace's maps/ folder, lists each feature with the share of
// its tiles that drifted, and announces the map so the window shows it on the Map page.
#pragma once

#include <optional>

#include <QMetaType>
#include <QPointer>
#include <QWidget>

#include "core/drift/drift_report.h"
#include "core/geo/raster_drift.h"

class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace geih::ui {

class TaskRunner;
struct TaskResult;

struct DriftResult {
  drift::DriftReport report;
  QString reference;
  QString current;
  QString model;
};

struct RasterDriftResult {
  geo::RasterDriftSummary summary;
  QString reference;
  QString current;
};

// True for the file names the panel treats as rasters (GeoTIFF, VRT, Erdas, NetCDF).
bool isRasterPath(const QString& path);

class DriftPanel : public QWidget {
  Q_OBJECT

 public:
  explicit DriftPanel(TaskRunner* runner, QWidget* parent = nullptr);

  // Lists the workspace's datasets and registered models in the choosers.
  void setWorkspace(const QString& root);
  // Runs the check on what the choosers hold (or on these, as "dataset:NAME" / a CSV path).
  void runCheck();
  void runCheck(const QString& reference, const QString& current, const QString& model = {});
  // Writes the report of the last check as HTML, or as PDF when `path` ends in .pdf; false (with
  // a message) when there is none or the file cannot be written.
  bool exportReport(const QString& path);

  QComboBox* referenceChooser() const { return m_reference; }
  QComboBox* currentChooser() const { return m_current; }
  QTableWidget* table() const { return m_table; }
  QLabel* banner() const { return m_banner; }
  const std::optional<DriftResult>& result() const { return m_result; }
  // The feature whose histograms the chart shows.
  QString chartFeature() const { return m_chartFeature; }

 signals:
  void checked(bool ok, const QString& message);
  // A raster check wrote this drift map.
  void driftMapWritten(const QString& path);

 private:
  void show(const DriftResult& result);
  void runRasterCheck(const QString& reference, const QString& current);
  void showRaster(const RasterDriftResult& result);
  // The common end of a check's job: re-enables Check, shows a cancellation or the failure
  // (`failure` with %1 for the message, announced by checked(false)); true when it succeeded.
  bool taskSucceeded(const TaskResult& result, const QString& failure);
  void showHistogram(int row);

  QPointer<TaskRunner> m_runner;
  QString m_root;
  QComboBox* m_reference;
  QComboBox* m_current;
  QComboBox* m_model;
  QPushButton* m_run;
  QPushButton* m_export;
  QLabel* m_banner;
  QTableWidget* m_table;
  QChartView* m_chart;
  std::optional<DriftResult> m_result;
  QString m_chartFeature;
  int m_task = 0;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::DriftResult)
Q_DECLARE_METATYPE(geih::ui::RasterDriftResult)
