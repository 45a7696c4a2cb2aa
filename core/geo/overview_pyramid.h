// Overviews built while a band is written, so no pass over the finished file is needed: each level
// halves the one below it (2 x 2 blocks; a last odd row or column makes a 1-wide block), fed the
// base rows in order. Float bands average the valid pixels of a block (nodata and NaN skipped;
// nodata, or NaN without one, when none is valid), byte bands take the block's top-left pixel
// (nearest, for classes). Level k is (size + 2^k - 1) / 2^k wide and high, GDAL's overview size
// for factor 2^k. Every finished row of every level goes to `sink`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace geih::geo {

template <typename T>
class OverviewPyramid {
 public:
  // sink(level 1.., row, values of that row)
  using Sink = std::function<void(int level, int row, const T* values)>;

  OverviewPyramid(int width, int levels, std::optional<double> nodata, Sink sink);

  // The next `rows` rows of the base (width values each), in order.
  void addRows(const T* values, int rows);
  // Emits the rows still waiting for a partner (the last odd row of each level).
  void finish();

 private:
  struct Level {
    int width = 0;              // of this level
    int rowsDone = 0;
    std::vector<T> pending;     // a row of the level below waiting for its partner
    bool hasPending = false;
    std::vector<T> out;
  };
  void feed(std::size_t level, const T* row);
  void emit(std::size_t level, const T* first, const T* second);

  std::vector<int> m_widths;  // m_widths[0] is the base
  std::vector<Level> m_levels;
  std::optional<double> m_nodata;
  Sink m_sink;
};

extern template class OverviewPyramid<float>;
extern template class OverviewPyramid<std::uint8_t>;

}  // namespace geih::geo
