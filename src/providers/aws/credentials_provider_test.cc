#include "providers/aws/credentials_provider.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace cordon::aws {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class CredentialsProviderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() /
            ("cordon-creds-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(home_ / ".aws");
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(home_ / relative) << text;
  }
  Environment Env(Environment extra = {}) const {
    extra.emplace("HOME", home_.string());
    return extra;
  }

  std::filesystem::path home_;
};

TEST(IniTest, ReadsSectionsKeysAndComments) {
  const IniFile ini = ParseIni(
      "# comment\n"
      "; another\n"
      "top = ignored\n"
      "[default]\n"
      "  Region = eu-west-1  \n"
      "aws_access_key_id=AKID # inline comment\n"
      "odd: colon\n"
      "s3 =\n"
      "  addressing_style = path\n"
      "[profile x]\r\n"
      "region = us-west-2\r\n"
      "broken line\n"
      "[unclosed\n"
      "lost = yes\n");

  ASSERT_EQ(ini.count("default"), 1u);
  const auto& section = ini.at("default");
  EXPECT_EQ(section.at("region"), "eu-west-1");
  EXPECT_EQ(section.at("aws_access_key_id"), "AKID");
  EXPECT_EQ(section.at("odd"), "colon");
  EXPECT_EQ(section.at("s3.addressing_style"), "path");
  EXPECT_EQ(section.count("top"), 0u);
  EXPECT_EQ(ini.at("profile x").at("region"), "us-west-2");
  EXPECT_EQ(ini.count("unclosed"), 0u);
  for (const auto& [name, keys] : ini) {
    EXPECT_EQ(keys.count("lost"), 0u) << name;
  }
}

TEST_F(CredentialsProviderTest, EnvironmentKeysComeFirst) {
  Write(".aws/credentials", "[default]\naws_access_key_id=FILE\naws_secret_access_key=FS\n");

  auto credentials = ResolveCredentials(Env({{"AWS_ACCESS_KEY_ID", "AKIAENV"},
                                             {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                                             {"AWS_SESSION_TOKEN", "envtoken"}}));

  ASSERT_TRUE(credentials) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "AKIAENV");
  EXPECT_EQ(credentials->secret_access_key, "envsecret");
  EXPECT_EQ(credentials->session_token, "envtoken");
  EXPECT_EQ(credentials->source, "environment");
}

TEST_F(CredentialsProviderTest, HalfAKeyPairInTheEnvironmentIsRejected) {
  auto credentials = ResolveCredentials(Env({{"AWS_ACCESS_KEY_ID", "AKIAENV"}}));

  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(credentials.error().message, HasSubstr("AWS_SECRET_ACCESS_KEY"));
}

TEST_F(CredentialsProviderTest, DefaultProfileFromTheCredentialsFile) {
  Write(".aws/credentials",
        "[other]\naws_access_key_id=NO\naws_secret_access_key=NO\n"
        "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n");

  auto credentials = ResolveCredentials(Env());

  ASSERT_TRUE(credentials) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "AKIAFILE");
  EXPECT_EQ(credentials->secret_access_key, "filesecret");
  EXPECT_TRUE(credentials->session_token.empty());
  EXPECT_THAT(credentials->source, AllOf(HasSubstr("profile \"default\""), HasSubstr("credentials"),
                                         Not(HasSubstr("filesecret"))));
}

TEST_F(CredentialsProviderTest, NamedProfileFromTheConfigFileWithProfilePrefix) {
  Write(".aws/credentials", "[default]\naws_access_key_id=NO\naws_secret_access_key=NO\n");
  Write(".aws/config",
        "[default]\nregion = eu-west-1\n"
        "[profile responder]\naws_access_key_id = AKIACFG\naws_secret_access_key = cfgsecret\n"
        "aws_session_token = cfgtoken\nregion = ap-south-1\n");

  const Environment env = Env({{"AWS_PROFILE", "responder"}});
  auto credentials = ResolveCredentials(env);
  auto region = ResolveRegion(env);

  ASSERT_TRUE(credentials) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "AKIACFG");
  EXPECT_EQ(credentials->session_token, "cfgtoken");
  EXPECT_THAT(credentials->source, AllOf(HasSubstr("responder"), HasSubstr("config")));
  ASSERT_TRUE(region) << region.error().message;
  EXPECT_EQ(*region, "ap-south-1");
}

TEST_F(CredentialsProviderTest, FileLocationsComeFromTheirVariables) {
  Write("creds.ini", "[team]\naws_access_key_id=AKIAALT\naws_secret_access_key=alt\n");
  Write("conf.ini", "[profile team]\nregion = sa-east-1\n");

  const Environment env = Env({{"AWS_SHARED_CREDENTIALS_FILE", (home_ / "creds.ini").string()},
                               {"AWS_CONFIG_FILE", "~/conf.ini"},
                               {"AWS_PROFILE", "team"}});
  auto credentials = ResolveCredentials(env);
  auto region = ResolveRegion(env);

  ASSERT_TRUE(credentials) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "AKIAALT");
  ASSERT_TRUE(region) << region.error().message;
  EXPECT_EQ(*region, "sa-east-1");
}

TEST_F(CredentialsProviderTest, NothingFoundListsWhatWasTried) {
  auto credentials = ResolveCredentials(Env({{"AWS_PROFILE", "ghost"}}));

  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(credentials.error().message,
              AllOf(HasSubstr("AWS_ACCESS_KEY_ID"), HasSubstr("\"ghost\""),
                    HasSubstr((home_ / ".aws/credentials").string()),
                    HasSubstr((home_ / ".aws/config").string())));
}

TEST_F(CredentialsProviderTest, AssumeRoleProfileIsReportedAsUnsupported) {
  Write(".aws/config", "[profile admin]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n");

  auto credentials = ResolveCredentials(Env({{"AWS_PROFILE", "admin"}}));

  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(credentials.error().message, HasSubstr("role_arn"));
}

TEST_F(CredentialsProviderTest, RegionFromEnvironmentBeatsTheProfile) {
  Write(".aws/config", "[default]\nregion = eu-west-1\n");

  auto from_region =
      ResolveRegion(Env({{"AWS_REGION", "us-west-1"}, {"AWS_DEFAULT_REGION", "us-east-2"}}));
  auto from_default = ResolveRegion(Env({{"AWS_DEFAULT_REGION", "us-east-2"}}));
  auto from_file = ResolveRegion(Env());

  EXPECT_EQ(from_region.value_or(""), "us-west-1");
  EXPECT_EQ(from_default.value_or(""), "us-east-2");
  EXPECT_EQ(from_file.value_or(""), "eu-west-1");
}

TEST_F(CredentialsProviderTest, MissingRegionIsInvalidInput) {
  auto region = ResolveRegion(Env());

  ASSERT_FALSE(region);
  EXPECT_EQ(region.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(region.error().message, AllOf(HasSubstr("AWS_REGION"), HasSubstr("config")));
}

}  // namespace
}  // namespace cordon::aws
