#include "core/ml/tree_histogram.h"

#include <algorithm>

#include <immintrin.h>

#include <omp.h>

namespace geih::ml {
namespace {

// Below this many row x feature updates the threads cost more than they save.
constexpr std::size_t kParallelWork = 1 << 16;

constexpr std::size_t kRowBlock = 4096;
// Nodes with more rows are summed in chunks of this many rows, one chunk per task.
constexpr std::size_t kChunkRows = 1 << 16;

// One block's gradients as {g, h, 1, 0} rows, the shape of a histogram bin.
struct alignas(32) BlockRow {
  double values[4];
};

void loadBlock(const GradientPair* gradients, const std::uint32_t* rows, bool allRows,
               std::size_t begin, std::size_t end, BlockRow* out) {
  for (std::size_t i = begin; i < end; ++i) {
    const GradientPair& pair = gradients[allRows ? i : rows[i]];
    out[i - begin] = {{double(pair.g), double(pair.h), 1.0, 0.0}};
  }
}

template <bool kAllRows>
void accumulateScalar(const std::uint8_t* column, const std::uint32_t* rows, std::size_t begin,
                      std::size_t end, const BlockRow* block, HistBin* out) {
  for (std::size_t i = begin; i < end; ++i) {
    HistBin& bin = out[kAllRows ? column[i] : column[rows[i]]];
    const BlockRow& row = block[i - begin];
    bin.g += row.values[0];
    bin.h += row.values[1];
    bin.count += row.values[2];
  }
}

template <bool kAllRows>
__attribute__((target("avx2"))) void accumulateAvx2(const std::uint8_t* column,
                                                    const std::uint32_t* rows, std::size_t begin,
                                                    std::size_t end, const BlockRow* block,
                                                    HistBin* out) {
  for (std::size_t i = begin; i < end; ++i) {
    double* bin = &out[kAllRows ? column[i] : column[rows[i]]].g;
    _mm256_store_pd(bin, _mm256_add_pd(_mm256_load_pd(bin), _mm256_load_pd(block[i - begin].values)));
  }
}

const bool kHasAvx2 = __builtin_cpu_supports("avx2");

// Adds rows [begin, end) of the node (their gradients in `block`) to one feature's histogram.
void accumulate(const std::uint8_t* column, const std::uint32_t* rows, bool allRows,
                std::size_t begin, std::size_t end, const BlockRow* block, HistBin* out) {
  if (kHasAvx2) {
    allRows ? accumulateAvx2<true>(column, rows, begin, end, block, out)
            : accumulateAvx2<false>(column, rows, begin, end, block, out);
  } else {
    allRows ? accumulateScalar<true>(column, rows, begin, end, block, out)
            : accumulateScalar<false>(column, rows, begin, end, block, out);
  }
}

}  // namespace

void buildHistograms(const BinnedMatrix& matrix, std::span<const std::uint32_t> rows,
                     bool allRows, const GradientPair* gradients,
                     std::span<const std::int32_t> features, HistBin* out, int threads) {
  const std::size_t m = rows.size();
  const std::size_t width = features.size() * kHistBins;
  const std::size_t chunks = std::max<std::size_t>(1, (m + kChunkRows - 1) / kChunkRows);
  // Rows [from, to) into `target`, all features, a block of gathered gradients at a time.
  auto fill = [&](std::size_t from, std::size_t to, HistBin* target, std::size_t firstFeature,
                  std::size_t featureStep) {
    for (std::size_t k = firstFeature; k < features.size(); k += featureStep) {
      std::fill(target + k * kHistBins, target + (k + 1) * kHistBins, HistBin{});
    }
    thread_local std::vector<BlockRow> block(kRowBlock);
    for (std::size_t begin = from; begin < to; begin += kRowBlock) {
      const std::size_t end = std::min(to, begin + kRowBlock);
      loadBlock(gradients, rows.data(), allRows, begin, end, block.data());
      for (std::size_t k = firstFeature; k < features.size(); k += featureStep) {
        accumulate(matrix.column(std::size_t(features[k])), rows.data(), allRows, begin, end,
                   block.data(), target + k * kHistBins);
      }
    }
  };
  if (chunks == 1) {
    // One chunk: features are dealt to the threads, each sums its features over all the rows.
    const int teams = m * features.size() >= kParallelWork
                          ? std::max(1, std::min<int>(threads, int(features.size())))
                          : 1;
#pragma omp parallel num_threads(teams) if (teams > 1)
    fill(0, m, out, std::size_t(omp_get_thread_num()), std::size_t(omp_get_num_threads()));
    return;
  }
  // Several fixed-size chunks of rows, summed separately (in parallel) and then added in chunk
  // order: the order depends on the row count only, never on the threads.
  // Grown, never shrunk: resizing back up would zero-fill megabytes for every large node.
  thread_local std::vector<HistBin> partials;
  if (partials.size() < (chunks - 1) * width) partials.resize((chunks - 1) * width);
  HistBin* partial = partials.data();
#pragma omp parallel for schedule(dynamic, 1) num_threads(std::max(1, threads))
  for (std::size_t c = 0; c < chunks; ++c) {
    fill(c * kChunkRows, std::min(m, (c + 1) * kChunkRows), c == 0 ? out : partial + (c - 1) * width,
         0, 1);
  }
#pragma omp parallel for schedule(static) num_threads(std::max(1, threads))
  for (std::size_t k = 0; k < features.size(); ++k) {
    for (std::size_t c = 1; c < chunks; ++c) {
      const HistBin* from = partial + (c - 1) * width + k * kHistBins;
      HistBin* to = out + k * kHistBins;
      for (std::size_t bin = 0; bin < kHistBins; ++bin) {
        to[bin].g += from[bin].g;
        to[bin].h += from[bin].h;
        to[bin].count += from[bin].count;
      }
    }
  }
}

void subtractHistogram(HistBin* parent, const HistBin* child, std::size_t bins) {
  for (std::size_t b = 0; b < bins; ++b) {
    parent[b].g -= child[b].g;
    parent[b].h -= child[b].h;
    parent[b].count -= child[b].count;
  }
}

}  // namespace geih::ml
