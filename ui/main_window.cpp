#include "ui/main_window.h"

#include <optional>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

#include <nlohmann/json.hpp>

#include "core/store/workspace.h"

#include "ui/common/progress_panel.h"
#include "ui/common/task_runner.h"
#include "ui/eval/curve_chart_widget.h"
#include "ui/eval/run_insights_widget.h"
#include "ui/store/run_compare_widget.h"
#include "ui/store/experiments_model.h"
#include "ui/store/experiments_panel.h"
#include "ui/store/registry_panel.h"
#include "ui/store/run_actions.h"
#include "ui/drift/drift_panel.h"
#include "ui/map/map_panel.h"
#include "ui/map/risk_map_dialog.h"
#include "ui/report/preview_legend.h"
#include "core/store/registry.h"
#include "ui/store/run_detail_widget.h"
#include "ui/store/runs_panel.h"
#include "ui/store/runs_proxy_model.h"
#include "ui/store/workspace_session.h"
#include "ui/train/train_dialog.h"

// geih_ui is a static library: its resources (icons) are registered explicitly.
static void initGeihResources() { Q_INIT_RESOURCE(geih); }

namespace geih::ui {

namespace {
constexpr int kAutoSelectedRuns = 3;
const QString kApplicationName = QStringLiteral("GEIH Workbench");
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_tasks(new TaskRunner(this)),
      m_session(new WorkspaceSession(m_tasks, this)),
      m_experiments(new ExperimentsPanel(this)),
      m_runs(new RunsPanel(this)),
      m_detail(new RunDetailWidget(this)),
      m_curves(new CurveChartWidget(this)),
      m_registry(new RegistryPanel(m_tasks, this)),
      m_drift(new DriftPanel(m_tasks, this)),
      m_map(new MapPanel(m_tasks, this)),
      m_pages(new QTabWidget(this)),
      m_insights(new RunInsightsWidget(m_tasks, this)),
      m_compare(new RunCompareWidget(m_tasks, this)),
      m_runActions(new RunActions(m_tasks, this)),
      m_tabs(new QTabWidget(this)),
      m_mainSplitter(new QSplitter(Qt::Horizontal, this)),
      m_centreSplitter(new QSplitter(Qt::Vertical, this)),
      m_progress(new ProgressPanel(m_tasks, this)),
      m_pathLabel(new QLabel(this)),
      m_countLabel(new QLabel(this)) {
  initGeihResources();
  setWindowTitle(kApplicationName);
  setWindowIcon(QIcon(QStringLiteral(":/geih/icons/geih.svg")));

  m_tabs->setDocumentMode(true);
  m_tabs->addTab(m_curves, tr("ROC / PR curves"));
  m_tabs->addTab(m_compare, tr("Compare"));
  m_tabs->addTab(m_detail, tr("Run detail"));
  m_tabs->addTab(m_insights, tr("Insights"));
  m_tabs->addTab(m_registry, tr("Registry"));
  m_tabs->addTab(m_drift, tr("Drift"));

  m_centreSplitter->addWidget(m_runs);
  m_centreSplitter->addWidget(m_tabs);
  m_centreSplitter->setChildrenCollapsible(false);
  m_centreSplitter->setStretchFactor(0, 2);
  m_centreSplitter->setStretchFactor(1, 3);
  m_centreSplitter->setSizes({300, 530});

  m_mainSplitter->addWidget(m_experiments);
  m_mainSplitter->addWidget(m_centreSplitter);
  m_mainSplitter->setChildrenCollapsible(false);
  m_mainSplitter->setStretchFactor(0, 0);
  m_mainSplitter->setStretchFactor(1, 1);
  m_mainSplitter->setSizes({240, 1160});
  m_mainSplitter->setContentsMargins(6, 6, 6, 0);
  m_pages->setDocumentMode(true);
  m_pages->addTab(m_mainSplitter, tr("Experiments"));
  m_pages->addTab(m_map, tr("Map"));
  setCentralWidget(m_pages);

  m_pathLabel->setText(tr("No workspace open"));
  m_pathLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
  statusBar()->addWidget(m_pathLabel, 1);
  statusBar()->addPermanentWidget(m_progress);
  statusBar()->addPermanentWidget(m_countLabel);

  createActions();

  connect(m_session, &WorkspaceSession::opened, this, &MainWindow::onOpened);
  connect(m_session, &WorkspaceSession::openFailed, this, &MainWindow::onOpenFailed);
  connect(m_session, &WorkspaceSession::runDetailLoaded, m_detail, &RunDetailWidget::setRunDetail);
  connect(m_session, &WorkspaceSession::curvesLoaded, this, &MainWindow::onCurvesLoaded);
  connect(m_session, &WorkspaceSession::loadFailed, this,
          [this](const QString& what, const QString& message) {
            showWarning(tr("Could not load %1").arg(what),
                        tr("Could not load %1:\n\n%2\n\nUse File > Reload to read the workspace "
                           "again.")
                            .arg(what, message));
          });
  connect(m_session, &WorkspaceSession::opening, this, [this](const QString& path) {
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
  });
  connect(m_tasks, &TaskRunner::taskFinished, this,
          [this](int, const QString& title, TaskResult::Status status) {
            if (status == TaskResult::Status::Cancelled) {
              statusBar()->showMessage(tr("%1: cancelled").arg(title), 4000);
            }
          });

  connect(m_experiments, &ExperimentsPanel::currentExperimentChanged, this,
          &MainWindow::onExperimentChanged);
  // The CLI (or another window) changed the workspace: show it, keeping the selection.
  connect(m_session, &WorkspaceSession::changedOutside, this, [this] {
    statusBar()->showMessage(tr("The workspace changed; reloaded."), 4000);
    reload();
  });
  m_session->watchForChanges(2000);

  m_runs->view()->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(m_runs->view(), &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    m_runActions->showMenu(m_runs->view()->viewport()->mapToGlobal(at), m_runs->selectedRunIds(),
                           m_session->path());
  });
  connect(m_runActions, &RunActions::showCurvesRequested, this,
          [this] { m_tabs->setCurrentWidget(m_curves); });
  connect(m_runActions, &RunActions::compareRequested, this,
          [this] { m_tabs->setCurrentWidget(m_compare); });
  // The drift view keeps its table in sight; the map waits on the Map page.
  connect(m_drift, &DriftPanel::driftMapWritten, this, [this](const QString& path) {
    m_map->addRaster(path);
    statusBar()->showMessage(tr("Drift map added to the Map page: %1").arg(path), 8000);
  });
  connect(m_map, &MapPanel::riskMapRequested, this, [this] { makeRiskMap(); });
  connect(m_registry, &RegistryPanel::riskMapRequested, this,
          [this](const QString& reference) { makeRiskMap(reference); });
  connect(m_runActions, &RunActions::changed, this, [this](const QString& what) {
    statusBar()->showMessage(what, 5000);
    reload();
  });
  connect(m_runActions, &RunActions::failed, this, &MainWindow::showWarning);
  connect(m_runs, &RunsPanel::selectedRunsChanged, this, &MainWindow::onSelectedRunsChanged);
  connect(m_runs, &RunsPanel::runsLoaded, this, &MainWindow::onRunsLoaded);
  connect(m_runs, &RunsPanel::currentRunChanged, this, &MainWindow::onCurrentRunChanged);

  resize(1400, 900);
  updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::showOnMap(const QStringList& paths) {
  for (const QString& path : paths) m_map->addRaster(path);
  m_pages->setCurrentWidget(m_map);
}

void MainWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open workspace…"), this, &MainWindow::chooseWorkspace);
  open->setShortcut(QKeySequence::Open);
  open->setStatusTip(tr("Open a workspace folder"));
  m_reloadAction = file->addAction(tr("&Reload"), this, &MainWindow::reload);
  m_reloadAction->setShortcut(QKeySequence::Refresh);
  m_reloadAction->setStatusTip(tr("Read the workspace again, e.g. after a training run"));
  m_reloadAction->setEnabled(false);
  QAction* addRaster = file->addAction(tr("Add raster to &map…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Add raster"), QString(), tr("Rasters (*.tif *.tiff *.vrt *.nc *.img);;All files (*)"));
    if (!path.isEmpty()) showOnMap({path});
  });
  addRaster->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  addRaster->setStatusTip(tr("Show a raster stack, an index or a risk map on the map"));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  m_trainAction = run->addAction(tr("&Train model…"), this, &MainWindow::trainModel);
  m_trainAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
  m_trainAction->setStatusTip(tr("Train a model on a dataset and track it as a run"));
  m_trainAction->setEnabled(false);
  m_riskMapAction = run->addAction(tr("Make &risk map…"), this, [this] { makeRiskMap(); });
  m_riskMapAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  m_riskMapAction->setStatusTip(
      tr("Score a raster stack with a model: probability and classified GeoTIFFs on the map"));

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  QAction* about = help->addAction(tr("&About GEIH Workbench"), this, &MainWindow::showAbout);
  about->setMenuRole(QAction::AboutRole);
}

void MainWindow::openWorkspace(const QString& path) {
  m_restoreExperiment = -1;
  m_restoreRuns.clear();
  m_session->open(QDir::cleanPath(QDir(path).absolutePath()));
}

void MainWindow::chooseWorkspace() {
  const QString start = m_session->isOpen() ? m_session->path() : QDir::currentPath();
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open workspace"), start);
  if (!folder.isEmpty()) openWorkspace(folder);
}

void MainWindow::reload() {
  if (!m_session->isOpen()) return;
  m_restoreExperiment = m_experiments->currentExperimentId();
  m_restoreRuns = m_runs->selectedRunIds();
  m_session->reload();
}

void MainWindow::showAbout() {
  QMessageBox::about(
      this, tr("About GEIH Workbench"),
      tr("<h3>GEIH Workbench %1</h3>"
         "<p>Train, evaluate, track and compare environmental risk models, offline, on one "
         "machine.</p>"
         "<p>Every result knows where it came from: dataset hash, run and model version.</p>"
         "<p>Built with Qt %2.</p>")
          .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::onOpened(const QString& path) {
  statusBar()->clearMessage();
  setWindowTitle(tr("%1 — %2").arg(kApplicationName, QDir::toNativeSeparators(path)));
  m_pathLabel->setText(QDir::toNativeSeparators(path));
  m_pathLabel->setToolTip(tr("Workspace folder"));
  m_reloadAction->setEnabled(true);
  m_trainAction->setEnabled(true);

  qint64 restore = m_restoreExperiment;
  if (!m_selectExperimentName.isEmpty()) {
    for (const store::Experiment& experiment : m_session->snapshot().experiments) {
      if (QString::fromStdString(experiment.name) == m_selectExperimentName) restore = experiment.id;
    }
    m_selectExperimentName.clear();
  }
  m_experiments->setExperiments(m_session->snapshot().experiments);
  m_registry->setWorkspace(path);
  m_drift->setWorkspace(path);
  m_insights->setWorkspace(path);
  m_compare->setWorkspace(path);
  if (!(restore >= 0 && m_experiments->selectExperiment(restore))) {
    const auto& experiments = m_session->snapshot().experiments;
    if (experiments.empty()) {
      onExperimentChanged(-1);
    } else {
      m_experiments->selectExperiment(experiments.front().id);
    }
  }
  m_restoreExperiment = -1;
  updateStatus();
  emit workspaceOpened(path);
}

void MainWindow::onOpenFailed(const QString& path, const QString& message) {
  statusBar()->clearMessage();
  showWarning(
      tr("Could not open workspace"),
      tr("Could not open the workspace at %1.\n\n%2\n\nUse File > Open workspace… to choose "
         "another folder.")
          .arg(QDir::toNativeSeparators(path), message));
  emit workspaceOpenFailed(path, message);
}

void MainWindow::onExperimentChanged(qint64 experimentId) {
  QString name;
  for (const store::Experiment& experiment : m_session->snapshot().experiments) {
    if (experiment.id == experimentId) name = QString::fromStdString(experiment.name);
  }
  m_runs->setRuns({}, name);
  m_autoSelectPending = true;
  if (experimentId >= 0) {
    // The first page arrives in the background; onRunsLoaded() then picks the runs to show.
    m_runs->setQueryContext(m_tasks, m_session->path(), std::optional<std::int64_t>(experimentId));
  } else {
    onRunsLoaded();
  }
  updateStatus();
}

void MainWindow::onRunsLoaded() {
  // Only the first load after a change of experiment (or a reload) picks the selection; later
  // loads (a filter, a sort) keep what the user selected where those runs are still shown.
  if (!m_autoSelectPending) return;
  m_autoSelectPending = false;
  QStringList select = m_restoreRuns;
  m_restoreRuns.clear();
  if (select.isEmpty()) select = m_runs->bestLoadedRuns("roc_auc", kAutoSelectedRuns);
  if (select.isEmpty() && m_runs->proxy()->rowCount() > 0) {
    select << m_runs->proxy()->index(0, 0).data(RunsTableModel::RunIdRole).toString();
  }
  m_runs->selectRuns(select);
}

void MainWindow::onSelectedRunsChanged(const QStringList& runIds) {
  m_session->loadCurves(runIds);
  m_compare->showRuns(runIds);
}

void MainWindow::onCurrentRunChanged(const QString& runId) {
  if (runId.isEmpty()) m_detail->clear();
  m_session->loadRunDetail(runId);
  m_insights->showRun(runId);
}

QList<QPair<QString, QStringList>> MainWindow::datasetColumns() const {
  QList<QPair<QString, QStringList>> datasets;
  if (!m_session->isOpen()) return datasets;
  try {
    const store::Workspace workspace =
        store::Workspace::open(m_session->path().toStdString(), store::OpenMode::MustExist);
    for (const store::DatasetRecord& dataset : workspace.listDatasets()) {
      QStringList columns;
      try {
        for (const auto& column : nlohmann::json::parse(dataset.schemaJson)) {
          columns << QString::fromStdString(column.value("name", std::string()));
        }
      } catch (const nlohmann::json::exception&) {
        // A schema another version wrote differently: the dataset is listed without columns.
      }
      datasets.append({QStringLiteral("dataset:%1@%2")
                           .arg(QString::fromStdString(dataset.name))
                           .arg(dataset.version),
                       columns});
    }
  } catch (const std::exception&) {
    // The dialog still offers CSV files.
  }
  return datasets;
}

namespace {

// Shows `dialog` until its request starts or it is cancelled; a request refused as bad input
// keeps the dialog open with its fields as they were.
template <typename Dialog, typename Start, typename Warn>
void runDialog(Dialog& dialog, Start start, Warn warn) {
  while (dialog.exec() == QDialog::Accepted) {
    try {
      start(dialog.request());
      return;
    } catch (const std::exception& error) {
      warn(QString::fromStdString(error.what()));
    }
  }
}

}  // namespace

void MainWindow::trainModel() {
  if (!m_session->isOpen()) return;
  QString experiment;
  for (const store::Experiment& e : m_session->snapshot().experiments) {
    if (e.id == m_experiments->currentExperimentId()) experiment = QString::fromStdString(e.name);
  }
  TrainDialog dialog(datasetColumns(), experiment, this);
  runDialog(dialog, [this](const pipeline::TrainRequest& request) { startTraining(request); },
            [this](const QString& message) { showWarning(tr("Cannot train"), message); });
}

int MainWindow::startTraining(const pipeline::TrainRequest& given) {
  pipeline::TrainRequest request = given;
  const std::string root = m_session->path().toStdString();
  request.gitSearchFrom = root;
  const QString experiment = QString::fromStdString(request.experiment);
  return m_tasks->start(
      tr("Training %1").arg(QString::fromStdString(request.model)),
      [root, request](Progress& progress) {
        store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
        const pipeline::TrainResult result = pipeline::runTraining(workspace, request, progress);
        return QVariant(QString::fromStdString(result.runId));
      },
      [this, experiment](const TaskResult& result) {
        if (result.status == TaskResult::Status::Failed) {
          showWarning(tr("Training failed"), result.message);
          return;
        }
        if (!result.ok()) return;
        m_selectExperimentName = experiment;
        m_restoreRuns = QStringList{result.value.toString()};
        statusBar()->showMessage(tr("Trained run %1").arg(result.value.toString().left(8)), 6000);
        m_session->reload();
      },
      this);
}

QStringList MainWindow::modelReferences() const {
  QStringList references;
  if (!m_session->isOpen()) return references;
  try {
    store::Workspace workspace =
        store::Workspace::open(m_session->path().toStdString(), store::OpenMode::MustExist);
    const store::Registry registry(workspace);
    for (const store::RegisteredModel& model : registry.listModels()) {
      const QString name = QString::fromStdString(model.name);
      QStringList staged;
      QStringList versions;
      for (const store::ModelVersion& version : model.versions) {
        if (version.stage == store::Stage::Production) staged.prepend(name + QStringLiteral("@production"));
        if (version.stage == store::Stage::Staging) staged << name + QStringLiteral("@staging");
        versions << QStringLiteral("%1@%2").arg(name).arg(version.version);
      }
      references << staged << versions;
    }
  } catch (const std::exception&) {
    // The dialog still takes a run id or a model file.
  }
  return references;
}

void MainWindow::makeRiskMap(const QString& model) {
  const QString maps = m_session->isOpen() ? QDir(m_session->path()).filePath(QStringLiteral("maps")) : QString();
  RiskMapDialog dialog(modelReferences(), model, maps, this);
  runDialog(dialog, [this](const pipeline::RiskMapRequest& request) { startRiskMap(request); },
            [this](const QString& message) { showWarning(tr("Cannot make the risk map"), message); });
}

int MainWindow::startRiskMap(const pipeline::RiskMapRequest& request) {
  const std::string root = m_session->isOpen() ? m_session->path().toStdString() : std::string();
  const QString input = QString::fromStdString(request.input.filename().string());
  return m_tasks->start(
      tr("Risk map of %1").arg(input),
      [root, request](Progress& progress) {
        std::optional<store::Workspace> workspace;
        if (!root.empty()) workspace.emplace(store::Workspace::open(root, store::OpenMode::MustExist));
        pipeline::RiskMapRequest withLegend = request;
        withLegend.drawPreview = drawPreviewWithLegend;
        const pipeline::RiskMapResult result =
            pipeline::makeRiskMap(workspace ? &*workspace : nullptr, withLegend, progress);
        QStringList summary;
        for (const geo::ClassArea& area : result.summary.classes) {
          summary << QStringLiteral("%1 %2%").arg(QString::fromStdString(area.name))
                         .arg(area.share * 100, 0, 'f', 1);
        }
        return QVariant(QStringList{QString::fromStdString(result.summary.probabilityPath.string()),
                                    QString::fromStdString(result.summary.classesPath.string()),
                                    QString::fromStdString(result.modelDescription),
                                    summary.join(QStringLiteral(", "))});
      },
      [this](const TaskResult& result) {
        if (result.status == TaskResult::Status::Failed) {
          showWarning(tr("Risk map failed"), result.message);
          return;
        }
        if (!result.ok()) return;
        const QStringList made = result.value.toStringList();
        showOnMap({made[0], made[1]});
        statusBar()->showMessage(tr("Risk map by %1: %2").arg(made[2], made[3]), 10000);
      },
      this);
}

void MainWindow::onCurvesLoaded(const CurvesSelection& curves) {
  m_curves->setCurves(curves.runs);
  if (curves.requested > static_cast<int>(curves.runs.size())) {
    statusBar()->showMessage(tr("Showing the curves of the first %1 of %2 selected runs.")
                                 .arg(curves.runs.size())
                                 .arg(curves.requested),
                             6000);
  }
}

void MainWindow::updateStatus() {
  if (!m_session->isOpen()) {
    m_countLabel->clear();
    return;
  }
  const auto& snapshot = m_session->snapshot();
  const std::size_t experiments = snapshot.experiments.size();
  std::size_t runs = 0;
  for (const store::Experiment& experiment : snapshot.experiments) runs += experiment.runCount;
  m_countLabel->setText(tr("%1 · %2").arg(
      experiments == 1 ? tr("1 experiment") : tr("%1 experiments").arg(experiments),
      runs == 1 ? tr("1 run") : tr("%1 runs").arg(QLocale().toString(qulonglong(runs)))));
}

void MainWindow::showWarning(const QString& title, const QString& text) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::restoreSettings() {
  QSettings settings;
  restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
  m_mainSplitter->restoreState(
      settings.value(QStringLiteral("mainWindow/mainSplitter")).toByteArray());
  m_centreSplitter->restoreState(
      settings.value(QStringLiteral("mainWindow/centreSplitter")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("mainWindow/mainSplitter"), m_mainSplitter->saveState());
  settings.setValue(QStringLiteral("mainWindow/centreSplitter"), m_centreSplitter->saveState());
  m_tasks->cancelAll();
  QMainWindow::closeEvent(event);
}

}  // namespace geih::ui
