#include "transport/retry.h"

#include <gtest/gtest.h>

#include <vector>

namespace cordon::transport {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryTest, CeilingDoublesPerRetryUntilTheCap) {
  const RetryPolicy policy{5, milliseconds(100), milliseconds(1000), {}, {}};
  // Just under 1.0 shows the ceiling itself (rounded down).
  const double top = 0.999999;

  EXPECT_EQ(BackoffDelay(policy, 1, top, std::nullopt), milliseconds(99));
  EXPECT_EQ(BackoffDelay(policy, 2, top, std::nullopt), milliseconds(199));
  EXPECT_EQ(BackoffDelay(policy, 3, top, std::nullopt), milliseconds(399));
  EXPECT_EQ(BackoffDelay(policy, 4, top, std::nullopt), milliseconds(799));
  EXPECT_EQ(BackoffDelay(policy, 5, top, std::nullopt), milliseconds(999));
  EXPECT_EQ(BackoffDelay(policy, 60, top, std::nullopt), milliseconds(999));
}

TEST(RetryTest, FullJitterScalesTheWholeCeiling) {
  const RetryPolicy policy{5, milliseconds(100), milliseconds(5000), {}, {}};

  EXPECT_EQ(BackoffDelay(policy, 3, 0.0, std::nullopt), milliseconds(0));
  EXPECT_EQ(BackoffDelay(policy, 3, 0.5, std::nullopt), milliseconds(200));
}

TEST(RetryTest, RetryAfterReplacesTheBackoffButStaysCapped) {
  const RetryPolicy policy{5, milliseconds(100), milliseconds(5000), {}, {}};

  EXPECT_EQ(BackoffDelay(policy, 1, 0.0, seconds(2)), milliseconds(2000));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0, seconds(120)), milliseconds(5000));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0, seconds(1LL << 60)), milliseconds(5000));
}

TEST(RetryTest, ParsesRetryAfterSecondsOnly) {
  EXPECT_EQ(ParseRetryAfter("3"), seconds(3));
  EXPECT_EQ(ParseRetryAfter(" 10 "), seconds(10));
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
}

TEST(RetryTest, NextDelayUsesTheInjectedRandomAndSleepUsesTheInjectedSleeper) {
  std::vector<milliseconds> slept;
  RetryPolicy policy;
  policy.random = [] { return 0.25; };
  policy.sleep = [&slept](milliseconds delay) { slept.push_back(delay); };

  const milliseconds delay = NextDelay(policy, 2, std::nullopt);
  SleepFor(policy, delay);

  EXPECT_EQ(delay, milliseconds(50));
  EXPECT_EQ(slept, std::vector<milliseconds>{milliseconds(50)});
}

TEST(RetryTest, DefaultRandomStaysWithinTheCeiling) {
  const RetryPolicy policy{5, milliseconds(100), milliseconds(5000), {}, {}};

  for (int i = 0; i < 100; ++i) {
    const milliseconds delay = NextDelay(policy, 2, std::nullopt);
    EXPECT_GE(delay, milliseconds(0));
    EXPECT_LT(delay, milliseconds(200));
  }
}

}  // namespace
}  // namespace cordon::transport
