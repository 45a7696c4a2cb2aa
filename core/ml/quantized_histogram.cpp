#include "core/ml/quantized_histogram.h"

#include <algorithm>

#include <omp.h>

namespace geih::ml {
namespace {

// Below this many row x feature updates one thread does the whole node.
constexpr std::size_t kParallelWork = 1 << 16;
// Gathered rows are prefetched this many rows ahead (their bins and their gradient).
constexpr std::size_t kPrefetchDistance = 16;

struct WideBin {
  std::int64_t g = 0, h = 0, count = 0;

  void addPacked(std::int64_t packed) {
    g += packedGradientSum(packed);
    h += packedHessianSum(packed);
    count += packedCount(packed);
  }
  void add(const WideBin& other) {
    g += other.g;
    h += other.h;
    count += other.count;
  }
};

// Adds rows [begin, end) (at most kPackedChunkRows) to the packed histograms of every feature.
template <bool kAllRows>
void accumulate(const RowMajorBins& bins, const std::uint32_t* rows, std::size_t begin,
                std::size_t end, const std::int64_t* packed, std::int64_t* hist) {
  const std::size_t p = bins.features();
  const std::uint8_t* data = bins.data();
  for (std::size_t i = begin; i < end; ++i) {
    const std::size_t row = kAllRows ? i : rows[i];
    if constexpr (!kAllRows) {
      if (i + kPrefetchDistance < end) {
        const std::size_t ahead = rows[i + kPrefetchDistance];
        __builtin_prefetch(data + ahead * p);
        __builtin_prefetch(packed + ahead);
      }
    }
    const std::int64_t value = packed[row];
    const std::uint8_t* rowBins = data + row * p;
#pragma GCC unroll 8
    for (std::size_t f = 0; f < p; ++f) hist[f * kHistBins + rowBins[f]] += value;
  }
}


// One team's sums over its rows: the last chunk still packed, earlier chunks (if any) in wide.
struct TeamSums {
  std::int64_t* packed;
  WideBin* wide;
  bool hasWide = false;
};

// Sums rows [from, to) into `team`, a packed chunk at a time.
void sumRange(const RowMajorBins& bins, const std::uint32_t* rows, bool allRows, std::size_t from,
              std::size_t to, const std::int64_t* packed, std::size_t width, TeamSums& team) {
  for (std::size_t begin = from;; begin += kPackedChunkRows) {
    const std::size_t end = std::min(to, begin + kPackedChunkRows);
    std::fill(team.packed, team.packed + width, 0);
    allRows ? accumulate<true>(bins, rows, begin, end, packed, team.packed)
            : accumulate<false>(bins, rows, begin, end, packed, team.packed);
    if (end == to) return;
    // More rows follow: this chunk's sums move to the wide bins before a field could overflow.
    if (!team.hasWide) std::fill(team.wide, team.wide + width, WideBin{});
    team.hasWide = true;
    for (std::size_t b = 0; b < width; ++b) team.wide[b].addPacked(team.packed[b]);
  }
}

}  // namespace

RowMajorBins::RowMajorBins(const BinnedMatrix& matrix, int threads)
    : m_rows(matrix.rows()), m_features(matrix.features()), m_data(m_rows * m_features) {
  constexpr std::size_t kBlock = 4096;
  const std::size_t blocks = (m_rows + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) num_threads(std::max(1, threads))
  for (std::size_t block = 0; block < blocks; ++block) {
    const std::size_t begin = block * kBlock, end = std::min(m_rows, begin + kBlock);
    for (std::size_t f = 0; f < m_features; ++f) {
      const std::uint8_t* column = matrix.column(f);
      for (std::size_t row = begin; row < end; ++row) m_data[row * m_features + f] = column[row];
    }
  }
}

void buildQuantizedHistograms(const RowMajorBins& bins, std::span<const std::uint32_t> rows,
                              bool allRows, const QuantizedGradients& gradients,
                              std::span<const std::int32_t> features, HistBin* out, int threads) {
  const std::size_t m = rows.size();
  const std::size_t width = bins.features() * kHistBins;
  const int teams = m * bins.features() >= kParallelWork ? std::max(1, threads) : 1;
  // Per team buffers, grown and never shrunk (no fresh zero-filled pages per node).
  thread_local std::vector<std::int64_t> packedBuffer;
  thread_local std::vector<WideBin> wideBuffer;
  if (packedBuffer.size() < std::size_t(teams) * width) {
    packedBuffer.resize(std::size_t(teams) * width);
    wideBuffer.resize(std::size_t(teams) * width);
  }
  std::vector<TeamSums> sums(std::size_t(teams), TeamSums{});
  for (std::size_t t = 0; t < sums.size(); ++t) {
    sums[t] = {packedBuffer.data() + t * width, wideBuffer.data() + t * width, false};
  }
  int used = 1;
#pragma omp parallel num_threads(teams) if (teams > 1)
  {
    const auto team = std::size_t(omp_get_thread_num());
    const auto count = std::size_t(omp_get_num_threads());
    if (team == 0) used = int(count);
    sumRange(bins, rows.data(), allRows, m * team / count, m * (team + 1) / count,
             gradients.packed.data(), width, sums[team]);
  }
  for (std::size_t k = 0; k < features.size(); ++k) {
    const std::size_t source = std::size_t(features[k]) * kHistBins;
    HistBin* target = out + k * kHistBins;
    for (std::size_t b = 0; b < kHistBins; ++b) {
      WideBin sum;
      for (int t = 0; t < used; ++t) {
        const TeamSums& team = sums[std::size_t(t)];
        sum.addPacked(team.packed[source + b]);
        if (team.hasWide) sum.add(team.wide[source + b]);
      }
      target[b] = {double(sum.g) * gradients.gScale, double(sum.h) * gradients.hScale,
                   double(sum.count), 0.0};
    }
  }
}

}  // namespace geih::ml
