#include "core/result.h"

#include <gtest/gtest.h>

namespace cordon {
namespace {

TEST(ErrorTest, DescribeKeepsProviderCodeAndRequestId) {
  Error error{ErrorKind::kThrottled, "rate exceeded", "Throttling", "req-1", 400, true};

  EXPECT_EQ(error.Describe(), "rate exceeded (Throttling, request id req-1)");
}

TEST(ErrorTest, DescribeWithoutProviderDetailsIsTheMessage) {
  Error error{ErrorKind::kIo, "disk full", "", "", 0, false};

  EXPECT_EQ(error.Describe(), "disk full");
}

}  // namespace
}  // namespace cordon
