// Gradient pairs rounded to small integers and packed so that one 64-bit integer add sums a row's
// gradient, hessian and count into a histogram bin (the idea of LightGBM 4's quantised training).
//
// Each gradient g becomes gq = floor(g / gScale + u) with u uniform in [0, 1) (stochastic
// rounding: E[gq * gScale] = g up to u's 16-bit resolution), gScale = bound on |g| / kQuantLevels;
// hessians likewise with hScale. u is a hash of (stream, row), so the rounding does not depend on
// the thread count.
//
// Packed layout of one row (and of a bin's sum over at most kPackedChunkRows rows):
//   bits 40..63  gradient sum, signed   |gq| <= 127: 127 x 65536 < 2^23
//   bits 23..39  row count               <= 65536 < 2^17
//   bits  0..22  hessian sum             hq in [0, 127]: 127 x 65536 < 2^23
// Sums over more rows are unpacked into wide integers before they could overflow.
// Integer sums are exact, so histograms are the same in any order and parent - child is exact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/ml/tree_histogram.h"

namespace geih::ml {

inline constexpr int kQuantLevels = 127;
inline constexpr std::size_t kPackedChunkRows = 65536;

inline std::int64_t packGradient(std::int64_t gq, std::int64_t hq) {
  return gq * (std::int64_t(1) << 40) + (std::int64_t(1) << 23) + hq;
}
inline std::int64_t packedGradientSum(std::int64_t packed) { return packed >> 40; }
inline std::int64_t packedCount(std::int64_t packed) { return (packed >> 23) & ((1 << 17) - 1); }
inline std::int64_t packedHessianSum(std::int64_t packed) { return packed & ((1 << 23) - 1); }

struct QuantizedGradients {
  std::vector<std::int64_t> packed;  // per row of the matrix; only the quantised rows are valid
  double gScale = 1.0;               // gradient ~ gq * gScale
  double hScale = 1.0;               // hessian ~ hq * hScale

  // Scales for gradients with |g| <= gMax and hessians in [0, hMax], rounding draws of `stream`,
  // room for `rows` rows.
  void prepare(std::size_t rows, double gMax, double hMax, std::uint64_t stream);

  // Quantises one row's pair (within the bounds given to prepare).
  void quantize(std::uint32_t row, const GradientPair& pair) {
    // lowbias32 (Wellons' 32-bit integer hash) of the row keyed by the stream: 16 bits of
    // rounding draw for the gradient and 16 for the hessian.
    std::uint32_t x = row ^ m_streamKey;
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    const float uG = float(x >> 16) * 0x1.0p-16f, uH = float(x & 0xffffU) * 0x1.0p-16f;
    packed[row] = packGradient(roundDown(pair.g * m_gInverse + uG, -kQuantLevels),
                               roundDown(pair.h * m_hInverse + uH, 0));
  }

 private:
  // floor(value) clamped to [low, kQuantLevels], for value > -kQuantLevels - 1: shifted positive,
  // truncation is floor (std::floor is a library call without SSE4.1).
  static std::int64_t roundDown(float value, std::int64_t low) {
    constexpr float kShift = kQuantLevels + 1;
    const std::int64_t down = std::int64_t(value + kShift) - std::int64_t(kShift);
    return down < low ? low : down > kQuantLevels ? kQuantLevels : down;
  }
  float m_gInverse = 1.0f, m_hInverse = 1.0f;
  std::uint32_t m_streamKey = 0;
};

// Quantises gradients[row] for every row in `rows` into out.packed (sized to `totalRows`), with
// bounds from the largest |g| and h among those rows. `stream` picks the rounding draws (one per
// boosting round).
void quantizeGradients(const GradientPair* gradients, std::span<const std::uint32_t> rows,
                       std::size_t totalRows, std::uint64_t stream, int threads,
                       QuantizedGradients& out);

}  // namespace geih::ml
