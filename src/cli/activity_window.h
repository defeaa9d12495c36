// The CloudTrail activity window of plan/apply: --since, else $CORDON_ACTIVITY_SINCE, else
// seven days.
#pragma once

#include <chrono>
#include <string>

#include "cli/config.h"
#include "core/result.h"

namespace cordon::cli {

inline constexpr const char* kDefaultActivitySince = "7d";

// The window start for `since`: an RFC 3339 UTC time ("2026-12-01T00:00:00Z", fractions
// allowed), a duration before `now` ("48h", "7d", "90m"), or "off" for no activity export ("").
// `since` empty: $CORDON_ACTIVITY_SINCE, else kDefaultActivitySince. Fails with kInvalidInput
// naming --since and the expected forms. Pure but for `env`.
Result<std::string> ActivitySince(const std::string& since, const EnvLookup& env,
                                  std::chrono::system_clock::time_point now);

}  // namespace cordon::cli
