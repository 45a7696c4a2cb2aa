#include "ui/store/workspace_session.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/eval/curves.h"
#include "core/store/workspace.h"
#include "ui/common/task_runner.h"

namespace geih::ui {

namespace {

std::filesystem::path toPath(const QString& path) {
  return std::filesystem::path(path.toStdU16String());
}

double metricOr(const store::RunSummary& run, const std::string& key, double fallback) {
  auto it = run.metrics.find(key);
  return it == run.metrics.end() ? fallback : it->second;
}

}  // namespace

WorkspaceSession::WorkspaceSession(TaskRunner* runner, QObject* parent)
    : QObject(parent), m_runner(runner) {}

WorkspaceSnapshot WorkspaceSession::readSnapshot(const std::filesystem::path& root,
                                                 Progress& progress) {
  if (!std::filesystem::exists(root / "geih.db")) {
    const std::string where = root.string();
    throw NotFound("No workspace at " + where + ". Create one with `geih demo --workspace " +
                   where + "`.");
  }
  progress.report(0.1, "opening");
  store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
  progress.checkCancelled();
  WorkspaceSnapshot snapshot;
  snapshot.root = QString::fromStdU16String(workspace.root().u16string());
  progress.report(0.3, "reading experiments");
  snapshot.experiments = workspace.listExperiments();
  progress.report(1.0, "done");
  return snapshot;
}

store::RunDetail WorkspaceSession::readRunDetail(const std::filesystem::path& root,
                                                 const std::string& runId, Progress& progress) {
  store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
  progress.checkCancelled();
  return workspace.runDetail(runId);
}

CurvesSelection WorkspaceSession::readCurves(const std::filesystem::path& root,
                                             const std::vector<std::string>& runIds,
                                             Progress& progress) {
  store::Workspace workspace = store::Workspace::open(root, store::OpenMode::MustExist);
  CurvesSelection selection;
  selection.requested = static_cast<int>(runIds.size());
  const std::size_t count = std::min<std::size_t>(runIds.size(), kMaxOverlaidRuns);
  for (std::size_t i = 0; i < count; ++i) {
    progress.checkCancelled();
    progress.report(static_cast<double>(i) / static_cast<double>(count), "reading curves");
    const store::RunSummary summary = workspace.runSummary(runIds[i]);
    RunCurves run;
    run.runId = QString::fromStdString(summary.id);
    run.runName = QString::fromStdString(summary.name);
    run.auc = metricOr(summary, "roc_auc", std::nan(""));
    run.ap = metricOr(summary, "average_precision", std::nan(""));
    for (const store::CurveRecord& record : workspace.curves(summary.id)) {
      if (record.name != "roc" && record.name != "pr") continue;
      eval::Curve curve = eval::curveFromJson(nlohmann::json::parse(record.json));
      (record.name == "roc" ? run.roc : run.pr) = std::move(curve);
    }
    selection.runs.push_back(std::move(run));
  }
  progress.report(1.0, "done");
  return selection;
}

void WorkspaceSession::open(const QString& path) {
  if (m_openTask) m_runner->cancel(m_openTask);
  const int generation = ++m_openGeneration;
  emit opening(path);
  const std::filesystem::path root = toPath(path);
  m_openTask = m_runner->start(
      tr("Opening workspace"),
      [root](Progress& progress) { return QVariant::fromValue(readSnapshot(root, progress)); },
      [this, path, generation](const TaskResult& result) {
        if (generation != m_openGeneration) return;
        m_openTask = 0;
        if (result.status == TaskResult::Status::Cancelled) return;
        if (!result.ok()) {
          emit openFailed(path, result.message);
          return;
        }
        m_snapshot = result.value.value<WorkspaceSnapshot>();
        // What was just read is what the window shows: changes before it need no reload.
        if (m_watcher) {
          try {
            m_seenVersion = m_watcher->dataVersion();
            m_changePending = false;
          } catch (const std::exception&) {
            m_watcher.reset();
          }
        }
        emit opened(m_snapshot.root);
      },
      this);
}

void WorkspaceSession::reload() {
  if (isOpen()) open(m_snapshot.root);
}

void WorkspaceSession::watchForChanges(int intervalMs) {
  if (!m_watchTimer) {
    m_watchTimer = new QTimer(this);
    connect(m_watchTimer, &QTimer::timeout, this, &WorkspaceSession::pollForChanges);
  }
  m_watchTimer->stop();
  if (intervalMs > 0) m_watchTimer->start(intervalMs);
}

void WorkspaceSession::pollForChanges() {
  if (!isOpen()) return;
  try {
    const std::filesystem::path root = toPath(m_snapshot.root);
    if (!m_watcher || m_watcher->root() != root) {
      m_watcher = std::make_unique<store::Workspace>(
          store::Workspace::open(root, store::OpenMode::MustExist));
      m_seenVersion = m_watcher->dataVersion();
      return;
    }
    const std::int64_t version = m_watcher->dataVersion();
    if (version != m_seenVersion) {
      // Still changing (a job logging metrics): wait for a quiet poll before reloading.
      m_seenVersion = version;
      m_changePending = true;
      return;
    }
    if (m_changePending && !m_openTask) {
      m_changePending = false;
      emit changedOutside();
    }
  } catch (const std::exception&) {
    m_watcher.reset();  // the folder went away or is busy: try again on the next poll
  }
}

void WorkspaceSession::loadRunDetail(const QString& runId) {
  if (m_detailTask) m_runner->cancel(m_detailTask);
  m_detailTask = 0;
  const int generation = ++m_detailGeneration;
  if (!isOpen() || runId.isEmpty()) return;
  const std::filesystem::path root = toPath(m_snapshot.root);
  const std::string id = runId.toStdString();
  m_detailTask = m_runner->start(
      tr("Loading run"),
      [root, id](Progress& progress) {
        return QVariant::fromValue(readRunDetail(root, id, progress));
      },
      [this, generation](const TaskResult& result) {
        if (generation != m_detailGeneration) return;
        m_detailTask = 0;
        if (result.status == TaskResult::Status::Cancelled) return;
        if (!result.ok()) {
          emit loadFailed(tr("the run's details"), result.message);
          return;
        }
        emit runDetailLoaded(result.value.value<store::RunDetail>());
      },
      this);
}

void WorkspaceSession::loadCurves(const QStringList& runIds) {
  if (m_curvesTask) m_runner->cancel(m_curvesTask);
  m_curvesTask = 0;
  const int generation = ++m_curvesGeneration;
  if (!isOpen() || runIds.isEmpty()) {
    emit curvesLoaded(CurvesSelection{});
    return;
  }
  const std::filesystem::path root = toPath(m_snapshot.root);
  std::vector<std::string> ids;
  for (const QString& id : runIds) ids.push_back(id.toStdString());
  m_curvesTask = m_runner->start(
      tr("Loading curves"),
      [root, ids](Progress& progress) {
        return QVariant::fromValue(readCurves(root, ids, progress));
      },
      [this, generation](const TaskResult& result) {
        if (generation != m_curvesGeneration) return;
        m_curvesTask = 0;
        if (result.status == TaskResult::Status::Cancelled) return;
        if (!result.ok()) {
          emit loadFailed(tr("the curves of the selected runs"), result.message);
          return;
        }
        emit curvesLoaded(result.value.value<CurvesSelection>());
      },
      this);
}

}  // namespace geih::ui
