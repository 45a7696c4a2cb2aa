// Wall-clock helpers: milliseconds since the Unix epoch (what the store records) and ISO 8601.
#pragma once

#include <cstdint>
#include <string>

namespace geih {

std::int64_t nowMillis();
// "2026-11-22T11:27:04.123Z" (UTC).
std::string isoUtc(std::int64_t millis);

}  // namespace geih
