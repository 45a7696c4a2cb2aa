#include "core/common/time_util.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace geih {

std::int64_t nowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string isoUtc(std::int64_t millis) {
  const std::time_t seconds = std::time_t(millis / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                int(millis % 1000));
  return text;
}

}  // namespace geih
