// exp for non-positive arguments in straight-line arithmetic that vectorises, shared by the
// pixel loops (LinearForm) and the tests that check their bits.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

namespace geih::ml {

// exp(x) for x <= 0 to within a few units in the last place, in straight-line arithmetic
// that vectorises (the library's exp is a call per value): x = k ln2 + r with |r| <= ln2 / 2,
// exp(r) by its Taylor series to r^13 (remainder below 1e-17), times 2^k built in the exponent
// bits. Below -708 (where 2^k would leave the normal range) the result is exp(-708) ~ 3e-308,
// which no probability map can tell from 0.
inline double expNonPositive(double x) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2High = 0.693147180369123816490;  // ln 2 with the low bits cleared
  constexpr double kLn2Low = 1.90821492927058770002e-10;
  constexpr double kRound = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  x = std::max(x, -708.0);
  const double shifted = x * kLog2e + kRound;
  const double k = shifted - kRound;
  const double r = (x - k * kLn2High) - k * kLn2Low;
  double poly = 1.0 / 6227020800.0;  // 1/13!
  poly = poly * r + 1.0 / 479001600.0;
  poly = poly * r + 1.0 / 39916800.0;
  poly = poly * r + 1.0 / 3628800.0;
  poly = poly * r + 1.0 / 362880.0;
  poly = poly * r + 1.0 / 40320.0;
  poly = poly * r + 1.0 / 5040.0;
  poly = poly * r + 1.0 / 720.0;
  poly = poly * r + 1.0 / 120.0;
  poly = poly * r + 1.0 / 24.0;
  poly = poly * r + 1.0 / 6.0;
  poly = poly * r + 0.5;
  poly = poly * r + 1.0;
  poly = poly * r + 1.0;
  const std::int64_t exponent =
      std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(kRound);
  return poly * std::bit_cast<double>(std::uint64_t(exponent + 1023) << 52);
}

}  // namespace geih::ml
