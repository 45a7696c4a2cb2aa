#include "core/common/rng.h"

#include <cmath>
#include <numbers>

namespace geih {
std::uint64_t splitMix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) : m_seed(seed) {
  std::uint64_t x = seed;
  for (auto& word : m_state) word = splitMix64(x);
}

std::uint64_t Rng::nextU64() {
  const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
  const std::uint64_t t = m_state[1] << 17;
  m_state[2] ^= m_state[0];
  m_state[3] ^= m_state[1];
  m_state[1] ^= m_state[2];
  m_state[0] ^= m_state[3];
  m_state[2] ^= t;
  m_state[3] = rotl(m_state[3], 45);
  return result;
}

double Rng::uniform() { return double(nextU64() >> 11) * 0x1.0p-53; }

std::uint64_t Rng::below(std::uint64_t n) {
  unsigned __int128 product = (unsigned __int128)nextU64() * n;
  std::uint64_t low = std::uint64_t(product);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      product = (unsigned __int128)nextU64() * n;
      low = std::uint64_t(product);
    }
  }
  return std::uint64_t(product >> 64);
}

double Rng::normal() {
  if (m_hasSpare) {
    m_hasSpare = false;
    return m_spareNormal;
  }
  double u1 = uniform();
  while (u1 <= 0.0) u1 = uniform();
  const double u2 = uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1));
  const double angle = 2.0 * std::numbers::pi * u2;
  m_spareNormal = radius * std::sin(angle);
  m_hasSpare = true;
  return radius * std::cos(angle);
}

Rng Rng::split(std::uint64_t index) const {
  std::uint64_t x = m_seed ^ (0xd1b54a32d192ed03ULL * (index + 1));
  return Rng(splitMix64(x));
}

}  // namespace geih
