#include "cli/config.h"

#include <gtest/gtest.h>

#include <map>

namespace cordon::cli {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

TEST(ConfigTest, ParsesRespondersProtectedAndConcurrency) {
  auto config = ParseConfig(
      "responders = [\"arn:aws:iam::123456789012:role/IR\"]\n"
      "protected = [\"arn:aws:iam::123456789012:user/break-glass\"]\n"
      "concurrency = 8\n",
      "test.toml");

  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->responders, std::vector<std::string>{"arn:aws:iam::123456789012:role/IR"});
  EXPECT_EQ(config->protected_principals.size(), 1u);
  EXPECT_EQ(config->concurrency, 8);
}

TEST(ConfigTest, UnknownKeyIsAnInputErrorNamingTheKey) {
  auto config = ParseConfig("responder = [\"x\"]\n", "test.toml");

  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(config.error().message.find("\"responder\""), std::string::npos);
}

TEST(ConfigTest, WrongTypeNamesTheExpectedForm) {
  auto config = ParseConfig("concurrency = \"many\"\n", "test.toml");

  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("whole number"), std::string::npos);
}

TEST(ConfigTest, InvalidTomlNamesTheFile) {
  auto config = ParseConfig("responders = [\n", "bad.toml");

  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("bad.toml"), std::string::npos);
}

TEST(ConfigTest, EnvironmentOverridesAndMissingExplicitFileFails) {
  auto config = LoadConfig("", FakeEnv({{"CORDON_RESPONDERS", "arn:a,arn:b"},
                                        {"CORDON_CONCURRENCY", "4"},
                                        {"HOME", "/nonexistent-home"}}));
  auto missing = LoadConfig("/nonexistent/cordon.toml", FakeEnv({}));
  auto bad_env = LoadConfig("", FakeEnv({{"CORDON_CONCURRENCY", "0"}}));

  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->responders, (std::vector<std::string>{"arn:a", "arn:b"}));
  EXPECT_EQ(config->concurrency, 4);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/cordon.toml"), std::string::npos);
  ASSERT_FALSE(bad_env);
  EXPECT_NE(bad_env.error().message.find("CORDON_CONCURRENCY"), std::string::npos);
}

}  // namespace
}  // namespace cordon::cli
