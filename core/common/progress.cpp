#include "core/common/progress.h"

#include <algorithm>

#include "core/common/error.h"

namespace geih {

void Progress::report(double fraction, std::string_view stage) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  m_fraction.store(fraction, std::memory_order_relaxed);
  std::lock_guard lock(m_mutex);
  if (!stage.empty()) m_stage.assign(stage);
  if (m_sink) m_sink(fraction, m_stage);
}

void Progress::checkCancelled() const {
  if (isCancelled()) throw Cancelled();
}

std::string Progress::stage() const {
  std::lock_guard lock(m_mutex);
  return m_stage;
}

Progress& Progress::none() {
  // Each caller gets a fresh, never-cancelled object per thread, so one caller cannot cancel another.
  thread_local Progress silent;
  return silent;
}

void ProgressSlice::report(double fraction, std::string_view stage) {
  Progress::report(fraction, stage);
  m_target.report(m_begin + (m_end - m_begin) * std::clamp(fraction, 0.0, 1.0), stage);
}

}  // namespace geih
