#include "core/ml/feature_binning.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include <omp.h>

#include "core/common/error.h"
#include "core/common/rng.h"

namespace geih::ml {
namespace {

constexpr std::size_t kQuantileSample = 100000;

int threadCount(int threads) { return threads > 0 ? threads : omp_get_max_threads(); }

// Sorts finite doubles ascending by an LSD radix sort of their order-preserving bit patterns:
// no comparisons, so none of the branch misses of a comparison sort on random data.
void radixSort(std::vector<double>& values) {
  const std::size_t n = values.size();
  std::vector<std::uint64_t> keys(n), spare(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t bits;
    std::memcpy(&bits, &values[i], sizeof bits);
    // Negative numbers: flip every bit; positive: flip the sign bit. -0.0 and 0.0 stay adjacent.
    keys[i] = (bits >> 63) ? ~bits : bits | (std::uint64_t(1) << 63);
  }
  for (int shift = 0; shift < 64; shift += 8) {
    std::size_t counts[257] = {};
    for (const std::uint64_t key : keys) ++counts[((key >> shift) & 0xff) + 1];
    if (counts[((keys[0] >> shift) & 0xff) + 1] == n) continue;  // this byte is the same everywhere
    for (int b = 0; b < 256; ++b) counts[b + 1] += counts[b];
    for (const std::uint64_t key : keys) spare[counts[(key >> shift) & 0xff]++] = key;
    keys.swap(spare);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = keys[i];
    const std::uint64_t bits = (key >> 63) ? key & ~(std::uint64_t(1) << 63) : ~key;
    std::memcpy(&values[i], &bits, sizeof bits);
  }
}

// The binary search of binOf on kLanes values at once: the searches are independent, so their
// load latencies overlap instead of adding up.
void binColumn(const FeatureBins& bins, std::span<const double> values, std::uint8_t* out) {
  const std::size_t n = values.size();
  std::size_t row = 0;
  if (!bins.categorical) {
    constexpr std::size_t kLanes = 16;
    const double* bounds = bins.upperBounds.data();
    const std::size_t size = bins.upperBounds.size();
    for (; row + kLanes <= n; row += kLanes) {
      std::size_t base[kLanes] = {};
      std::size_t count = size;
      while (count > 1) {
        const std::size_t half = count / 2;
        for (std::size_t k = 0; k < kLanes; ++k) {
          base[k] = bounds[base[k] + half - 1] < values[row + k] ? base[k] + half : base[k];
        }
        count -= half;
      }
      for (std::size_t k = 0; k < kLanes; ++k) {
        const double value = values[row + k];
        out[row + k] = std::isnan(value) ? kMissingBin : std::uint8_t(base[k]);
      }
    }
  }
  for (; row < n; ++row) out[row] = bins.binOf(values[row]);
}

}  // namespace

std::uint8_t FeatureBins::binOf(double value) const {
  if (std::isnan(value)) return kMissingBin;
  if (categorical) {
    // Codes are non-negative integers; anything else (a code past the bins) counts as missing.
    return value >= 0 && value < double(valueBins) ? std::uint8_t(value) : kMissingBin;
  }
  // Branch-free lower bound over the bounds: the first b with value <= upperBounds[b].
  const double* base = upperBounds.data();
  std::size_t count = upperBounds.size();
  while (count > 1) {
    const std::size_t half = count / 2;
    base = base[half - 1] < value ? base + half : base;
    count -= half;
  }
  return std::uint8_t(base - upperBounds.data());
}

FeatureBins fitFeatureBins(std::span<const double> values, bool categorical, int maxBins,
                           std::uint64_t seed) {
  if (maxBins < 2 || maxBins > kMaxValueBins) {
    throw InputError("max_bins must be in [2, 255], got " + std::to_string(maxBins));
  }
  FeatureBins bins;
  bins.categorical = categorical;
  if (categorical) {
    double largest = -1;
    for (const double value : values) {
      if (!std::isnan(value)) largest = std::max(largest, value);
    }
    bins.valueBins = std::min(maxBins, int(largest) + 1);
    return bins;
  }
  std::vector<double> present;
  present.reserve(std::min(values.size(), kQuantileSample));
  if (values.size() <= kQuantileSample) {
    for (const double value : values) {
      if (!std::isnan(value)) present.push_back(value);
    }
  } else {
    // A systematic sample from a seeded start: every step-th row, so long columns cost one pass.
    const std::size_t step = (values.size() + kQuantileSample - 1) / kQuantileSample;
    Rng rng(seed);
    for (std::size_t row = std::size_t(rng.below(step)); row < values.size(); row += step) {
      if (!std::isnan(values[row])) present.push_back(values[row]);
    }
  }
  if (!present.empty()) radixSort(present);
  std::vector<double> distinct;
  std::vector<std::size_t> ends;  // one past the last index of each distinct value
  for (std::size_t i = 0; i < present.size(); ++i) {
    if (distinct.empty() || present[i] != distinct.back()) {
      distinct.push_back(present[i]);
      ends.push_back(i + 1);
    } else {
      ends.back() = i + 1;
    }
  }
  if (distinct.size() <= std::size_t(maxBins)) {
    // One bin per distinct value; the bound between two values is their midpoint, so unseen values
    // between them go to the nearer one (as scikit-learn does).
    for (std::size_t i = 0; i + 1 < distinct.size(); ++i) {
      const double mid = distinct[i] + (distinct[i + 1] - distinct[i]) / 2;
      bins.upperBounds.push_back(mid < distinct[i + 1] ? mid : distinct[i]);
    }
  } else {
    // Quantile edges: close a bin at the first distinct value whose cumulative count reaches the
    // next k/maxBins share of the sample.
    const double m = double(present.size());
    int k = 1;
    for (std::size_t i = 0; i + 1 < distinct.size() && k < maxBins; ++i) {
      if (double(ends[i]) >= m * double(k) / double(maxBins)) {
        const double mid = distinct[i] + (distinct[i + 1] - distinct[i]) / 2;
        bins.upperBounds.push_back(mid < distinct[i + 1] ? mid : distinct[i]);
        while (k < maxBins && double(ends[i]) >= m * double(k) / double(maxBins)) ++k;
      }
    }
  }
  bins.upperBounds.push_back(std::numeric_limits<double>::infinity());
  bins.valueBins = int(bins.upperBounds.size());
  return bins;
}

BinnedMatrix BinnedMatrix::fit(const FeaturePipeline& pipeline, const table::Table& data,
                               int maxBins, std::uint64_t seed, int threads, Progress& progress) {
  BinnedMatrix matrix;
  const std::size_t p = pipeline.outputCount();
  matrix.m_rows = data.rowCount();
  matrix.m_bins.resize(p);
  matrix.m_data.resize(p * matrix.m_rows);
  std::exception_ptr failure;
#pragma omp parallel num_threads(threadCount(threads))
  {
    std::vector<double> values(matrix.m_rows);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t feature = 0; feature < p; ++feature) {
      try {
        if (progress.isCancelled()) continue;
        pipeline.transformOutput(data, feature, values);
        matrix.m_bins[feature] = fitFeatureBins(values, pipeline.isOrdinalCategory(feature),
                                                maxBins, seed + feature);
        binColumn(matrix.m_bins[feature], values, matrix.m_data.data() + feature * matrix.m_rows);
      } catch (...) {
#pragma omp critical
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  progress.checkCancelled();
  return matrix;
}

BinnedMatrix BinnedMatrix::apply(const FeaturePipeline& pipeline,
                                 const std::vector<FeatureBins>& bins, const table::Table& data,
                                 int threads) {
  BinnedMatrix matrix;
  const std::size_t p = pipeline.outputCount();
  if (bins.size() != p) throw InputError("binning: the bins do not match the pipeline");
  matrix.m_rows = data.rowCount();
  matrix.m_bins = bins;
  matrix.m_data.resize(p * matrix.m_rows);
  std::exception_ptr failure;
#pragma omp parallel num_threads(threadCount(threads))
  {
    std::vector<double> values(matrix.m_rows);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t feature = 0; feature < p; ++feature) {
      try {
        pipeline.transformOutput(data, feature, values);
        binColumn(bins[feature], values, matrix.m_data.data() + feature * matrix.m_rows);
      } catch (...) {
#pragma omp critical
        if (!failure) failure = std::current_exception();
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  return matrix;
}

}  // namespace geih::ml
