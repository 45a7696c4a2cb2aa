#include "core/geo/overview_pyramid.h"

#include <cmath>
#include <limits>

namespace geih::geo {

template <typename T>
OverviewPyramid<T>::OverviewPyramid(int width, int levels, std::optional<double> nodata, Sink sink)
    : m_nodata(nodata), m_sink(std::move(sink)) {
  m_widths.push_back(width);
  for (int level = 1; level <= levels; ++level) {
    Level next;
    next.width = (m_widths.back() + 1) / 2;
    next.pending.resize(std::size_t(m_widths.back()));
    next.out.resize(std::size_t(next.width));
    m_widths.push_back(next.width);
    m_levels.push_back(std::move(next));
  }
}

template <typename T>
void OverviewPyramid<T>::addRows(const T* values, int rows) {
  if (m_levels.empty()) return;
  for (int r = 0; r < rows; ++r) feed(0, values + std::size_t(r) * std::size_t(m_widths[0]));
}

// A row of the level below level `index + 1` arrives.
template <typename T>
void OverviewPyramid<T>::feed(std::size_t index, const T* row) {
  Level& level = m_levels[index];
  if (!level.hasPending) {
    std::copy(row, row + m_widths[index], level.pending.begin());
    level.hasPending = true;
    return;
  }
  level.hasPending = false;
  emit(index, level.pending.data(), row);
}

namespace {

// The average of the valid pixels of each 2 x 2 block of two full rows (`pairs` blocks), in the
// order the scalar loop below adds them, so the same bits: a pixel is valid when it is not NaN and
// not `nodata` (NaN when there is none); `empty` where none is. Branch-free, so it vectorises; built for
// AVX-512 and AVX2 too (no FMA anywhere: -ffp-contract=off).
__attribute__((target_clones("avx512f", "avx2", "default"))) void averageBlocks(
    const float* __restrict first, const float* __restrict second, std::size_t pairs, float nodata,
    float empty, float* __restrict out) {
  for (std::size_t j = 0; j < pairs; ++j) {
    const float v0 = first[2 * j], v1 = first[2 * j + 1], v2 = second[2 * j], v3 = second[2 * j + 1];
    // Non-short-circuit tests (branches would keep it scalar); v != NaN always holds.
    const bool ok0 = (v0 == v0) & (v0 != nodata);
    const bool ok1 = (v1 == v1) & (v1 != nodata);
    const bool ok2 = (v2 == v2) & (v2 != nodata);
    const bool ok3 = (v3 == v3) & (v3 != nodata);
    double sum = 0;
    sum += ok0 ? double(v0) : 0.0;
    sum += ok1 ? double(v1) : 0.0;
    sum += ok2 ? double(v2) : 0.0;
    sum += ok3 ? double(v3) : 0.0;
    const double count = double(int(ok0) + int(ok1) + int(ok2) + int(ok3));
    const float average = float(sum / (count > 0 ? count : 1.0));
    out[j] = count > 0 ? average : empty;
  }
}

}  // namespace

template <typename T>
void OverviewPyramid<T>::emit(std::size_t index, const T* first, const T* second) {
  Level& level = m_levels[index];
  const int below = m_widths[index];
  int j = 0;
  if constexpr (std::is_same_v<T, float>) {
    // Whole 2 x 2 blocks at once; the last odd column and the last odd row go the scalar way.
    // (A nodata a float cannot hold is compared in double by the scalar loop.)
    if (second && (!m_nodata || double(float(*m_nodata)) == *m_nodata)) {
      const float nodata = m_nodata ? float(*m_nodata) : std::numeric_limits<float>::quiet_NaN();
      const std::size_t pairs = std::size_t(below / 2);
      averageBlocks(first, second, pairs, nodata, nodata, level.out.data());
      j = int(pairs);
    }
  }
  for (; j < level.width; ++j) {
    const int a = 2 * j;
    const int b = a + 1 < below ? a + 1 : a;
    if constexpr (std::is_same_v<T, std::uint8_t>) {
      level.out[std::size_t(j)] = first[a];
    } else {
      double sum = 0;
      int count = 0;
      const auto add = [&](T value) {
        if (std::isnan(value) || (m_nodata && double(value) == *m_nodata)) return;
        sum += double(value);
        ++count;
      };
      add(first[a]);
      if (b != a) add(first[b]);
      if (second) {
        add(second[a]);
        if (b != a) add(second[b]);
      }
      level.out[std::size_t(j)] =
          count ? T(sum / count) : T(m_nodata ? *m_nodata : std::numeric_limits<double>::quiet_NaN());
    }
  }
  m_sink(int(index) + 1, level.rowsDone++, level.out.data());
  if (index + 1 < m_levels.size()) feed(index + 1, level.out.data());
}

template <typename T>
void OverviewPyramid<T>::finish() {
  // Lower levels first: their last row may complete a pair above.
  for (std::size_t index = 0; index < m_levels.size(); ++index) {
    Level& level = m_levels[index];
    if (!level.hasPending) continue;
    level.hasPending = false;
    emit(index, level.pending.data(), nullptr);
  }
}

template class OverviewPyramid<float>;
template class OverviewPyramid<std::uint8_t>;

}  // namespace geih::geo
