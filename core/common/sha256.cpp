#include "core/common/sha256.h"

#include <cstring>
#include <fstream>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GEIH_SHA_NI 1
#endif
#include <vector>

#include "core/common/error.h"

namespace geih {
namespace {

constexpr std::array<std::uint32_t, 64> kRoundConstants = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

#ifdef GEIH_SHA_NI
// The x86 SHA extensions: two rounds per instruction on a state kept as {A,B,E,F} and
// {C,D,G,H}, the message schedule four words at a time. About 5x the portable code; used when
// the CPU has them (checked once), with the portable compress() otherwise. Both give the same
// digest (tests check the FIPS vectors and a long message on whichever path runs).
__attribute__((target("sha,sse4.1,ssse3"))) void compressBlocksShaNi(std::uint32_t* state,
                                                                     const std::uint8_t* data,
                                                                     std::size_t blocks) {
  // Big-endian words: reverse the bytes of each 32-bit lane.
  const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  const __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  const __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  for (std::size_t block = 0; block < blocks; ++block, data += 64) {
    const __m128i abefStart = abef;
    const __m128i cdghStart = cdgh;
    __m128i w[4];
    for (int i = 0; i < 4; ++i) {
      w[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)), byteSwap);
    }
    for (int group = 0; group < 16; ++group) {
      __m128i& words = w[group & 3];
      if (group >= 4) {
        // W[t..t+3] from W[t-16..t-1]: σ0 terms (msg1), W[t-7..t-4], then σ1 terms (msg2).
        const __m128i previous = w[(group - 1) & 3];
        const __m128i before = w[(group - 2) & 3];
        words = _mm_sha256msg2_epu32(
            _mm_add_epi32(_mm_sha256msg1_epu32(words, w[(group - 3) & 3]), _mm_alignr_epi8(previous, before, 4)),
            previous);
      }
      __m128i input = _mm_add_epi32(
          words, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kRoundConstants.data() + 4 * group)));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, input);
      input = _mm_shuffle_epi32(input, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, input);
    }
    abef = _mm_add_epi32(abef, abefStart);
    cdgh = _mm_add_epi32(cdgh, cdghStart);
  }
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

bool cpuHasShaNi() {
  static const bool has = __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
  return has;
}
bool g_useShaNi = true;
bool hasShaNi() { return g_useShaNi && cpuHasShaNi(); }
#endif

}  // namespace

bool sha256Accelerated() {
#ifdef GEIH_SHA_NI
  return hasShaNi();
#else
  return false;
#endif
}

void setSha256Accelerated(bool on) {
#ifdef GEIH_SHA_NI
  g_useShaNi = on;
#else
  (void)on;
#endif
}

Sha256::Sha256()
    : m_state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
              0x5be0cd19} {}

void Sha256::compress(const std::uint8_t* block) {
#ifdef GEIH_SHA_NI
  if (hasShaNi()) {
    compressBlocksShaNi(m_state.data(), block, 1);
    return;
  }
#endif
  std::uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = (std::uint32_t(block[4 * i]) << 24) | (std::uint32_t(block[4 * i + 1]) << 16) |
           (std::uint32_t(block[4 * i + 2]) << 8) | std::uint32_t(block[4 * i + 3]);
  }
  for (int i = 16; i < 64; ++i) {
    const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  std::uint32_t a = m_state[0], b = m_state[1], c = m_state[2], d = m_state[3];
  std::uint32_t e = m_state[4], f = m_state[5], g = m_state[6], h = m_state[7];
  for (int i = 0; i < 64; ++i) {
    const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const std::uint32_t choose = (e & f) ^ (~e & g);
    const std::uint32_t t1 = h + s1 + choose + kRoundConstants[i] + w[i];
    const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
    const std::uint32_t t2 = s0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  m_state[0] += a;
  m_state[1] += b;
  m_state[2] += c;
  m_state[3] += d;
  m_state[4] += e;
  m_state[5] += f;
  m_state[6] += g;
  m_state[7] += h;
}

void Sha256::update(const void* data, std::size_t size) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  m_totalBytes += size;
  if (m_buffered > 0) {
    const std::size_t take = std::min(size, 64 - m_buffered);
    std::memcpy(m_buffer.data() + m_buffered, bytes, take);
    m_buffered += take;
    bytes += take;
    size -= take;
    if (m_buffered < 64) return;
    compress(m_buffer.data());
    m_buffered = 0;
  }
#ifdef GEIH_SHA_NI
  if (size >= 64 && hasShaNi()) {
    compressBlocksShaNi(m_state.data(), bytes, size / 64);
    bytes += size / 64 * 64;
    size %= 64;
  }
#endif
  while (size >= 64) {
    compress(bytes);
    bytes += 64;
    size -= 64;
  }
  std::memcpy(m_buffer.data(), bytes, size);
  m_buffered = size;
}

std::array<std::uint8_t, 32> Sha256::digest() {
  const std::uint64_t bitLength = m_totalBytes * 8;
  const std::uint8_t pad = 0x80;
  update(&pad, 1);
  const std::uint8_t zero = 0;
  while (m_buffered != 56) update(&zero, 1);
  std::uint8_t lengthBytes[8];
  for (int i = 0; i < 8; ++i) lengthBytes[i] = std::uint8_t(bitLength >> (56 - 8 * i));
  update(lengthBytes, 8);
  std::array<std::uint8_t, 32> out{};
  for (int i = 0; i < 8; ++i) {
    out[4 * i] = std::uint8_t(m_state[i] >> 24);
    out[4 * i + 1] = std::uint8_t(m_state[i] >> 16);
    out[4 * i + 2] = std::uint8_t(m_state[i] >> 8);
    out[4 * i + 3] = std::uint8_t(m_state[i]);
  }
  return out;
}

std::string Sha256::hexDigest() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(64);
  for (std::uint8_t byte : digest()) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

std::string sha256Hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hexDigest();
}

std::string sha256FileUnless(const std::filesystem::path& path, const std::atomic<bool>& stop) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open '" + path.string() + "' for reading");
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  while (in) {
    if (stop.load(std::memory_order_relaxed)) return {};
    in.read(buffer.data(), std::streamsize(buffer.size()));
    hash.update(buffer.data(), std::size_t(in.gcount()));
  }
  if (in.bad()) throw IoError("error while reading '" + path.string() + "'");
  return hash.hexDigest();
}

std::string sha256File(const std::filesystem::path& path) {
  const std::atomic<bool> never{false};
  return sha256FileUnless(path, never);
}

}  // namespace geih
