// One window of a stack scored into rows of a risk map: which pixels are valid (no band at its
// nodata value, no NaN), the model's probability of each (a linear model band by band over the
// arrays; other numeric models on gathered rows; models with categorical inputs through a table,
// a band's class names becoming the model's categories), the class of each, and the window's
// tally. A window is scored a few rows at a time, so the scores stay in the core's cache.
// One WindowScorer serves every thread; each thread brings its own Buffers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/geo/raster_stack.h"
#include "core/geo/risk_classes.h"
#include "core/geo/stack_windows.h"
#include "core/ml/linear_form.h"
#include "core/ml/model.h"

namespace geih::geo {

inline constexpr float kProbabilityNodata = -9999.0f;
inline constexpr std::uint8_t kClassNodata = 255;

// What one window adds to the map's summary. Summed in window order by the caller, so the
// summary does not depend on the thread count.
struct WindowTally {
  std::vector<std::size_t> pixels;  // per class
  std::vector<double> areaKm2;      // per class
  double sum = 0;                   // of the valid pixels' probabilities
  std::size_t valid = 0;
};

class WindowScorer {
 public:
  // A thread's band arrays (filled by StackWindows::read through floatBands / doubleBands) and
  // scratch space.
  struct Buffers {
    std::vector<std::vector<float>> floats;
    std::vector<std::vector<double>> doubles;
    std::vector<float*> floatBands;
    std::vector<double*> doubleBands;
    std::vector<const float*> columns;
    std::vector<std::uint8_t> valid;
    std::vector<double> scores;
    std::vector<std::uint32_t> index;
    std::vector<double> raw;
    std::vector<double> scratch;
  };

  // `windows` reads the model's inputs in order (its bands()[f] is the stack's band for input
  // f). `rowAreasKm2`: a pixel's area on each row of the raster.
  WindowScorer(const ml::Model& model, const RasterStack& stack, const StackWindows& windows,
               const std::vector<RiskClass>& classes, std::span<const double> rowAreasKm2);

  Buffers makeBuffers() const;

  // Scores the window at `rect` held in `buffers` into `probability` and `classes`, whose rows
  // are `rowStride` values apart and start at the window's first pixel; fills `tally`.
  // Throws InputError when the model cannot score the values.
  void score(Buffers& buffers, const PixelRect& rect, float* probability, std::uint8_t* classes,
             std::size_t rowStride, WindowTally& tally) const;

 private:
  void markValid(const Buffers& buffers, std::size_t begin, std::size_t length, std::uint8_t* valid) const;

  const ml::Model& m_model;
  std::vector<const std::vector<std::string>*> m_categories;  // per input: the band's class names
  std::vector<char> m_wide;                                   // per input: read as doubles
  std::vector<double> m_nodataValue;  // per input, as read back (a float band's rounded to float)
  std::vector<char> m_hasNodata;
  ClassBounds m_bounds;
  std::size_t m_features;
  std::size_t m_classCount;
  std::span<const double> m_rowAreas;
  bool m_dense;
  std::optional<ml::LinearForm> m_linear;
  std::size_t m_stride;
  std::size_t m_windowValues;
  std::size_t m_groupRows;
};

}  // namespace geih::geo
