#include "core/geo/window_scorer.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/common/error.h"
#include "core/table/table.h"

namespace geih::geo {

namespace {

// Pixels scored at a time by one thread (a few rows of a window): their scores stay in cache.
constexpr std::size_t kScoreGroupPixels = 8192;

// Scores `count` pixels given row-major in `raw` (count x inputs) through a table, for models
// that need one (categorical inputs, derived features). Class codes of categorical bands become
// the band's category names ("forest"), else the code as text ("3"), as a CSV of samples holds it.
void predictThroughTable(const ml::Model& model, const std::vector<double>& raw, std::size_t count,
                         const std::vector<const std::vector<std::string>*>& categories, double* out) {
  const auto& inputs = model.pipeline().inputs();
  const std::size_t width = inputs.size();
  table::Table part;
  for (std::size_t f = 0; f < width; ++f) {
    if (inputs[f].type == table::ColumnType::Categorical) {
      const std::vector<std::string>& names = *categories[f];
      std::vector<std::string> codes;
      for (std::size_t i = 0; i < count; ++i) {
        const long long code = std::llround(raw[i * width + f]);
        codes.push_back(code >= 0 && std::size_t(code) < names.size() ? names[std::size_t(code)]
                                                                      : std::to_string(code));
      }
      part.addColumn(table::Column::categoricalFromStrings(inputs[f].name, codes));
    } else {
      std::vector<double> values(count);
      for (std::size_t i = 0; i < count; ++i) values[i] = raw[i * width + f];
      part.addColumn(table::Column::numeric(inputs[f].name, std::move(values)));
    }
  }
  model.predict(part, std::span<double>(out, count));
}

}  // namespace

WindowScorer::WindowScorer(const ml::Model& model, const RasterStack& stack, const StackWindows& windows,
                           const std::vector<RiskClass>& classes, std::span<const double> rowAreasKm2)
    : m_model(model),
      m_wide(windows.asDoubles()),
      m_bounds(classes),
      m_features(windows.bands().size()),
      m_classCount(classes.size()),
      m_rowAreas(rowAreasKm2),
      m_dense(model.acceptsDenseInput()),
      m_stride(std::size_t(windows.width())),
      m_windowValues(std::size_t(windows.width()) * std::size_t(windows.height())),
      m_groupRows(std::max<std::size_t>(1, kScoreGroupPixels / std::size_t(windows.width()))) {
  m_nodataValue.assign(m_features, 0.0);
  m_hasNodata.assign(m_features, 0);
  for (std::size_t f = 0; f < m_features; ++f) {
    const int band = windows.bands()[f];
    m_categories.push_back(&stack.categoryNames(band));
    if (const auto nodata = stack.nodata(band)) {
      m_nodataValue[f] = m_wide[f] ? *nodata : double(float(*nodata));
      m_hasNodata[f] = 1;
    }
  }
  // Linear models are evaluated band by band (no pixel gather) when every band is read as floats.
  if (m_dense && std::find(m_wide.begin(), m_wide.end(), 1) == m_wide.end()) m_linear = model.linearForm();
}

WindowScorer::Buffers WindowScorer::makeBuffers() const {
  const std::size_t features = m_features;
  Buffers buffers;
  buffers.floats.resize(features);
  buffers.doubles.resize(features);
  for (std::size_t f = 0; f < features; ++f) {
    if (m_wide[f]) {
      buffers.doubles[f].resize(m_windowValues);
    } else {
      buffers.floats[f].resize(m_windowValues);
    }
    buffers.floatBands.push_back(buffers.floats[f].data());
    buffers.doubleBands.push_back(buffers.doubles[f].data());
  }
  buffers.columns.resize(features);
  const std::size_t group = m_groupRows * m_stride;
  buffers.valid.resize(group);
  buffers.scores.resize(group);
  buffers.index.resize(group);
  buffers.raw.resize(group * features);
  return buffers;
}

// Valid pixels (no input band nodata or NaN): a mask built band by band, in loops the compiler
// vectorises.
// Also built for AVX-512 and AVX2, chosen at load time (comparisons only: the same mask).
__attribute__((target_clones("avx512f", "avx2", "default"))) void WindowScorer::markValid(
    const Buffers& buffers, std::size_t begin, std::size_t length, std::uint8_t* valid) const {
  std::fill(valid, valid + length, std::uint8_t(1));
  for (std::size_t f = 0; f < m_features; ++f) {
    const bool checkNodata = m_hasNodata[f] != 0;
    if (m_wide[f]) {
      const double* values = buffers.doubles[f].data() + begin;
      const double nodata = m_nodataValue[f];
      for (std::size_t i = 0; i < length; ++i) {
        valid[i] &= std::uint8_t((values[i] == values[i]) & !(checkNodata & (values[i] == nodata)));
      }
    } else {
      const float* values = buffers.floats[f].data() + begin;
      const auto nodata = float(m_nodataValue[f]);
      for (std::size_t i = 0; i < length; ++i) {
        valid[i] &= std::uint8_t((values[i] == values[i]) & !(checkNodata & (values[i] == nodata)));
      }
    }
  }
}

void WindowScorer::score(Buffers& buffers, const PixelRect& rect, float* probability, std::uint8_t* classes,
                         std::size_t rowStride, WindowTally& tally) const {
  const std::size_t features = m_features;
  const std::size_t rectWidth = std::size_t(rect.width);
  tally.pixels.assign(m_classCount, 0);
  tally.areaKm2.assign(m_classCount, 0.0);
  tally.sum = 0;
  tally.valid = 0;
  // Pixel area depends on the row only: classes are counted per row, each row weighed once.
  std::vector<std::size_t> inRow(m_classCount);
  const auto addRow = [&](std::size_t windowRow) {
    const double area = m_rowAreas[std::size_t(rect.y) + windowRow];
    for (std::size_t k = 0; k < inRow.size(); ++k) {
      tally.pixels[k] += inRow[k];
      tally.areaKm2[k] += double(inRow[k]) * area;
      inRow[k] = 0;
    }
  };
  for (std::size_t firstRow = 0; firstRow < std::size_t(rect.height); firstRow += m_groupRows) {
    const std::size_t rows = std::min(m_groupRows, std::size_t(rect.height) - firstRow);
    const std::size_t begin = firstRow * m_stride;
    const std::size_t length = rows * m_stride;
    std::uint8_t* valid = buffers.valid.data();
    markValid(buffers, begin, length, valid);
    if (m_linear) {
      // Every value of the rows scored band by band (the layout's spare columns too: cheaper
      // than skipping them), then the window's part of each row classified.
      for (std::size_t f = 0; f < features; ++f) buffers.columns[f] = buffers.floats[f].data() + begin;
      m_linear->predictColumns(buffers.columns, length, buffers.scores.data());
      for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t outRow = (firstRow + r) * rowStride;
        const RunTally run = classifyRun(m_bounds, std::span<double>(buffers.scores.data() + r * m_stride, rectWidth),
                                         valid + r * m_stride, kProbabilityNodata, kClassNodata,
                                         probability + outRow, classes + outRow, inRow);
        addRow(firstRow + r);
        tally.sum += run.sum;
        tally.valid += run.valid;
      }
      continue;
    }
    // Other models: the valid pixels' indices compacted without branches, their values gathered
    // row-major, scored, and written back to their places.
    std::uint32_t* index = buffers.index.data();
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < rectWidth; ++c) {
        index[n] = std::uint32_t(r * m_stride + c);
        n += valid[r * m_stride + c];
      }
    }
    for (std::size_t f = 0; f < features; ++f) {
      double* out = buffers.raw.data() + f;
      if (m_wide[f]) {
        const double* values = buffers.doubles[f].data() + begin;
        for (std::size_t j = 0; j < n; ++j) out[j * features] = values[index[j]];
      } else {
        const float* values = buffers.floats[f].data() + begin;
        for (std::size_t j = 0; j < n; ++j) out[j * features] = double(values[index[j]]);
      }
    }
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t outRow = (firstRow + r) * rowStride;
      std::fill(probability + outRow, probability + outRow + rectWidth, kProbabilityNodata);
      std::fill(classes + outRow, classes + outRow + rectWidth, kClassNodata);
    }
    try {
      if (m_dense) {
        m_model.predictDense(buffers.raw.data(), n, buffers.scores.data(), buffers.scratch);
      } else {
        predictThroughTable(m_model, buffers.raw, n, m_categories, buffers.scores.data());
      }
    } catch (const std::exception& error) {
      throw InputError(std::string("scoring failed: ") + error.what());
    }
    std::size_t row = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t r = index[i] / m_stride;
      const std::size_t c = index[i] % m_stride;
      while (row < r) addRow(firstRow + row++);
      const double p = std::clamp(buffers.scores[i], 0.0, 1.0);
      const std::size_t k = m_bounds.classOf(p);
      probability[(firstRow + r) * rowStride + c] = float(p);
      classes[(firstRow + r) * rowStride + c] = std::uint8_t(k);
      inRow[k] += 1;
      tally.sum += p;
    }
    while (row < rows) addRow(firstRow + row++);
    tally.valid += n;
  }
}

}  // namespace geih::geo
