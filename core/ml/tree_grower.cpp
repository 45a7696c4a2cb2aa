#include "core/ml/tree_grower.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

namespace geih::ml {
namespace {

// Histograms kept alive for subtraction at most this many open leaves at once; beyond it a leaf
// drops its histograms after finding its split and its children are built directly.
constexpr std::size_t kMaxHeldHistograms = 128;
// Nodes with fewer rows are partitioned by one thread.
constexpr std::size_t kParallelPartition = 1 << 15;
// Nodes with at most this many rows find splits from the bins their rows touch (per-node feature
// sampling only, where no histogram is kept for subtraction).
constexpr std::size_t kSparseRows = 128;

struct OpenLeaf {
  std::int32_t node = 0;
  std::size_t begin = 0, end = 0;
  int depth = 0;
  NodeTotals totals;
  SplitCandidate best;
  std::vector<HistBin> histogram;  // features x kHistBins while needed
  bool held = false;               // counted among the histograms kept for subtraction
  std::uint64_t order = 0;         // creation order: ties in gain split the older leaf first
};

struct ByGain {
  bool operator()(const std::unique_ptr<OpenLeaf>& a, const std::unique_ptr<OpenLeaf>& b) const {
    if (a->best.gain != b->best.gain) return a->best.gain < b->best.gain;
    return a->order > b->order;
  }
};

class Grower {
 public:
  Grower(const BinnedMatrix& matrix, const GradientPair* gradients,
         std::vector<std::uint32_t>& rows, bool allRows, std::span<const std::int32_t> features,
         const GrowerParams& params, Rng& rng, const QuantizedInputs* quantized)
      : m_matrix(matrix), m_gradients(gradients), m_rows(rows), m_allRows(allRows),
        m_features(features.begin(), features.end()), m_params(params), m_rng(rng),
        m_quantized(quantized) {}

  GrownTree grow() {
    auto root = std::make_unique<OpenLeaf>();
    root->end = m_rows.size();
    m_result.tree.nodes.emplace_back();
    prepare(*root, nullptr, m_allRows, true);
    settle(*root);
    finishOrQueue(std::move(root));
    int leaves = 1;
    while (!m_queue.empty() && (m_params.maxLeaves <= 0 || leaves < m_params.maxLeaves)) {
      split(popBest());
      ++leaves;
    }
    while (!m_queue.empty()) closeLeaf(*popBest());
    return std::move(m_result);
  }

 private:
  bool subtraction() const { return m_params.featuresPerNode <= 0; }

  std::span<const std::uint32_t> rowsOf(const OpenLeaf& leaf) const {
    return std::span<const std::uint32_t>(m_rows).subspan(leaf.begin, leaf.end - leaf.begin);
  }

  bool splittable(const OpenLeaf& leaf) const {
    if (m_params.maxDepth > 0 && leaf.depth >= m_params.maxDepth) return false;
    return leaf.totals.count >= 2 * m_params.rules.minChildSamples &&
           leaf.totals.count >= std::max(2.0, m_params.minSamplesSplit);
  }

  // Histograms (when the leaf can split, or `force`) and the best split of a new leaf; the root's
  // totals come from its histograms. `ready`: histograms subtraction already produced.
  // `search` false leaves the split search to the caller (searchSplits on m_features).
  void prepare(OpenLeaf& leaf, std::vector<HistBin>* ready, bool allRows, bool force,
               bool search = true) {
    leaf.order = m_nextOrder++;
    std::vector<std::int32_t> sampled;
    std::span<const std::int32_t> features = m_features;
    if (!subtraction()) {
      sampled = m_features;
      const std::size_t k = std::min(sampled.size(), std::size_t(m_params.featuresPerNode));
      for (std::size_t i = 0; i < k; ++i) {
        std::swap(sampled[i], sampled[i + std::size_t(m_rng.below(sampled.size() - i))]);
      }
      sampled.resize(k);
      std::sort(sampled.begin(), sampled.end());
      features = sampled;
    }
    const bool canSplit = leaf.node == 0 ? true : splittable(leaf);
    if (!subtraction() && leaf.node != 0 && leaf.end - leaf.begin <= kSparseRows) {
      if (canSplit) findSparse(leaf, features);
      return;
    }
    if (ready) {
      leaf.histogram = std::move(*ready);
    } else if (canSplit || force) {
      leaf.histogram = acquireHistogram(features.size());
      if (m_quantized) {
        buildQuantizedHistograms(*m_quantized->bins, rowsOf(leaf), allRows,
                                 *m_quantized->gradients, features, leaf.histogram.data(),
                                 m_params.threads);
      } else {
        buildHistograms(m_matrix, rowsOf(leaf), allRows, m_gradients, features,
                        leaf.histogram.data(), m_params.threads);
      }
    }
    if (leaf.node == 0) {
      // Every row falls in exactly one bin of the first feature.
      NodeTotals totals;
      for (std::size_t b = 0; b < kHistBins; ++b) {
        totals.g += leaf.histogram[b].g;
        totals.h += leaf.histogram[b].h;
        totals.count += leaf.histogram[b].count;
      }
      leaf.totals = totals;
    }
    if (search) searchSplits(leaf, features);
  }

  // The best split of a leaf whose histograms (of `features`) are built.
  void searchSplits(OpenLeaf& leaf, std::span<const std::int32_t> features) const {
    if (!splittable(leaf)) return;
    for (std::size_t k = 0; k < features.size(); ++k) {
      const std::int32_t feature = features[k];
      SplitCandidate candidate =
          findBestSplit(leaf.histogram.data() + k * kHistBins, m_matrix.bins(std::size_t(feature)),
                        feature, leaf.totals, m_params.rules);
      if (candidate.valid && (!leaf.best.valid || candidate.gain > leaf.best.gain)) {
        leaf.best = candidate;
      }
    }
  }

  // The best split of a small node without dense histograms: each feature's rows go into a
  // scratch histogram that is all zeros between uses, and only the bins they touch are read and
  // reset. The sums and candidates are those of the dense path.
  void findSparse(OpenLeaf& leaf, std::span<const std::int32_t> features) {
    static thread_local std::vector<HistBin> scratch(kHistBins);
    std::array<std::uint8_t, kSparseRows> occupied;
    const std::span<const std::uint32_t> rows = rowsOf(leaf);
    for (const std::int32_t feature : features) {
      const std::uint8_t* column = m_matrix.column(std::size_t(feature));
      std::size_t touched = 0;
      for (const std::uint32_t row : rows) {
        const std::uint8_t bin = column[row];
        HistBin& slot = scratch[bin];
        if (slot.count == 0) occupied[touched++] = bin;
        slot.g += double(m_gradients[row].g);
        slot.h += double(m_gradients[row].h);
        slot.count += 1.0;
      }
      std::sort(occupied.begin(), occupied.begin() + std::ptrdiff_t(touched));
      const SplitCandidate candidate = findBestSplit(
          scratch.data(), m_matrix.bins(std::size_t(feature)), feature, leaf.totals,
          m_params.rules, std::span<const std::uint8_t>(occupied.data(), touched));
      for (std::size_t i = 0; i < touched; ++i) scratch[occupied[i]] = HistBin{};
      if (candidate.valid && (!leaf.best.valid || candidate.gain > leaf.best.gain)) {
        leaf.best = candidate;
      }
    }
  }

  // Keeps the leaf's histograms for a later subtraction, or frees them.
  void settle(OpenLeaf& leaf) {
    if (leaf.histogram.empty()) return;
    if (subtraction() && leaf.best.valid && m_held < kMaxHeldHistograms) {
      ++m_held;
      leaf.held = true;
    } else {
      release(leaf);
    }
  }

  void release(OpenLeaf& leaf) {
    if (leaf.held) --m_held;
    leaf.held = false;
    if (!leaf.histogram.empty()) histogramPool().push_back(std::move(leaf.histogram));
    leaf.histogram = {};
  }

  // Histogram buffers are recycled across nodes and trees of this thread: no zero-filling on
  // allocation (buildHistograms overwrites them) and no fresh pages per node.
  static std::vector<std::vector<HistBin>>& histogramPool() {
    static thread_local std::vector<std::vector<HistBin>> pool;
    return pool;
  }
  static std::vector<HistBin> acquireHistogram(std::size_t features) {
    std::vector<std::vector<HistBin>>& pool = histogramPool();
    std::vector<HistBin> buffer;
    if (!pool.empty()) {
      buffer = std::move(pool.back());
      pool.pop_back();
    }
    buffer.resize(features * kHistBins);
    return buffer;
  }

  std::unique_ptr<OpenLeaf> popBest() {
    std::pop_heap(m_queue.begin(), m_queue.end(), ByGain{});
    std::unique_ptr<OpenLeaf> leaf = std::move(m_queue.back());
    m_queue.pop_back();
    return leaf;
  }

  void finishOrQueue(std::unique_ptr<OpenLeaf> leaf) {
    if (leaf->best.valid) {
      m_queue.push_back(std::move(leaf));
      std::push_heap(m_queue.begin(), m_queue.end(), ByGain{});
    } else {
      closeLeaf(*leaf);
    }
  }

  double leafValue(const NodeTotals& totals) const {
    if (m_params.leafOutput == LeafOutput::Newton) {
      return -totals.g / (totals.h + m_params.rules.lambda);
    }
    return totals.h > 0 ? totals.g / totals.h : 0.0;
  }

  void closeLeaf(OpenLeaf& leaf) {
    release(leaf);
    TreeNode& node = m_result.tree.nodes[std::size_t(leaf.node)];
    node.value = leafValue(leaf.totals);
    node.cover = leaf.totals.h;
    m_result.leaves.push_back({leaf.node, leaf.begin, leaf.end});
  }

  // Stable partition of the leaf's rows by its best split: left rows first, both sides in row
  // order (a unique result, however many threads compute it). Returns the number going left.
  std::size_t partition(const OpenLeaf& leaf) {
    const SplitCandidate& best = leaf.best;
    std::array<std::uint8_t, kHistBins> left{};
    for (std::size_t bin = 0; bin < kHistBins; ++bin) {
      left[bin] = bin == kMissingBin ? best.defaultLeft
                  : best.categorical ? contains(best.leftCategories, unsigned(bin))
                                     : bin <= best.bin;
    }
    const std::uint8_t* column = m_matrix.column(std::size_t(best.feature));
    const std::size_t count = leaf.end - leaf.begin;
    std::uint32_t* rows = m_rows.data() + leaf.begin;
    m_scratchLeft.resize(count);
    m_scratchRight.resize(count);
    const int chunks = count >= kParallelPartition ? std::max(1, m_params.threads) : 1;
    std::vector<std::size_t> lefts(static_cast<std::size_t>(chunks), 0);
    std::vector<std::size_t> rights(static_cast<std::size_t>(chunks), 0);
    auto chunkBegin = [&](int c) { return count * std::size_t(c) / std::size_t(chunks); };
#pragma omp parallel for num_threads(chunks) if (chunks > 1)
    for (int c = 0; c < chunks; ++c) {
      const std::size_t from = chunkBegin(c), to = chunkBegin(c + 1);
      std::uint32_t* l = m_scratchLeft.data() + from;
      std::uint32_t* r = m_scratchRight.data() + from;
      std::size_t nl = 0, nr = 0;
      for (std::size_t i = from; i < to; ++i) {
        const std::uint32_t row = rows[i];
        const std::size_t goLeft = left[column[row]];
        l[nl] = row;
        r[nr] = row;
        nl += goLeft;
        nr += 1 - goLeft;
      }
      lefts[std::size_t(c)] = nl;
      rights[std::size_t(c)] = nr;
    }
    std::size_t leftTotal = 0;
    for (const std::size_t nl : lefts) leftTotal += nl;
#pragma omp parallel for num_threads(chunks) if (chunks > 1)
    for (int c = 0; c < chunks; ++c) {
      std::size_t leftAt = 0, rightAt = leftTotal;
      for (int before = 0; before < c; ++before) {
        leftAt += lefts[std::size_t(before)];
        rightAt += rights[std::size_t(before)];
      }
      const std::size_t from = chunkBegin(c);
      std::copy_n(m_scratchLeft.data() + from, lefts[std::size_t(c)], rows + leftAt);
      std::copy_n(m_scratchRight.data() + from, rights[std::size_t(c)], rows + rightAt);
    }
    return leftTotal;
  }

  void split(std::unique_ptr<OpenLeaf> leaf) {
    const SplitCandidate& best = leaf->best;
    const std::size_t write = leaf->begin + partition(*leaf);

    const auto leftId = std::int32_t(m_result.tree.nodes.size());
    m_result.tree.nodes.emplace_back();
    m_result.tree.nodes.emplace_back();
    TreeNode& node = m_result.tree.nodes[std::size_t(leaf->node)];
    node.feature = best.feature;
    node.left = leftId;
    node.right = leftId + 1;
    node.defaultLeft = best.defaultLeft;
    node.gain = best.gain;
    node.cover = leaf->totals.h;
    node.value = leafValue(leaf->totals);
    const FeatureBins& bins = m_matrix.bins(std::size_t(best.feature));
    if (best.categorical) {
      node.categorySet = std::int32_t(m_result.tree.categorySets.size());
      m_result.tree.categorySets.push_back(best.leftCategories);
    } else {
      node.binThreshold = best.bin;
      const double bound = bins.upperBounds[best.bin];
      node.threshold = std::isinf(bound) ? std::numeric_limits<double>::max() : bound;
    }

    auto left = std::make_unique<OpenLeaf>();
    auto right = std::make_unique<OpenLeaf>();
    left->node = leftId;
    right->node = leftId + 1;
    left->begin = leaf->begin;
    left->end = write;
    right->begin = write;
    right->end = leaf->end;
    left->depth = right->depth = leaf->depth + 1;
    left->totals = best.left;
    right->totals = best.right;

    const bool keepGoing = splittable(*left) || splittable(*right);
    if (!keepGoing) {
      release(*leaf);
      closeLeaf(*left);
      closeLeaf(*right);
      return;
    }
    if (subtraction() && !leaf->histogram.empty()) {
      OpenLeaf& small = left->totals.count <= right->totals.count ? *left : *right;
      OpenLeaf& large = &small == left.get() ? *right : *left;
      prepare(small, nullptr, false, true, false);
      subtractHistogram(leaf->histogram.data(), small.histogram.data(), leaf->histogram.size());
      if (leaf->held) --m_held;
      leaf->held = false;
      prepare(large, &leaf->histogram, false, false, false);
      // The two searches are independent: one per thread.
      OpenLeaf* children[2] = {&small, &large};
#pragma omp parallel for schedule(static, 1) num_threads(2) if (m_params.threads > 1)
      for (int c = 0; c < 2; ++c) searchSplits(*children[c], m_features);
      settle(small);
      settle(large);
    } else {
      release(*leaf);
      prepare(*left, nullptr, false, false);
      prepare(*right, nullptr, false, false);
      settle(*left);
      settle(*right);
    }
    finishOrQueue(std::move(left));
    finishOrQueue(std::move(right));
  }

  const BinnedMatrix& m_matrix;
  const GradientPair* m_gradients;
  std::vector<std::uint32_t>& m_rows;
  bool m_allRows;
  std::vector<std::int32_t> m_features;
  const GrowerParams& m_params;
  Rng& m_rng;
  const QuantizedInputs* m_quantized;
  GrownTree m_result;
  std::vector<std::unique_ptr<OpenLeaf>> m_queue;  // a max-heap by ByGain
  std::vector<std::uint32_t> m_scratchLeft, m_scratchRight;
  std::size_t m_held = 0;
  std::uint64_t m_nextOrder = 0;
};

}  // namespace

GrownTree growTree(const BinnedMatrix& matrix, const GradientPair* gradients,
                   std::vector<std::uint32_t>& rows, bool allRows,
                   std::span<const std::int32_t> features, const GrowerParams& params, Rng& rng,
                   const QuantizedInputs* quantized) {
  return Grower(matrix, gradients, rows, allRows, features, params, rng, quantized).grow();
}

}  // namespace geih::ml
