#include "core/log.h"

#include <gtest/gtest.h>

namespace cordon::log {
namespace {

TEST(LogTest, SecretFieldsAreRedactedBeforeFormatting) {
  nlohmann::json fields = {{"resource", "alice"},
                           {"SecretAccessKey", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
                           {"nested", {{"session_token", "FQoGZXIvYXdzEXAMPLE"}}},
                           {"Authorization", "AWS4-HMAC-SHA256 Signature=abc"}};

  std::string line = FormatLine(Level::kInfo, "step.applied", fields);

  EXPECT_EQ(line.find("wJalrXUtnFEMI"), std::string::npos) << line;
  EXPECT_EQ(line.find("FQoGZXIvYXdzEXAMPLE"), std::string::npos) << line;
  EXPECT_EQ(line.find("Signature=abc"), std::string::npos) << line;
  EXPECT_NE(line.find("\"resource\":\"alice\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"event\":\"step.applied\""), std::string::npos) << line;
}

TEST(LogTest, ParseLevelAcceptsOnlyKnownNames) {
  Level level = Level::kWarn;

  EXPECT_TRUE(ParseLevel("debug", level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_FALSE(ParseLevel("loud", level));
  EXPECT_EQ(level, Level::kDebug);
}

}  // namespace
}  // namespace cordon::log
