#include "core/geo/window_pipeline.h"

#include <omp.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/common/job_queue.h"

namespace geih::geo {

void runWindowPipeline(const WindowPipelineShape& shape,
                       const std::function<void(int slot, int strip, int column, int worker)>& work,
                       const std::function<void(int slot, int strip)>& finish, Progress& progress,
                       const std::string& stage) {
  const int slots = std::max(1, shape.slots);
  const long long total = (long long)(shape.strips) * shape.across;
  std::mutex mutex;
  std::condition_variable changed;
  long long next = 0;       // the next window to take, in raster order
  int finished = 0;         // strips the caller has finished
  std::vector<int> done(std::size_t(slots), 0);  // windows done of the strip in each slot
  bool stop = false;
  std::exception_ptr failure;

  const auto fail = [&](std::exception_ptr error) {
    std::lock_guard lock(mutex);
    if (!failure) failure = error;
    stop = true;
    changed.notify_all();
  };
  const auto worker = [&](int index) {
    // A model's own parallel loops stay on this thread: the workers are the parallelism.
    omp_set_num_threads(1);
    lowerThisThreadPriority(shape.niceness);
    for (;;) {
      long long window = 0;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return stop || next >= total || int(next / shape.across) < finished + slots; });
        if (stop || next >= total) return;
        window = next++;
      }
      const int strip = int(window / shape.across);
      const int slot = strip % slots;
      try {
        work(slot, strip, int(window % shape.across), index);
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      std::lock_guard lock(mutex);
      if (++done[std::size_t(slot)] == shape.across) changed.notify_all();
    }
  };

  std::vector<std::thread> threads;
  const int workers = std::max(1, shape.workers);
  for (int w = 0; w < workers; ++w) threads.emplace_back(worker, w);
  try {
    for (int strip = 0; strip < shape.strips; ++strip) {
      const int slot = strip % slots;
      {
        std::unique_lock lock(mutex);
        // Woken when the strip completes or a worker fails; the timeout lets a cancel through.
        while (!stop && done[std::size_t(slot)] < shape.across) {
          changed.wait_for(lock, std::chrono::milliseconds(50));
          if (progress.isCancelled()) break;
        }
        if (stop) break;
      }
      progress.checkCancelled();
      finish(slot, strip);
      progress.report(double(strip + 1) / double(shape.strips), stage);
      std::lock_guard lock(mutex);
      done[std::size_t(slot)] = 0;
      ++finished;
      changed.notify_all();
    }
  } catch (...) {
    fail(std::current_exception());
  }
  {
    std::lock_guard lock(mutex);
    stop = true;
    changed.notify_all();
  }
  for (std::thread& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace geih::geo
