#include "cli/assume_role.h"

#include <gtest/gtest.h>

#include "providers/aws/fake_aws_api.h"

namespace cordon::cli {
namespace {

using std::chrono::minutes;

TEST(AssumeRoleTest, TemplateWithoutAccountPlaceholderIsRejectedWithTheExpectedForm) {
  auto checked = ValidateAssumeRoleTemplate("arn:aws:iam::111122223333:role/IR-Responder");

  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(checked.error().message.find("{account}"), std::string::npos);
  EXPECT_NE(checked.error().message.find("--assume-role"), std::string::npos);
}

TEST(AssumeRoleTest, TemplateMustBeARoleArn) {
  EXPECT_TRUE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:role/IR-Responder"));
  EXPECT_TRUE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:role/ir/team/IR-Responder"));
  EXPECT_FALSE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:user/IR-Responder"));
  EXPECT_FALSE(ValidateAssumeRoleTemplate("{account}"));
  EXPECT_FALSE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:role/"));
  EXPECT_FALSE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:role/a b"));
  EXPECT_TRUE(ValidateAssumeRoleTemplate("arn:aws-us-gov:iam::{account}:role/svc+ops=x,y@z.-_"));
  EXPECT_FALSE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:role/ir//IR-Responder"));
  EXPECT_FALSE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:role/" + std::string(65, 'r')));
  EXPECT_FALSE(ValidateAssumeRoleTemplate("arn:aws:iam::{account}:role/IR-Responder/"));
}

TEST(AssumeRoleTest, ExternalIdWithoutAssumeRoleIsAnInputError) {
  PlanArgs args;
  args.external_id = "x-1";

  auto checked = CheckAccountOptions(args);

  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("--external-id"), std::string::npos);
}

TEST(AssumeRoleTest, RoleArnAndSessionNameFollowTheCase) {
  EXPECT_EQ(RoleArnForAccount("arn:aws:iam::{account}:role/IR", "210987654321"),
            "arn:aws:iam::210987654321:role/IR");
  EXPECT_EQ(RoleSessionName("C1"), "cordon-C1");
  EXPECT_EQ(RoleSessionName(std::string(64, 'x')).size(), 64u);
}

TEST(AssumeRoleTest, CredentialsAreCachedAndRefreshedBeforeTheyExpire) {
  aws::FakeAwsApi sts;
  sts.QueueFile("sts_assume_role.xml");
  sts.QueueFile("sts_assume_role.xml");
  // The fixture's session expires at 2026-12-04T05:19:48Z.
  FixedClock clock(*aws::ParseAwsTimestamp("2026-12-04T04:20:00Z"));
  aws::AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/app-role";
  request.role_session_name = "cordon-c1";
  request.external_id = "ext-7";
  AccountCredentials credentials(sts, request, clock);

  auto first = credentials.Get();
  auto cached = credentials.Get();
  clock.Set(*aws::ParseAwsTimestamp("2026-12-04T05:16:00Z"));
  auto refreshed = credentials.Get();

  ASSERT_TRUE(first) << first.error().Describe();
  ASSERT_TRUE(cached);
  ASSERT_TRUE(refreshed);
  const auto calls = sts.Calls();
  ASSERT_EQ(calls.size(), 2u) << "one AssumeRole, one refresh within five minutes of expiry";
  EXPECT_EQ(calls[0].action, "AssumeRole");
  bool sent_external_id = false;
  for (const auto& [name, value] : calls[0].params) {
    sent_external_id = sent_external_id || (name == "ExternalId" && value == "ext-7");
  }
  EXPECT_TRUE(sent_external_id);
  EXPECT_EQ(first->credentials.access_key_id, "ASIARZPUZDIKIRGPS33E");
}

TEST(AssumeRoleTest, ARefusedAssumptionNamesTheRoleButNoSecret) {
  aws::FakeAwsApi sts;
  Error denied{ErrorKind::kPermission,
               "not authorized to perform sts:AssumeRole",
               "AccessDenied",
               "req-1",
               403,
               false};
  sts.QueueError(denied);
  aws::AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::210987654321:role/IR";
  request.role_session_name = "cordon-c1";
  AccountCredentials credentials(sts, request, DefaultClock());

  auto session = credentials.Get();

  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().kind, ErrorKind::kPermission);
  EXPECT_NE(session.error().message.find("arn:aws:iam::210987654321:role/IR"), std::string::npos);
}

}  // namespace
}  // namespace cordon::cli
