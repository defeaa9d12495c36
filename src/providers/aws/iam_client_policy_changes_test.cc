// IamClient's trust policy replacement and inline policy deletion: exact parameters, checked
// against what botocore (the aws CLI) sends, over real moto responses.
#include <gtest/gtest.h>

#include <string>

#include "providers/aws/fake_aws_api.h"
#include "providers/aws/iam_client.h"

namespace cordon::aws {
namespace {

constexpr char kDenyAll[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},)"
    R"("Action":"sts:AssumeRole"}]})";

TEST(IamPolicyChangesTest, UpdateAssumeRolePolicySendsTheDocumentAsIs) {
  FakeAwsApi api;
  api.QueueFile("iam_update_assume_role_policy.xml");

  auto done = IamClient(api).UpdateAssumeRolePolicy("app-role", kDenyAll);

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->request_id, "fyWOsvVfXWVY5raBgvebwU2cMzwYhLMhmsTmc6RFxOaUbXItFJgM");
  EXPECT_EQ(api.Calls()[0].service, "iam");
  EXPECT_EQ(api.Calls()[0].action, "UpdateAssumeRolePolicy");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"RoleName", "app-role"}, {"PolicyDocument", kDenyAll}}));
}

TEST(IamPolicyChangesTest, ATrustPolicyWithoutStatementsIsNeverSent) {
  FakeAwsApi api;
  IamClient iam(api);

  auto empty_list = iam.UpdateAssumeRolePolicy("r", R"({"Version":"2012-10-17","Statement":[]})");
  auto no_statement = iam.UpdateAssumeRolePolicy("r", R"({"Version":"2012-10-17"})");
  auto not_json = iam.UpdateAssumeRolePolicy("r", "{\"Statement\": [");
  auto not_object = iam.UpdateAssumeRolePolicy("r", "[]");

  for (const auto* result : {&empty_list, &no_statement, &not_json, &not_object}) {
    ASSERT_FALSE(*result);
    EXPECT_EQ(result->error().kind, ErrorKind::kInvalidInput);
  }
  EXPECT_TRUE(api.Calls().empty());
}

TEST(IamPolicyChangesTest, ASingleStatementObjectIsAccepted) {
  FakeAwsApi api;
  api.QueueFile("iam_update_assume_role_policy.xml");
  const std::string document =
      R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*",)"
      R"("Action":"sts:AssumeRole"}})";

  auto done = IamClient(api).UpdateAssumeRolePolicy("r", document);

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls().size(), 1u);
}

TEST(IamPolicyChangesTest, DeleteRolePolicyNamesRoleAndPolicy) {
  FakeAwsApi api;
  api.QueueFile("iam_delete_role_policy.xml");

  auto done = IamClient(api).DeleteRolePolicy("app-role", "cordon-revoke-sessions");

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DeleteRolePolicy");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"RoleName", "app-role"}, {"PolicyName", "cordon-revoke-sessions"}}));
  EXPECT_FALSE(done->request_id.empty());
}

TEST(IamPolicyChangesTest, DeleteUserPolicyNamesUserAndPolicy) {
  FakeAwsApi api;
  api.QueueFile("iam_delete_user_policy.xml");

  auto done = IamClient(api).DeleteUserPolicy("alice", "cordon-deny-all");

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DeleteUserPolicy");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"UserName", "alice"}, {"PolicyName", "cordon-deny-all"}}));
}

TEST(IamPolicyChangesTest, DeletingAnAbsentPolicyIsNotFound) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kNotFound, "The role policy with name nope cannot be found.",
                       "NoSuchEntity", "req-404", 404, false});

  auto done = IamClient(api).DeleteRolePolicy("app-role", "nope");

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(done.error().provider_code, "NoSuchEntity");
}

TEST(IamPolicyChangesTest, AMutationAnsweredForAnotherActionIsAProviderError) {
  FakeAwsApi api;
  api.QueueFile("iam_delete_user_policy.xml");

  auto done = IamClient(api).DeleteRolePolicy("app-role", "p");

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kProvider);
}

}  // namespace
}  // namespace cordon::aws
