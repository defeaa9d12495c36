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

TEST(LogTest, PolicyConditionKeysAndLookalikeNamesStayReadable) {
  nlohmann::json fields = {
      {"Condition", {{"DateLessThan", {{"aws:TokenIssueTime", "2026-12-04T03:45:35Z"}}}}},
      {"PasswordLastUsed", "2026-12-01T00:00:00Z"},
      {"operation", "ec2:DisassociateAddress"},
      {"AccessKeyId", "AKIAIOSFODNN7EXAMPLE"},
      {"client_assertion", "eyJhbGciOi.payload.sig"}};

  nlohmann::json redacted = Redact(fields);

  EXPECT_EQ(redacted["Condition"]["DateLessThan"]["aws:TokenIssueTime"], "2026-12-04T03:45:35Z");
  EXPECT_EQ(redacted["PasswordLastUsed"], "2026-12-01T00:00:00Z");
  EXPECT_EQ(redacted["operation"], "ec2:DisassociateAddress");
  EXPECT_EQ(redacted["AccessKeyId"], "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(redacted["client_assertion"], "[redacted]");
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
