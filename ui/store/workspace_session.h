// The GUI's view of one workspace folder: what was last read from it (the experiments with their
// run counts, as value structs; the runs themselves are paged in by RunsPanel) and the background
// reads that refresh it. Every read runs through the TaskRunner on a pool thread that opens its
// own store::Workspace on the path; results come back as signals on the GUI thread. A newer request of the same kind cancels and supersedes an
// older one, so a stale result is never shown.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <QMetaType>
#include <QObject>
#include <QTimer>
#include <QString>
#include <QStringList>

#include "core/common/progress.h"
#include "core/store/records.h"
#include "core/store/workspace.h"
#include "ui/eval/run_curves.h"

namespace geih::ui {

class TaskRunner;

struct WorkspaceSnapshot {
  QString root;
  std::vector<store::Experiment> experiments;
};

struct CurvesSelection {
  std::vector<RunCurves> runs;  // at most kMaxOverlaidRuns, in the order requested
  int requested = 0;            // how many runs were selected
};

class WorkspaceSession : public QObject {
  Q_OBJECT

 public:
  static constexpr int kMaxOverlaidRuns = 10;

  explicit WorkspaceSession(TaskRunner* runner, QObject* parent = nullptr);

  // The folder of the last successful open(); empty before.
  QString path() const { return m_snapshot.root; }
  bool isOpen() const { return !m_snapshot.root.isEmpty(); }
  const WorkspaceSnapshot& snapshot() const { return m_snapshot; }

  void open(const QString& path);
  void reload();
  // Polls the open workspace every `intervalMs` for commits by other processes (the CLI) or other
  // connections (the window's own jobs); when something changed and then stayed quiet for a
  // poll, emits changedOutside. 0 stops watching.
  void watchForChanges(int intervalMs);
  void loadRunDetail(const QString& runId);
  // Curves of the first kMaxOverlaidRuns runs; an empty list clears at once, without a task.
  void loadCurves(const QStringList& runIds);

  // What the workers do; plain functions of a path, usable from any thread.
  static WorkspaceSnapshot readSnapshot(const std::filesystem::path& root, Progress& progress);
  static store::RunDetail readRunDetail(const std::filesystem::path& root, const std::string& runId,
                                        Progress& progress);
  static CurvesSelection readCurves(const std::filesystem::path& root,
                                    const std::vector<std::string>& runIds, Progress& progress);

 signals:
  void opening(const QString& path);
  void opened(const QString& path);
  void openFailed(const QString& path, const QString& message);
  void runDetailLoaded(const geih::store::RunDetail& detail);
  void curvesLoaded(const geih::ui::CurvesSelection& curves);
  // A detail or curves read failed (not cancelled): `what` names it for a message.
  void loadFailed(const QString& what, const QString& message);
  void changedOutside();

 private:
  TaskRunner* m_runner;
  WorkspaceSnapshot m_snapshot;
  int m_openTask = 0;
  int m_detailTask = 0;
  int m_curvesTask = 0;
  int m_openGeneration = 0;
  int m_detailGeneration = 0;
  int m_curvesGeneration = 0;
  void pollForChanges();
  QTimer* m_watchTimer = nullptr;
  std::unique_ptr<store::Workspace> m_watcher;  // its own connection, on the GUI thread
  std::int64_t m_seenVersion = -1;
  bool m_changePending = false;
};

}  // namespace geih::ui

Q_DECLARE_METATYPE(geih::ui::WorkspaceSnapshot)
Q_DECLARE_METATYPE(geih::ui::CurvesSelection)
Q_DECLARE_METATYPE(geih::store::RunDetail)
