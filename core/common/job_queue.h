// Short independent jobs (compressing a tile, say) run on a few helper threads, in the order they
// were queued. The threads that queue work may run queued jobs themselves, which is how a producer
// that runs ahead is held back without sleeping: helpWhileAbove() runs jobs until the queued
// weight is under a bound, so memory held by queued jobs stays bounded.
//
// A job that throws stops the queue: later jobs are dropped, and the first exception is rethrown
// by the next helpWhileAbove() or drain() (once no job runs any more) or rethrowFailure().
// The destructor drops queued jobs and joins the helpers (after the running jobs returned).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace geih {

// Lowers the calling thread's scheduling priority by `niceness` (Linux nice, per thread; nothing
// when 0): for worker threads that should yield the cores to another thread of the process.
void lowerThisThreadPriority(int niceness);

class JobQueue {
 public:
  // `helpers` threads wait for jobs; with 0, jobs run only on threads that call
  // runOne()/helpWhileAbove()/drain(). `niceness` > 0 lowers the helpers' scheduling priority
  // (Linux nice, per thread) when another thread of the process should win the cores.
  explicit JobQueue(int helpers, int niceness = 0);
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues `job`; `weight` (bytes it holds, say) counts toward helpWhileAbove's bound until it ran.
  void push(std::function<void()> job, std::size_t weight = 1);
  // Runs the oldest queued job on this thread; false when none is queued.
  bool runOne();
  // Runs queued jobs on this thread while the queued weight exceeds `bound`. Rethrows a failure.
  void helpWhileAbove(std::size_t bound);
  // Returns once every job queued so far has run (running queued ones here). Rethrows a failure.
  void drain();
  void rethrowFailure();
  // drain() that swallows a failure: for destructors of what queued jobs use.
  void finishQuietly() noexcept;

 private:
  struct Entry {
    std::function<void()> job;
    std::size_t weight = 0;
  };
  void helperLoop();
  // Runs the queued jobs here and waits for the running ones; `lock` held on entry and return.
  void waitUntilIdle(std::unique_lock<std::mutex>& lock);
  // Takes the oldest job and runs it outside the lock; `lock` held on entry and return.
  void runFront(std::unique_lock<std::mutex>& lock);

  std::mutex m_mutex;
  std::condition_variable m_queued;  // a job was queued, or stop
  std::condition_variable m_idle;    // a job finished
  std::deque<Entry> m_jobs;
  std::size_t m_queuedWeight = 0;
  int m_running = 0;
  bool m_stop = false;
  std::exception_ptr m_failure;
  std::vector<std::thread> m_helpers;
};

}  // namespace geih
