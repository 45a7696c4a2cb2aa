// The workbench window. It only assembles panels and connects them: experiments on the left, the
// runs table in the centre, run detail and ROC / PR charts in tabs below, the task progress in
// the status bar. Reading the workspace is the WorkspaceSession's job; drawing is each panel's.
#pragma once

#include <QMainWindow>

#include "core/pipeline/risk_map_job.h"
#include "core/pipeline/training_job.h"
#include <QStringList>

class QLabel;
class QSplitter;
class QTabWidget;

namespace geih::ui {

class CurveChartWidget;
class ExperimentsPanel;
class ProgressPanel;
class RunDetailWidget;
class RunsPanel;
class TaskRunner;
class RegistryPanel;
class DriftPanel;
class MapPanel;
class RunInsightsWidget;
class RunCompareWidget;
class RunActions;
class WorkspaceSession;
struct CurvesSelection;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Reads the workspace in the background; the panels fill when it is loaded.
  void openWorkspace(const QString& path);
  // Window geometry and splitter positions from the last session.
  void restoreSettings();

  TaskRunner* taskRunner() const { return m_tasks; }
  WorkspaceSession* session() const { return m_session; }
  ExperimentsPanel* experimentsPanel() const { return m_experiments; }
  RunsPanel* runsPanel() const { return m_runs; }
  RegistryPanel* registryPanel() const { return m_registry; }
  DriftPanel* driftPanel() const { return m_drift; }
  MapPanel* mapPanel() const { return m_map; }
  // The Experiments and Map pages of the window.
  QTabWidget* pages() const { return m_pages; }
  // Adds rasters to the map and shows the Map page.
  void showOnMap(const QStringList& paths);
  RunInsightsWidget* insights() const { return m_insights; }
  RunCompareWidget* compare() const { return m_compare; }
  RunActions* runActions() const { return m_runActions; }
  QAction* trainAction() const { return m_trainAction; }
  // Opens the Train dialog; on Train runs the training as a background job, then reloads the
  // workspace with the new run selected.
  void trainModel();
  // The dataset references of the open workspace with their columns (for the Train dialog).
  QList<QPair<QString, QStringList>> datasetColumns() const;
  // Runs a prepared request as a background job (what trainModel() does after the dialog).
  int startTraining(const pipeline::TrainRequest& request);
  // Opens the Make risk map dialog (with `model` preselected); on Make map scores the raster as a
  // background job, then shows the classes and probability maps on the Map page.
  void makeRiskMap(const QString& model = {});
  // The registry references the dialog offers: NAME@production / @staging where set, each version.
  QStringList modelReferences() const;
  // Runs a prepared request as a background job (what makeRiskMap() does after the dialog).
  int startRiskMap(const pipeline::RiskMapRequest& request);
  QAction* riskMapAction() const { return m_riskMapAction; }
  RunDetailWidget* runDetail() const { return m_detail; }
  CurveChartWidget* curveChart() const { return m_curves; }
  QTabWidget* tabs() const { return m_tabs; }

 signals:
  // The panels show the opened workspace (the selection's curves may still be loading).
  void workspaceOpened(const QString& path);
  void workspaceOpenFailed(const QString& path, const QString& message);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createActions();
  void chooseWorkspace();
  void reload();
  void showAbout();
  void onOpened(const QString& path);
  void onOpenFailed(const QString& path, const QString& message);
  void onExperimentChanged(qint64 experimentId);
  void onRunsLoaded();
  void onSelectedRunsChanged(const QStringList& runIds);
  void onCurrentRunChanged(const QString& runId);
  void onCurvesLoaded(const CurvesSelection& curves);
  void showWarning(const QString& title, const QString& text);
  void updateStatus();

  TaskRunner* m_tasks;
  WorkspaceSession* m_session;
  ExperimentsPanel* m_experiments;
  RunsPanel* m_runs;
  RunDetailWidget* m_detail;
  CurveChartWidget* m_curves;
  RegistryPanel* m_registry;
  DriftPanel* m_drift;
  MapPanel* m_map;
  QTabWidget* m_pages;
  RunInsightsWidget* m_insights;
  RunCompareWidget* m_compare;
  RunActions* m_runActions;
  QTabWidget* m_tabs;
  QSplitter* m_mainSplitter;
  QSplitter* m_centreSplitter;
  ProgressPanel* m_progress;
  QLabel* m_pathLabel;
  QLabel* m_countLabel;
  QAction* m_reloadAction = nullptr;
  QAction* m_trainAction = nullptr;
  QAction* m_riskMapAction = nullptr;
  QString m_selectExperimentName;  // after a training job: the experiment of the new run
  // What to show again after a reload.
  qint64 m_restoreExperiment = -1;
  QStringList m_restoreRuns;
  bool m_autoSelectPending = false;
};

}  // namespace geih::ui
