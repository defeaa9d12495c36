#include "cli/activity_window.h"

#include <charconv>

#include "core/clock.h"
#include "providers/aws/sts_client.h"

namespace cordon::cli {

Result<std::string> ActivitySince(const std::string& since, const EnvLookup& env,
                                  std::chrono::system_clock::time_point now) {
  std::string value = since;
  std::string option = "--since";
  if (value.empty()) {
    if (auto named = env("CORDON_ACTIVITY_SINCE"); named && !named->empty()) {
      value = *named;
      option = "CORDON_ACTIVITY_SINCE";
    } else {
      value = kDefaultActivitySince;
    }
  }
  if (value == "off") {
    return std::string();
  }
  auto bad = [&] {
    return Fail(ErrorKind::kInvalidInput,
                option + " \"" + value +
                    "\" is neither an RFC 3339 UTC time (e.g. 2026-12-01T00:00:00Z) nor a "
                    "duration (e.g. 90m, 48h, 7d), at most 90 days back, nor off");
  };

  if (auto time = aws::ParseAwsTimestamp(value)) {
    if (*time > now) {
      return bad();
    }
    return FormatRfc3339Seconds(*time);
  }
  long long amount = 0;
  const char* begin = value.data();
  const char* end = value.data() + value.size();
  auto [rest, error] = std::from_chars(begin, end, amount);
  if (error != std::errc() || rest == begin || rest + 1 != end || amount <= 0 ||
      amount > 90LL * 24 * 60) {
    return bad();
  }
  std::chrono::minutes minutes{0};
  switch (*rest) {
    case 'm':
      minutes = std::chrono::minutes(amount);
      break;
    case 'h':
      minutes = std::chrono::hours(amount);
      break;
    case 'd':
      minutes = std::chrono::hours(24 * amount);
      break;
    default:
      return bad();
  }
  // CloudTrail's event history keeps 90 days; a longer window would look complete but is not.
  if (minutes > std::chrono::hours(24 * 90)) {
    return bad();
  }
  return FormatRfc3339Seconds(now - minutes);
}

}  // namespace cordon::cli
