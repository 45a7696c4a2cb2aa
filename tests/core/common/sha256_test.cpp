#include "core/common/sha256.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/common/error.h"

namespace geih {
namespace {

// Test vectors from FIPS 180-4 / NIST CAVP examples.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, MillionAsInPiecesEqualsOneShot) {
  // NIST: one million 'a' characters.
  const std::string million(1'000'000, 'a');
  EXPECT_EQ(sha256Hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  Sha256 pieces;
  for (std::size_t offset = 0; offset < million.size(); offset += 997) {
    pieces.update(std::string_view(million).substr(offset, 997));
  }
  EXPECT_EQ(pieces.hexDigest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Both compression paths (the x86 SHA extensions when the CPU has them, and the portable code)
// give the NIST digests, in one piece and in odd-sized pieces.
TEST(Sha256Test, AcceleratedAndPortablePathsAgree) {
  const std::string million(1'000'000, 'a');
  const bool accelerated = sha256Accelerated();
  for (bool on : {false, true}) {
    setSha256Accelerated(on);
    EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Sha256 pieces;
    for (std::size_t offset = 0; offset < million.size(); offset += 4099) {
      pieces.update(std::string_view(million).substr(offset, 4099));
    }
    EXPECT_EQ(pieces.hexDigest(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
  setSha256Accelerated(true);
  EXPECT_EQ(sha256Accelerated(), accelerated);  // back to what the CPU offers
}

TEST(Sha256Test, FileHashMatchesBytesAndMissingFileNamesPath) {
  const auto path = std::filesystem::temp_directory_path() / "geih_sha256_test.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "abc";
  }
  EXPECT_EQ(sha256File(path), sha256Hex("abc"));
  std::filesystem::remove(path);
  try {
    sha256File(path);
    FAIL() << "expected IoError";
  } catch (const IoError& error) {
    EXPECT_NE(std::string(error.what()).find("geih_sha256_test.txt"), std::string::npos);
  }
}

}  // namespace
}  // namespace geih
