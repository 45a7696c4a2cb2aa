// SHA-256 (FIPS 180-4), incremental. Used for dataset hashes and content-addressed artifacts.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace geih {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  // Finishes the hash; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();
  std::string hexDigest();

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> m_state;
  std::array<std::uint8_t, 64> m_buffer{};
  std::size_t m_buffered = 0;
  std::uint64_t m_totalBytes = 0;
};

// Whether the x86 SHA extensions are used (when the CPU has them). For tests, which check both
// paths give the FIPS digests; not thread-safe against running hashes.
bool sha256Accelerated();
void setSha256Accelerated(bool on);

// Lower-case hex SHA-256 of a byte string.
std::string sha256Hex(std::string_view bytes);
// Lower-case hex SHA-256 of a file's contents, streamed. Throws IoError naming the path.
std::string sha256File(const std::filesystem::path& path);
// The same, giving up (returning "") as soon as `stop` is set; for hashing beside other work.
std::string sha256FileUnless(const std::filesystem::path& path, const std::atomic<bool>& stop);

}  // namespace geih
