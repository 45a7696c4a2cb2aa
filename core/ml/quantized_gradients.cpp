#include "core/ml/quantized_gradients.h"

#include <algorithm>
#include <cmath>

#include "core/common/rng.h"

namespace geih::ml {

void QuantizedGradients::prepare(std::size_t rows, double gMax, double hMax,
                                 std::uint64_t stream) {
  // Rows outside those quantised are never read: no zero-filling them every round.
  if (packed.size() != rows) packed.assign(rows, 0);
  gScale = gMax > 0 ? gMax / kQuantLevels : 1.0;
  hScale = hMax > 0 ? hMax / kQuantLevels : 1.0;
  m_gInverse = float(1.0 / gScale);
  m_hInverse = float(1.0 / hScale);
  m_streamKey = std::uint32_t(splitMix64(stream));  // a copy: hashed, not advanced for anyone
}

void quantizeGradients(const GradientPair* gradients, std::span<const std::uint32_t> rows,
                       std::size_t totalRows, std::uint64_t stream, int threads,
                       QuantizedGradients& out) {
  float gMax = 0.0f, hMax = 0.0f;
  const std::size_t m = rows.size();
#pragma omp parallel for schedule(static) num_threads(std::max(1, threads)) \
    reduction(max : gMax, hMax)
  for (std::size_t i = 0; i < m; ++i) {
    const GradientPair& pair = gradients[rows[i]];
    gMax = std::max(gMax, std::fabs(pair.g));
    hMax = std::max(hMax, std::fabs(pair.h));
  }
  out.prepare(totalRows, gMax, hMax, stream);
#pragma omp parallel for schedule(static) num_threads(std::max(1, threads))
  for (std::size_t i = 0; i < m; ++i) out.quantize(rows[i], gradients[rows[i]]);
}

}  // namespace geih::ml
