// Progress reporting and cooperative cancellation for long operations.
//
// A long operation takes a `Progress&`, calls report() with a fraction in [0,1] and a short stage
// label, and calls checkCancelled() at safe points (between iterations, blocks, files); that throws
// geih::Cancelled once cancel() was requested from any thread. A sub-task reports into a slice of
// its parent's range through ProgressSlice. Progress itself is thread-safe: report() may be called
// from worker threads; the sink is invoked under a mutex.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace geih {

class Progress {
 public:
  using Sink = std::function<void(double fraction, const std::string& stage)>;

  Progress() = default;
  explicit Progress(Sink sink) : m_sink(std::move(sink)) {}
  virtual ~Progress() = default;
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Reports completion `fraction` (clamped to [0,1]) of the current `stage`.
  virtual void report(double fraction, std::string_view stage);
  // Reports a new fraction under the last stage label.
  void report(double fraction) { report(fraction, {}); }

  void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
  // True once cancel() was called on this object or on any parent it is a slice of.
  bool isCancelled() const {
    return m_cancelled.load(std::memory_order_relaxed) || (m_parent && m_parent->isCancelled());
  }
  // Throws geih::Cancelled if cancel() was requested.
  void checkCancelled() const;

  double fraction() const { return m_fraction.load(std::memory_order_relaxed); }
  std::string stage() const;

  // A Progress that reports nowhere and is never cancelled; for callers that do not care.
  static Progress& none();

 protected:
  explicit Progress(Progress* parent) : m_parent(parent) {}

 private:
  Progress* m_parent = nullptr;
  Sink m_sink;
  std::atomic<bool> m_cancelled{false};
  std::atomic<double> m_fraction{0.0};
  mutable std::mutex m_mutex;
  std::string m_stage;
};

// Maps a child's [0,1] onto [begin,end] of a parent and forwards cancellation both ways.
class ProgressSlice : public Progress {
 public:
  ProgressSlice(Progress& parent, double begin, double end)
      : Progress(&parent), m_target(parent), m_begin(begin), m_end(end) {}
  using Progress::report;
  void report(double fraction, std::string_view stage) override;

 private:
  Progress& m_target;
  double m_begin;
  double m_end;
};

}  // namespace geih
