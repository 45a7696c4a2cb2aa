// Internal to core/eval: scores split by class and sorted, walked as groups of tied scores in
// descending order. The one O(n log n) step behind ROC AUC, average precision and the curves.
#pragma once

#include <bit>
#include <cstdint>
#include <span>

namespace geih::eval::detail {

// Throws InputError when the spans differ in length or are empty, or a label or score is NaN.
void checkInputs(std::span<const double> labels, std::span<const double> scores,
                 const char* function);

// Order-preserving map of a double to an unsigned key (-0.0 and 0.0 share a key).
inline std::uint64_t sortKey(double value) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(value == 0.0 ? 0.0 : value);
  return (bits >> 63) ? ~bits : bits | (std::uint64_t(1) << 63);
}
inline double fromSortKey(std::uint64_t key) {
  return std::bit_cast<double>((key >> 63) ? key & ~(std::uint64_t(1) << 63) : ~key);
}

// An uninitialised array of 64-bit keys. Large ones are placed on transparent huge pages where
// the OS offers them: the sort touches every page once, and on virtual machines the page faults
// of fresh 4 KiB pages otherwise cost more than the sort itself.
class KeyBuffer {
 public:
  explicit KeyBuffer(std::size_t size);
  ~KeyBuffer();
  KeyBuffer(const KeyBuffer&) = delete;
  KeyBuffer& operator=(const KeyBuffer&) = delete;
  std::uint64_t* data() { return m_data; }

 private:
  std::uint64_t* m_data = nullptr;
};

class SortedScores {
 public:
  // Validates like checkInputs; `function` names the caller in error messages.
  SortedScores(std::span<const double> labels, std::span<const double> scores,
               const char* function);

  std::size_t positives() const { return m_positive.size(); }
  std::size_t negatives() const { return m_negative.size(); }

  // Calls visit(score, positivesAtScore, negativesAtScore) once per distinct score, highest first.
  template <typename Visit>
  void forEachGroup(Visit&& visit) const {
    std::size_t p = m_positive.size(), q = m_negative.size();  // walk from the back (largest)
    while (p > 0 || q > 0) {
      std::uint64_t key = 0;
      if (p > 0) key = m_positive[p - 1];
      if (q > 0 && (p == 0 || m_negative[q - 1] > key)) key = m_negative[q - 1];
      std::size_t pos = 0, neg = 0;
      while (p > 0 && m_positive[p - 1] == key) --p, ++pos;
      while (q > 0 && m_negative[q - 1] == key) --q, ++neg;
      visit(fromSortKey(key), pos, neg);
    }
  }

 private:
  KeyBuffer m_keys;
  KeyBuffer m_scratch;
  std::span<const std::uint64_t> m_positive;  // sort keys, ascending (in m_keys or m_scratch)
  std::span<const std::uint64_t> m_negative;
};

}  // namespace geih::eval::detail
