#include "cli/activity_window.h"

#include <gtest/gtest.h>

#include "providers/aws/sts_client.h"

namespace cordon::cli {
namespace {

const auto kNow = *aws::ParseAwsTimestamp("2026-12-04T06:00:00Z");

EnvLookup NoEnv() {
  return [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
}

TEST(ActivityWindowTest, DurationsAndTimesGiveTheWindowStart) {
  EXPECT_EQ(*ActivitySince("48h", NoEnv(), kNow), "2026-12-02T06:00:00Z");
  EXPECT_EQ(*ActivitySince("7d", NoEnv(), kNow), "2026-11-27T06:00:00Z");
  EXPECT_EQ(*ActivitySince("90m", NoEnv(), kNow), "2026-12-04T04:30:00Z");
  EXPECT_EQ(*ActivitySince("2026-12-01T00:00:00Z", NoEnv(), kNow), "2026-12-01T00:00:00Z");
  EXPECT_EQ(*ActivitySince("", NoEnv(), kNow), "2026-11-27T06:00:00Z") << "default seven days";
  EXPECT_EQ(*ActivitySince("off", NoEnv(), kNow), "");
}

TEST(ActivityWindowTest, TheEnvironmentAppliesWhenTheFlagIsAbsent) {
  EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    return name == "CORDON_ACTIVITY_SINCE" ? std::optional<std::string>("1d") : std::nullopt;
  };

  EXPECT_EQ(*ActivitySince("", env, kNow), "2026-12-03T06:00:00Z");
  EXPECT_EQ(*ActivitySince("2h", env, kNow), "2026-12-04T04:00:00Z");
}

TEST(ActivityWindowTest, BadValuesNameTheOptionAndTheForms) {
  for (const std::string bad :
       {"yesterday", "7", "7w", "-1d", "0h", "91d", "2026-12-05T00:00:00Z", "2026-12-01", "48h "}) {
    auto since = ActivitySince(bad, NoEnv(), kNow);

    ASSERT_FALSE(since) << bad;
    EXPECT_EQ(since.error().kind, ErrorKind::kInvalidInput);
    EXPECT_NE(since.error().message.find("--since"), std::string::npos) << bad;
    EXPECT_NE(since.error().message.find("RFC 3339"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace cordon::cli
