#include "core/common/job_queue.h"

#include <sys/resource.h>

namespace geih {

void lowerThisThreadPriority(int niceness) {
  // On Linux, PRIO_PROCESS with 0 is the calling thread; failing to lower it changes nothing.
  if (niceness > 0) (void)setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + niceness);
}

JobQueue::JobQueue(int helpers, int niceness) {
  for (int i = 0; i < helpers; ++i) {
    m_helpers.emplace_back([this, niceness] {
      lowerThisThreadPriority(niceness);
      helperLoop();
    });
  }
}

JobQueue::~JobQueue() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    m_jobs.clear();
    m_queuedWeight = 0;
  }
  m_queued.notify_all();
  for (std::thread& helper : m_helpers) helper.join();
}

void JobQueue::push(std::function<void()> job, std::size_t weight) {
  {
    std::lock_guard lock(m_mutex);
    if (m_failure) return;  // the queue stopped; the failure reaches the caller on its next wait
    m_jobs.push_back({std::move(job), weight});
    m_queuedWeight += weight;
  }
  m_queued.notify_one();
}

void JobQueue::runFront(std::unique_lock<std::mutex>& lock) {
  Entry entry = std::move(m_jobs.front());
  m_jobs.pop_front();
  m_queuedWeight -= entry.weight;
  ++m_running;
  lock.unlock();
  std::exception_ptr failure;
  try {
    entry.job();
  } catch (...) {
    failure = std::current_exception();
  }
  entry.job = nullptr;  // whatever the job holds is released outside the lock
  lock.lock();
  --m_running;
  if (failure && !m_failure) {
    m_failure = failure;
    m_jobs.clear();
    m_queuedWeight = 0;
  }
  m_idle.notify_all();
}

void JobQueue::helperLoop() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_queued.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
    if (m_stop) return;
    runFront(lock);
  }
}

bool JobQueue::runOne() {
  std::unique_lock lock(m_mutex);
  if (m_jobs.empty()) return false;
  runFront(lock);
  return true;
}

void JobQueue::helpWhileAbove(std::size_t bound) {
  std::unique_lock lock(m_mutex);
  while (!m_failure && m_queuedWeight > bound && !m_jobs.empty()) {
    runFront(lock);
  }
  if (m_failure) {
    waitUntilIdle(lock);
    std::rethrow_exception(m_failure);
  }
}

void JobQueue::drain() {
  std::unique_lock lock(m_mutex);
  waitUntilIdle(lock);
  if (m_failure) std::rethrow_exception(m_failure);
}

void JobQueue::finishQuietly() noexcept {
  std::unique_lock lock(m_mutex);
  waitUntilIdle(lock);
}

void JobQueue::waitUntilIdle(std::unique_lock<std::mutex>& lock) {
  // After a failure the queue is empty: this only waits for the jobs still running elsewhere, so
  // that nothing they use is destroyed under them.
  for (;;) {
    if (!m_jobs.empty()) {
      runFront(lock);
      continue;
    }
    if (m_running == 0) return;
    m_idle.wait(lock);
  }
}

void JobQueue::rethrowFailure() {
  std::lock_guard lock(m_mutex);
  if (m_failure) std::rethrow_exception(m_failure);
}

}  // namespace geih
