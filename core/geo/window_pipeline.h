// Runs a job over a raster's windows (stack_windows.h) on worker threads and hands each finished
// strip (a row of windows) to the calling thread, in strip order.
//
// Workers take windows in raster order; `work(slot, strip, column, worker)` processes one. At most
// `slots` strips are in flight: a strip's results live in buffers indexed by its slot, and a
// worker waits (blocked, not spinning) before touching a slot whose previous strip the caller
// has not finished. `finish(slot, strip)` runs on the calling thread once every window of the
// strip is done (write it out, sum its tallies), while the workers go on with later strips.
// Between strips the caller checks `progress` for cancellation and reports the fraction done.
// The first exception (from a worker, from finish, or Cancelled) stops the workers and is
// rethrown once they have all returned.
#pragma once

#include <functional>
#include <string>

#include "core/common/progress.h"

namespace geih::geo {

struct WindowPipelineShape {
  int strips = 0;
  int across = 0;   // windows per strip
  int slots = 3;    // strips in flight
  int workers = 1;  // threads calling work()
  int niceness = 0; // > 0: the workers run at a lower priority (Linux nice, per thread)
};

void runWindowPipeline(const WindowPipelineShape& shape,
                       const std::function<void(int slot, int strip, int column, int worker)>& work,
                       const std::function<void(int slot, int strip)>& finish, Progress& progress,
                       const std::string& stage);

}  // namespace geih::geo
