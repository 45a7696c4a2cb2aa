// A seeded, platform-independent random number generator (xoshiro256** seeded by splitmix64).
// Unlike std::*_distribution, every draw here is specified bit for bit, so the same seed gives
// the same data and the same models on every compiler and machine.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace geih {

// One step of splitmix64: advances `state` and returns a well-mixed 64-bit value of it (seeds
// Rng; also a hash of a number when the state is a copy).
std::uint64_t splitMix64(std::uint64_t& state);

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t nextU64();
  // Uniform in [0, 1) with 53 random bits.
  double uniform();
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Uniform integer in [0, n), unbiased (Lemire's method). n must be > 0.
  std::uint64_t below(std::uint64_t n);
  // Standard normal (Box-Muller, both values used).
  double normal();
  double normal(double mean, double stddev) { return mean + stddev * normal(); }
  bool bernoulli(double p) { return uniform() < p; }

  // Fisher-Yates shuffle.
  template <typename T>
  void shuffle(std::span<T> values) {
    for (std::size_t i = values.size(); i > 1; --i) {
      const std::size_t j = std::size_t(below(i));
      std::swap(values[i - 1], values[j]);
    }
  }
  template <typename T>
  void shuffle(std::vector<T>& values) {
    shuffle(std::span<T>(values));
  }

  // An independent generator for stream `index` (for per-thread or per-tree streams).
  Rng split(std::uint64_t index) const;

 private:
  std::uint64_t m_state[4];
  std::uint64_t m_seed;
  double m_spareNormal = 0.0;
  bool m_hasSpare = false;
};

}  // namespace geih
