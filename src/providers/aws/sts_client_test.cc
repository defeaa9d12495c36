#include "providers/aws/sts_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

template <typename T>
concept Streamable = requires(std::ostream& out, const T& value) {
  out << value;
};

// Temporary credentials must not be printable or serializable by accident.
static_assert(!Streamable<AssumedRole>);
static_assert(!Streamable<Credentials>);
static_assert(!std::is_constructible_v<nlohmann::json, AssumedRole>);
static_assert(!std::is_constructible_v<nlohmann::json, Credentials>);

TEST(StsClientTest, CallerIdentityReadsAccountArnAndUserId) {
  FakeAwsApi api;
  api.QueueFile("sts_get_caller_identity.xml");

  auto identity = StsClient(api).GetCallerIdentity();

  ASSERT_TRUE(identity) << identity.error().Describe();
  EXPECT_EQ(identity->account, "123456789012");
  EXPECT_EQ(identity->arn, "arn:aws:sts::123456789012:user/moto");
  EXPECT_EQ(identity->user_id, "AKIAIOSFODNN7EXAMPLE");
  ASSERT_EQ(api.Calls().size(), 1u);
  EXPECT_EQ(api.Calls()[0].service, "sts");
  EXPECT_EQ(api.Calls()[0].action, "GetCallerIdentity");
  EXPECT_TRUE(api.Calls()[0].params.empty());
}

TEST(StsClientTest, AnIdentityWithoutArnIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account>"
      "</GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId>"
      "</ResponseMetadata></GetCallerIdentityResponse>");

  auto identity = StsClient(api).GetCallerIdentity();

  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(identity.error().request_id, "req-1");
}

TEST(StsClientTest, RejectedCredentialsPassThrough) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kAuth, "The security token included in the request is invalid",
                       "InvalidClientTokenId", "req-2", 403, false});

  auto identity = StsClient(api).GetCallerIdentity();

  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().kind, ErrorKind::kAuth);
  EXPECT_EQ(identity.error().provider_code, "InvalidClientTokenId");
}

TEST(StsClientTest, AssumeRoleSendsWhatTheCliSendsAndReadsTheSession) {
  FakeAwsApi api;
  api.QueueFile("sts_assume_role.xml");
  AssumeRoleRequest request{"arn:aws:iam::123456789012:role/app-role", "cordon-c1", "ext", 900};

  auto role = StsClient(api).AssumeRole(request);

  ASSERT_TRUE(role) << role.error().Describe();
  EXPECT_EQ(api.Calls()[0].service, "sts");
  EXPECT_EQ(api.Calls()[0].action, "AssumeRole");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"RoleArn", "arn:aws:iam::123456789012:role/app-role"},
                         {"RoleSessionName", "cordon-c1"},
                         {"DurationSeconds", "900"},
                         {"ExternalId", "ext"}}));
  EXPECT_EQ(role->credentials.access_key_id, "ASIARZPUZDIKIRGPS33E");
  EXPECT_EQ(role->credentials.secret_access_key, "LreFm4yG4cdMW3IdxdCjfhkujVZtF8fRx9sKKC6L");
  EXPECT_EQ(role->credentials.session_token.substr(0, 12), "FQoGZXIvYXdz");
  EXPECT_EQ(role->credentials.source, "sts:AssumeRole arn:aws:iam::123456789012:role/app-role");
  EXPECT_EQ(role->expiration, "2026-12-04T05:19:48.729984Z");
  EXPECT_EQ(role->expires_at, ParseAwsTimestamp("2026-12-04T05:19:48Z"));
  EXPECT_EQ(role->assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/app-role/cordon-c1");
  EXPECT_EQ(role->assumed_role_id, "AROARZPUZDIKBANTH2VZM:cordon-c1");
  EXPECT_EQ(role->request_id, "kaqT9nMEd9w32Nxx3XPYHSFtA8Co104mBOI393kNGXorebGaaPan");
}

TEST(StsClientTest, AssumeRoleLeavesOutWhatIsNotSet) {
  FakeAwsApi api;
  api.QueueFile("sts_assume_role.xml");

  auto role =
      StsClient(api).AssumeRole({"arn:aws:iam::123456789012:role/app-role", "cordon-c1", "", {}});

  ASSERT_TRUE(role) << role.error().Describe();
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"RoleArn", "arn:aws:iam::123456789012:role/app-role"},
                         {"RoleSessionName", "cordon-c1"}}));
}

TEST(StsClientTest, AssumeRoleRefusesWhatStsWouldRefuseWithoutACall) {
  FakeAwsApi api;
  StsClient sts(api);
  const std::string role = "arn:aws:iam::123456789012:role/app-role";

  const std::vector<AssumeRoleRequest> bad = {
      {"arn:aws:iam::123456789012:user/alice", "cordon-c1", "", {}},
      {"app-role", "cordon-c1", "", {}},
      {role, "c", "", {}},
      {role, std::string(65, 'a'), "", {}},
      {role, "cordon case 1", "", {}},
      {role, "cordon-c1", "x", {}},
      {role, "cordon-c1", "", 899},
      {role, "cordon-c1", "", 43201}};

  for (const auto& request : bad) {
    auto assumed = sts.AssumeRole(request);
    ASSERT_FALSE(assumed) << request.role_arn << " " << request.role_session_name;
    EXPECT_EQ(assumed.error().kind, ErrorKind::kInvalidInput);
  }
  EXPECT_TRUE(api.Calls().empty());
}

TEST(StsClientTest, AnAssumeRoleAnswerWithoutTokenIsAnErrorThatNamesNoSecret) {
  FakeAwsApi api;
  api.QueueXml(
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId>"
      "<SecretAccessKey>very-secret-value</SecretAccessKey><Expiration>2026-12-04T05:19:48Z"
      "</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn>"
      "</AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>req-5</RequestId>"
      "</ResponseMetadata></AssumeRoleResponse>");

  auto role = StsClient(api).AssumeRole({"arn:aws:iam::1:role/r", "s1", "", {}});

  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(role.error().request_id, "req-5");
  EXPECT_EQ(role.error().Describe().find("very-secret-value"), std::string::npos);
}

TEST(StsClientTest, AnUnreadableExpirationIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId>"
      "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
      "<Expiration>tomorrow</Expiration></Credentials><AssumedRoleUser>"
      "<Arn>arn:aws:sts::1:assumed-role/r/s</Arn></AssumedRoleUser></AssumeRoleResult>"
      "</AssumeRoleResponse>");

  auto role = StsClient(api).AssumeRole({"arn:aws:iam::1:role/r", "s1", "", {}});

  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().kind, ErrorKind::kProvider);
}

TEST(StsClientTest, AnUntrustedCallerIsRefusedAsPermission) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kPermission, "not authorized to perform sts:AssumeRole",
                       "AccessDenied", "req-6", 403, false});

  auto role = StsClient(api).AssumeRole({"arn:aws:iam::1:role/r", "s1", "wrong-id", {}});

  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().kind, ErrorKind::kPermission);
  EXPECT_EQ(role.error().provider_code, "AccessDenied");
}

TEST(AwsTimestampTest, ReadsWholeAndFractionalSecondsInUtc) {
  using std::chrono::seconds;
  using std::chrono::system_clock;

  const auto whole = ParseAwsTimestamp("2026-12-04T05:19:48Z");
  const auto fraction = ParseAwsTimestamp("2026-12-04T05:19:48.729984Z");
  const auto offset = ParseAwsTimestamp("2026-12-04T05:19:48+00:00");

  ASSERT_TRUE(whole);
  EXPECT_EQ(system_clock::to_time_t(*whole), 1796361588);
  EXPECT_EQ(fraction, whole);
  EXPECT_EQ(offset, whole);
  EXPECT_EQ(*ParseAwsTimestamp("2024-02-29T00:00:00Z") - *ParseAwsTimestamp("2024-02-28T00:00:00Z"),
            seconds(86400));
}

TEST(AwsTimestampTest, RefusesAnythingElse) {
  for (const char* text : {"", "2026-12-04", "2026-12-04T05:19:48", "2026-12-04T05:19:48+01:00",
                           "2026-02-30T00:00:00Z", "2026-12-04T25:00:00Z", "2026-12-04T05:19:48.Z",
                           "2026-12-04 05:19:48Z", "2026-1a-04T05:19:48Z"}) {
    EXPECT_FALSE(ParseAwsTimestamp(text)) << text;
  }
}

}  // namespace
}  // namespace cordon::aws
