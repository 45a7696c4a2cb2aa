// The one way the GUI runs long work (DESIGN.md "House style"): a job runs on a pool thread
// through QtConcurrent, reports into a geih::Progress whose reports reach the GUI thread as queued
// signals, can be cancelled through that Progress, and hands back a TaskResult
// {ok | cancelled | failed, message, value} to a callback on the GUI thread. Every exception
// thrown by the job is caught here and turned into a result; nothing else in ui/ catches.
//
// A job must not touch objects owned by the GUI thread: it opens its own store::Workspace on a
// path, builds plain value structs and returns them inside the QVariant.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVariant>

#include "core/common/progress.h"

namespace geih::ui {

struct TaskResult {
  enum class Status { Ok, Cancelled, Failed };

  Status status = Status::Ok;
  QString message;  // empty when ok; "cancelled" or the error's message otherwise
  QVariant value;   // what the job returned, when ok

  bool ok() const { return status == Status::Ok; }
};

// The Progress a job reports into. It lives in the GUI thread; report() may be called from any
// thread and re-emits a change of whole percent or stage as progressChanged, which reaches
// receivers in other threads queued.
class TaskProgress : public QObject, public geih::Progress {
  Q_OBJECT

 public:
  explicit TaskProgress(QObject* parent = nullptr) : QObject(parent) {}

  void report(double fraction, std::string_view stage) override;
  using geih::Progress::report;

 signals:
  void progressChanged(int percent, const QString& stage);

 private:
  std::mutex m_mutex;
  int m_lastPercent = -1;
  std::string m_lastStage;
};

class TaskRunner : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<QVariant(geih::Progress&)>;
  using Done = std::function<void(const TaskResult&)>;

  explicit TaskRunner(QObject* parent = nullptr);
  // Cancels what still runs and waits for it; no `done` callback is called afterwards.
  ~TaskRunner() override;

  // Runs `work` on a pool thread and calls `done` with its result on the GUI thread. When a
  // `context` is given and destroyed before the job ends, `done` is not called (as with connect).
  // Returns the task's id.
  int start(const QString& title, Work work, Done done = {}, QObject* context = nullptr);

  // Requests cancellation: the job's Progress::checkCancelled() throws at its next safe point.
  void cancel(int taskId);
  void cancelAll();

  bool isBusy() const { return !m_tasks.empty(); }
  int activeCount() const { return static_cast<int>(m_tasks.size()); }
  QString title(int taskId) const;

 signals:
  void taskStarted(int taskId, const QString& title);
  void progressChanged(int taskId, int percent, const QString& stage);
  void taskFinished(int taskId, const QString& title, geih::ui::TaskResult::Status status,
                    const QString& message);
  // True when the first task starts, false when the last one has finished and its callback ran.
  void busyChanged(bool busy);

 private:
  struct Task {
    QString title;
    std::unique_ptr<TaskProgress> progress;
    QFutureWatcher<TaskResult>* watcher = nullptr;
    Done done;
    QPointer<QObject> context;
    bool hasContext = false;
  };

  void finish(int taskId);

  std::map<int, Task> m_tasks;
  int m_nextId = 1;
  bool m_busy = false;
};

}  // namespace geih::ui
