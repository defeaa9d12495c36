#include "core/clock.h"

#include <cstdio>
#include <ctime>

namespace cordon {
namespace {

class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// The broken-down UTC time of `time`, and its milliseconds.
std::tm Utc(std::chrono::system_clock::time_point time) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

}  // namespace

const Clock& DefaultClock() {
  static const SystemClock clock;
  return clock;
}

std::chrono::system_clock::time_point FixedClock::Now() const {
  return std::chrono::system_clock::time_point(now_.load());
}

void FixedClock::Set(std::chrono::system_clock::time_point now) {
  now_.store(now.time_since_epoch());
}

std::string FormatRfc3339Seconds(std::chrono::system_clock::time_point time) {
  const std::tm tm = Utc(time);
  char out[32];
  std::strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time) {
  const std::tm tm = Utc(time);
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  // Floor toward negative infinity so times before 1970 keep a positive millisecond part.
  const long long millis = ((since_epoch % 1000) + 1000) % 1000;
  char seconds[32];
  std::strftime(seconds, sizeof(seconds), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof(out), "%s.%03lldZ", seconds, millis);
  return out;
}

}  // namespace cordon
