#include "providers/aws/iam_client.h"

#include <gtest/gtest.h>

#include <string>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

// The trust policy of app-role in the fixtures, decoded.
constexpr char kTrustPolicy[] =
    R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": )"
    R"({"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Condition": )"
    R"({"StringEquals": {"aws:PrincipalTag/team": "a+b c&d%"}}}]})";

std::string IamOk(const std::string& action, const std::string& request_id) {
  return "<" + action + "Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">" +
         "<ResponseMetadata><RequestId>" + request_id + "</RequestId></ResponseMetadata></" +
         action + "Response>";
}

Error NoSuchEntity(const std::string& message) {
  return Error{ErrorKind::kNotFound, message, "NoSuchEntity", "req-404", 404, false};
}

TEST(IamClientTest, GetUserReadsTheUserAndItsTags) {
  FakeAwsApi api;
  api.QueueFile("iam_get_user.xml");

  auto user = IamClient(api).GetUser("alice");

  ASSERT_TRUE(user) << user.error().Describe();
  EXPECT_EQ(api.Calls()[0].service, "iam");
  EXPECT_EQ(api.Calls()[0].action, "GetUser");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"UserName", "alice"}}));
  EXPECT_EQ(user->user_name, "alice");
  EXPECT_EQ(user->user_id, "1y2703zgbhy1of26fdm2");
  EXPECT_EQ(user->arn, "arn:aws:iam::123456789012:user/dev/alice");
  EXPECT_EQ(user->path, "/dev/");
  EXPECT_FALSE(user->create_date.empty());
  EXPECT_EQ(user->password_last_used, "");
  ASSERT_EQ(user->tags.size(), 2u);
  EXPECT_EQ(user->tags[0].key, "Team");
  EXPECT_EQ(user->tags[0].value, "payments");
  EXPECT_EQ(user->tags[1].key, "IR-Case");
  EXPECT_EQ(user->tags[1].value, "old");
}

TEST(IamClientTest, AUserWithoutArnIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<GetUserResponse><GetUserResult><User><UserName>alice</UserName></User></GetUserResult>"
      "<ResponseMetadata><RequestId>req-8</RequestId></ResponseMetadata></GetUserResponse>");

  auto user = IamClient(api).GetUser("alice");

  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(user.error().request_id, "req-8");
  EXPECT_NE(user.error().message.find("Arn"), std::string::npos);
}

TEST(IamClientTest, AResponseWithoutItsResultElementIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(IamOk("GetUser", "req-1"));

  auto user = IamClient(api).GetUser("alice");

  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kProvider);
}

TEST(IamClientTest, ListAccessKeysReadsEveryKey) {
  FakeAwsApi api;
  api.QueueFile("iam_list_access_keys.xml");

  auto keys = IamClient(api).ListAccessKeys("alice");

  ASSERT_TRUE(keys) << keys.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"UserName", "alice"}}));
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].access_key_id, "AKIARZPUZDIKD5CVE6PQ");
  EXPECT_EQ((*keys)[0].status, "Active");
  EXPECT_EQ((*keys)[0].user_name, "alice");
  EXPECT_EQ((*keys)[0].create_date, "2026-12-04T03:54:57.014799Z");
  EXPECT_EQ((*keys)[1].access_key_id, "AKIARZPUZDIKBEEZYGDY");
  EXPECT_EQ((*keys)[1].status, "Inactive");
}

TEST(IamClientTest, ListsFollowTheMarkerToTheLastPage) {
  FakeAwsApi api;
  api.QueueFile("iam_list_access_keys_page1.xml");
  api.QueueFile("iam_list_access_keys_page2.xml");

  auto keys = IamClient(api).ListAccessKeys("alice");

  ASSERT_TRUE(keys) << keys.error().Describe();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].access_key_id, "AKIARZPUZDIKPAGE0001");
  EXPECT_EQ((*keys)[1].access_key_id, "AKIARZPUZDIKPAGE0002");
  ASSERT_EQ(api.Calls().size(), 2u);
  EXPECT_EQ(api.Calls()[1].params,
            (QueryParams{{"UserName", "alice"}, {"Marker", "AAEAAQ+marker/with=chars"}}));
}

TEST(IamClientTest, AFailedSecondPageFailsTheWholeList) {
  FakeAwsApi api;
  api.QueueFile("iam_list_access_keys_page1.xml");
  api.QueueError(Error{ErrorKind::kTransient, "connection reset", "", "", 0, true});

  auto keys = IamClient(api).ListAccessKeys("alice");

  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().kind, ErrorKind::kTransient);
  EXPECT_NE(keys.error().message.find("incomplete"), std::string::npos);
}

TEST(IamClientTest, ATruncatedPageWithoutMarkerIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<ListUserPoliciesResponse><ListUserPoliciesResult><PolicyNames><member>p</member>"
      "</PolicyNames><IsTruncated>true</IsTruncated></ListUserPoliciesResult>"
      "</ListUserPoliciesResponse>");

  auto names = IamClient(api).ListUserPolicies("alice");

  ASSERT_FALSE(names);
  EXPECT_EQ(names.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(api.Calls().size(), 1u);
}

TEST(IamClientTest, PolicyAndGroupListsOfAUser) {
  FakeAwsApi api;
  api.QueueFile("iam_list_user_policies.xml");
  api.QueueFile("iam_list_attached_user_policies.xml");
  api.QueueFile("iam_list_groups_for_user.xml");
  api.QueueFile("iam_list_mfa_devices.xml");
  IamClient iam(api);

  auto inline_names = iam.ListUserPolicies("alice");
  auto attached = iam.ListAttachedUserPolicies("alice");
  auto groups = iam.ListGroupsForUser("alice");
  auto mfa = iam.ListMfaDevices("alice");

  ASSERT_TRUE(inline_names && attached && groups && mfa);
  EXPECT_EQ(*inline_names, (std::vector<std::string>{"inline-1", "inline-2"}));
  ASSERT_EQ(attached->size(), 1u);
  EXPECT_EQ((*attached)[0].policy_name, "ReadStuff");
  EXPECT_EQ((*attached)[0].policy_arn, "arn:aws:iam::123456789012:policy/ReadStuff");
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].group_name, "devs");
  EXPECT_EQ((*groups)[0].arn, "arn:aws:iam::123456789012:group/devs");
  ASSERT_EQ(mfa->size(), 1u);
  EXPECT_EQ((*mfa)[0].serial_number, "arn:aws:iam::123456789012:mfa/alicemfa");
  EXPECT_EQ((*mfa)[0].enable_date, "2026-12-04T03:54:57.124389Z");
  const auto calls = api.Calls();
  EXPECT_EQ(calls[0].action, "ListUserPolicies");
  EXPECT_EQ(calls[1].action, "ListAttachedUserPolicies");
  EXPECT_EQ(calls[2].action, "ListGroupsForUser");
  EXPECT_EQ(calls[3].action, "ListMFADevices");
  for (const auto& call : calls) {
    EXPECT_EQ(call.params, (QueryParams{{"UserName", "alice"}}));
  }
}

TEST(IamClientTest, LoginProfileOfAUserWithAPassword) {
  FakeAwsApi api;
  api.QueueFile("iam_get_login_profile.xml");

  auto profile = IamClient(api).GetLoginProfile("bob");

  ASSERT_TRUE(profile) << profile.error().Describe();
  ASSERT_TRUE(profile->has_value());
  EXPECT_EQ((*profile)->user_name, "bob");
  EXPECT_EQ((*profile)->create_date, "2026-12-04T03:54:57.097131Z");
  EXPECT_FALSE((*profile)->password_reset_required);
}

TEST(IamClientTest, NoLoginProfileIsNulloptNotAnError) {
  FakeAwsApi api;
  api.QueueError(NoSuchEntity("Login profile for alice not found"));

  auto profile = IamClient(api).GetLoginProfile("alice");

  ASSERT_TRUE(profile) << profile.error().Describe();
  EXPECT_FALSE(profile->has_value());
}

TEST(IamClientTest, ALoginProfileReadThatFailsOtherwiseIsAnError) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kThrottled, "Rate exceeded", "Throttling", "r", 400, true});

  auto profile = IamClient(api).GetLoginProfile("alice");

  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().kind, ErrorKind::kThrottled);
}

TEST(IamClientTest, InlinePoliciesAreUrlDecoded) {
  FakeAwsApi api;
  api.QueueFile("iam_get_user_policy.xml");
  api.QueueFile("iam_get_role_policy.xml");
  IamClient iam(api);

  auto user_policy = iam.GetUserPolicy("alice", "inline-1");
  auto role_policy = iam.GetRolePolicy("app-role", "s3-read");

  ASSERT_TRUE(user_policy) << user_policy.error().Describe();
  ASSERT_TRUE(role_policy) << role_policy.error().Describe();
  EXPECT_EQ(user_policy->policy_name, "inline-1");
  EXPECT_EQ(user_policy->policy_document,
            R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", )"
            R"("Action": "ec2:Describe*", "Resource": "*"}]})");
  EXPECT_EQ(role_policy->policy_document,
            R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", )"
            R"("Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/a b+c"}]})");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"UserName", "alice"}, {"PolicyName", "inline-1"}}));
  EXPECT_EQ(api.Calls()[1].params,
            (QueryParams{{"RoleName", "app-role"}, {"PolicyName", "s3-read"}}));
}

TEST(IamClientTest, AMissingInlinePolicyIsNotFound) {
  FakeAwsApi api;
  api.QueueError(NoSuchEntity("Policy Document nope not attached to role app-role"));

  auto policy = IamClient(api).GetRolePolicy("app-role", "nope");

  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().kind, ErrorKind::kNotFound);
}

TEST(IamClientTest, GetRoleDecodesTheTrustPolicy) {
  FakeAwsApi api;
  api.QueueFile("iam_get_role.xml");

  auto role = IamClient(api).GetRole("app-role");

  ASSERT_TRUE(role) << role.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"RoleName", "app-role"}}));
  EXPECT_EQ(role->role_name, "app-role");
  EXPECT_EQ(role->role_id, "AROARZPUZDIKNFW77GXUJ");
  EXPECT_EQ(role->arn, "arn:aws:iam::123456789012:role/app-role");
  EXPECT_EQ(role->description, "app role");
  EXPECT_EQ(role->max_session_duration, 3600);
  EXPECT_EQ(role->last_used_date, "");
  EXPECT_EQ(role->assume_role_policy_document, kTrustPolicy);
  ASSERT_EQ(role->tags.size(), 1u);
  EXPECT_EQ(role->tags[0].key, "Owner");
}

TEST(IamClientTest, RolePolicyLists) {
  FakeAwsApi api;
  api.QueueFile("iam_list_role_policies.xml");
  api.QueueFile("iam_list_attached_role_policies.xml");
  IamClient iam(api);

  auto inline_names = iam.ListRolePolicies("app-role");
  auto attached = iam.ListAttachedRolePolicies("app-role");

  ASSERT_TRUE(inline_names && attached);
  EXPECT_EQ(*inline_names, std::vector<std::string>{"s3-read"});
  ASSERT_EQ(attached->size(), 1u);
  EXPECT_EQ((*attached)[0].policy_arn, "arn:aws:iam::123456789012:policy/ReadStuff");
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"RoleName", "app-role"}}));
}

TEST(IamClientTest, InstanceProfileWithItsRole) {
  FakeAwsApi api;
  api.QueueFile("iam_get_instance_profile.xml");

  auto profile = IamClient(api).GetInstanceProfile("app-profile");

  ASSERT_TRUE(profile) << profile.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "GetInstanceProfile");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceProfileName", "app-profile"}}));
  EXPECT_EQ(profile->instance_profile_name, "app-profile");
  EXPECT_EQ(profile->arn, "arn:aws:iam::123456789012:instance-profile/app-profile");
  ASSERT_EQ(profile->roles.size(), 1u);
  EXPECT_EQ(profile->roles[0].role_name, "app-role");
  EXPECT_EQ(profile->roles[0].arn, "arn:aws:iam::123456789012:role/app-role");
  // moto sends this one unencoded; it must come out the same as GetRole's decoded one.
  EXPECT_EQ(profile->roles[0].assume_role_policy_document, kTrustPolicy);
}

TEST(IamClientTest, OwnerOfAnAccessKey) {
  FakeAwsApi api;
  api.QueueFile("iam_get_access_key_last_used.xml");

  auto owner = IamClient(api).GetAccessKeyLastUsed("AKIARZPUZDIKD5CVE6PQ");

  ASSERT_TRUE(owner) << owner.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"AccessKeyId", "AKIARZPUZDIKD5CVE6PQ"}}));
  EXPECT_EQ(owner->user_name, "alice");
  EXPECT_EQ(owner->service_name, "N/A");
  EXPECT_EQ(owner->last_used_date, "");
}

TEST(IamClientTest, KeyChangesSendTheExactParameters) {
  FakeAwsApi api;
  api.QueueXml(IamOk("UpdateAccessKey", "req-1"));
  api.QueueXml(IamOk("UpdateAccessKey", "req-2"));
  api.QueueXml(IamOk("DeleteAccessKey", "req-3"));
  IamClient iam(api);

  auto off = iam.UpdateAccessKey("alice", "AKIA1", AccessKeyStatus::kInactive);
  auto on = iam.UpdateAccessKey("alice", "AKIA1", AccessKeyStatus::kActive);
  auto deleted = iam.DeleteAccessKey("alice", "AKIA1");

  ASSERT_TRUE(off && on && deleted);
  EXPECT_EQ(off->request_id, "req-1");
  EXPECT_EQ(deleted->request_id, "req-3");
  const auto calls = api.Calls();
  EXPECT_EQ(calls[0].action, "UpdateAccessKey");
  EXPECT_EQ(calls[0].params,
            (QueryParams{{"UserName", "alice"}, {"AccessKeyId", "AKIA1"}, {"Status", "Inactive"}}));
  EXPECT_EQ(calls[1].params.back().second, "Active");
  EXPECT_EQ(calls[2].action, "DeleteAccessKey");
  EXPECT_EQ(calls[2].params, (QueryParams{{"UserName", "alice"}, {"AccessKeyId", "AKIA1"}}));
}

TEST(IamClientTest, PolicyChangesSendTheDocumentAsGiven) {
  FakeAwsApi api;
  api.QueueXml(IamOk("PutUserPolicy", "req-1"));
  api.QueueXml(IamOk("PutRolePolicy", "req-2"));
  IamClient iam(api);
  const std::string document = R"({"Version":"2012-10-17","Statement":[]})";

  auto user = iam.PutUserPolicy("alice", "cordon-deny", document);
  auto role = iam.PutRolePolicy("app-role", "cordon-revoke", document);

  ASSERT_TRUE(user && role);
  EXPECT_EQ(role->request_id, "req-2");
  EXPECT_EQ(api.Calls()[0].action, "PutUserPolicy");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"UserName", "alice"},
                                                {"PolicyName", "cordon-deny"},
                                                {"PolicyDocument", document}}));
  EXPECT_EQ(api.Calls()[1].action, "PutRolePolicy");
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"RoleName", "app-role"},
                                                {"PolicyName", "cordon-revoke"},
                                                {"PolicyDocument", document}}));
}

TEST(IamClientTest, TagUserNumbersTagsAsQueryMembers) {
  FakeAwsApi api;
  api.QueueXml(IamOk("TagUser", "req-1"));

  auto tagged = IamClient(api).TagUser("alice", {{"IR-Case", "c1"}, {"IR-Status", "contained"}});

  ASSERT_TRUE(tagged) << tagged.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"UserName", "alice"},
                                                {"Tags.member.1.Key", "IR-Case"},
                                                {"Tags.member.1.Value", "c1"},
                                                {"Tags.member.2.Key", "IR-Status"},
                                                {"Tags.member.2.Value", "contained"}}));
}

TEST(IamClientTest, TagUserWithoutTagsMakesNoCall) {
  FakeAwsApi api;

  auto tagged = IamClient(api).TagUser("alice", {});

  ASSERT_FALSE(tagged);
  EXPECT_EQ(tagged.error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(api.Calls().empty());
}

}  // namespace
}  // namespace cordon::aws
