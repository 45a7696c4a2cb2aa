#include "ui/common/task_runner.h"

#include <cmath>
#include <exception>

#include <QtConcurrent/QtConcurrentRun>

#include "core/common/error.h"

namespace geih::ui {

namespace {

// Runs the job and turns every way it can end into a TaskResult. The only catch sites of ui/.
TaskResult runGuarded(const TaskRunner::Work& work, geih::Progress& progress) {
  TaskResult result;
  try {
    progress.checkCancelled();
    result.value = work(progress);
  } catch (const geih::Cancelled&) {
    result.status = TaskResult::Status::Cancelled;
    result.message = QStringLiteral("Cancelled.");
  } catch (const geih::Error& error) {
    result.status = TaskResult::Status::Failed;
    result.message = QString::fromStdString(error.what());
  } catch (const std::exception& error) {
    result.status = TaskResult::Status::Failed;
    result.message = QString::fromStdString(error.what());
  } catch (...) {
    result.status = TaskResult::Status::Failed;
    result.message = QStringLiteral("Unknown internal error.");
  }
  return result;
}

}  // namespace

void TaskProgress::report(double fraction, std::string_view stage) {
  geih::Progress::report(fraction, stage);
  const int percent = static_cast<int>(std::lround(this->fraction() * 100.0));
  std::string current = this->stage();
  {
    std::lock_guard lock(m_mutex);
    if (percent == m_lastPercent && current == m_lastStage) return;
    m_lastPercent = percent;
    m_lastStage = current;
  }
  emit progressChanged(percent, QString::fromStdString(current));
}

TaskRunner::TaskRunner(QObject* parent) : QObject(parent) {}

TaskRunner::~TaskRunner() {
  for (auto& [id, task] : m_tasks) task.progress->cancel();
  for (auto& [id, task] : m_tasks) {
    task.watcher->disconnect(this);
    task.watcher->waitForFinished();
    delete task.watcher;
  }
  m_tasks.clear();
}

int TaskRunner::start(const QString& title, Work work, Done done, QObject* context) {
  const int id = m_nextId++;
  Task& task = m_tasks[id];
  task.title = title;
  task.progress = std::make_unique<TaskProgress>();
  task.done = std::move(done);
  task.context = context;
  task.hasContext = context != nullptr;
  task.watcher = new QFutureWatcher<TaskResult>(this);

  connect(
      task.progress.get(), &TaskProgress::progressChanged, this,
      [this, id](int percent, const QString& stage) {
        if (m_tasks.count(id)) emit progressChanged(id, percent, stage);
      },
      Qt::QueuedConnection);
  connect(task.watcher, &QFutureWatcherBase::finished, this, [this, id] { finish(id); });

  if (!m_busy) {
    m_busy = true;
    emit busyChanged(true);
  }
  emit taskStarted(id, title);

  geih::Progress* progress = task.progress.get();
  task.watcher->setFuture(QtConcurrent::run(
      [work = std::move(work), progress]() { return runGuarded(work, *progress); }));
  return id;
}

void TaskRunner::cancel(int taskId) {
  auto it = m_tasks.find(taskId);
  if (it != m_tasks.end()) it->second.progress->cancel();
}

void TaskRunner::cancelAll() {
  for (auto& [id, task] : m_tasks) task.progress->cancel();
}

QString TaskRunner::title(int taskId) const {
  auto it = m_tasks.find(taskId);
  return it == m_tasks.end() ? QString() : it->second.title;
}

void TaskRunner::finish(int taskId) {
  auto it = m_tasks.find(taskId);
  if (it == m_tasks.end()) return;
  Task task = std::move(it->second);
  m_tasks.erase(it);

  const TaskResult result = task.watcher->result();
  task.watcher->deleteLater();

  emit taskFinished(taskId, task.title, result.status, result.message);
  if (task.done && (!task.hasContext || task.context)) task.done(result);

  if (m_tasks.empty() && m_busy) {
    m_busy = false;
    emit busyChanged(false);
  }
}

}  // namespace geih::ui
