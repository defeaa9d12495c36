#include "execution/responders.h"

#include <gtest/gtest.h>

#include "providers/aws/fake_aws_api.h"

namespace cordon::execution {
namespace {

TEST(RespondersTest, ArnLikeComparesEachPartWithWildcards) {
  EXPECT_TRUE(
      ArnLike("arn:aws:iam::123456789012:role/IR-*", "arn:aws:iam::123456789012:role/IR-1"));
  EXPECT_TRUE(ArnLike("arn:aws:iam::*:role/ir/?ead", "arn:aws:iam::210987654321:role/ir/lead"));
  EXPECT_TRUE(ArnLike("arn:aws:iam::123456789012:*", "arn:aws:iam::123456789012:user/a"));
  EXPECT_FALSE(ArnLike("arn:aws:iam::123456789012:role/IR", "arn:aws:iam::123456789012:role/IRX"));
  EXPECT_FALSE(ArnLike("arn:aws:iam::1234*", "arn:aws:iam::123456789012:role/IR"))
      << "a wildcard does not reach across a colon";
  EXPECT_FALSE(ArnLike("arn:aws:iam::123456789012:role/IR", "arn:aws:iam::999999999999:role/IR"));
}

TEST(RespondersTest, AnAssumedRoleSessionIsItsRoleArn) {
  EXPECT_EQ(PrincipalArnOfCaller("arn:aws:sts::123456789012:assumed-role/IR-Responder/alice"),
            "arn:aws:iam::123456789012:role/IR-Responder");
  EXPECT_EQ(PrincipalArnOfCaller("arn:aws:iam::123456789012:user/bob"),
            "arn:aws:iam::123456789012:user/bob");
}

TEST(RespondersTest, CallerIsExemptByRoleArnNameWithPathOrWildcard) {
  const std::string session = "arn:aws:sts::123456789012:assumed-role/IR-Responder/alice";

  EXPECT_EQ(ResponderExempting(session, "", {"arn:aws:iam::123456789012:role/IR-Responder"}),
            "arn:aws:iam::123456789012:role/IR-Responder");
  EXPECT_EQ(ResponderExempting(session, "", {"arn:aws:iam::123456789012:role/ir/IR-Responder"}),
            "arn:aws:iam::123456789012:role/ir/IR-Responder");
  EXPECT_EQ(ResponderExempting(session, "", {"arn:aws:iam::123456789012:role/IR-*"}),
            "arn:aws:iam::123456789012:role/IR-*");
  EXPECT_EQ(ResponderExempting(session, "arn:aws:iam::123456789012:role/ir/IR-Responder",
                               {"arn:aws:iam::123456789012:role/ir/*"}),
            "arn:aws:iam::123456789012:role/ir/*");
  EXPECT_EQ(ResponderExempting(session, "", {"arn:aws:iam::123456789012:role/ir/*"}), std::nullopt)
      << "a wildcard path needs the role's real ARN";
  EXPECT_EQ(ResponderExempting(session, "", {"arn:aws:iam::999999999999:role/IR-Responder"}),
            std::nullopt);
  EXPECT_EQ(ResponderExempting(session, "", {}), std::nullopt);
  EXPECT_EQ(ResponderExempting("arn:aws:iam::123456789012:user/bob", "",
                               {"arn:aws:iam::123456789012:role/bob"}),
            std::nullopt);
}

TEST(RespondersTest, BucketPolicyDeniesAllButResponderArnsWithoutNotPrincipal) {
  const std::vector<std::string> responders = {"arn:aws:iam::123456789012:role/IR-Responder",
                                               "arn:aws:iam::123456789012:role/IR-*"};

  const nlohmann::json policy = BucketDenyPolicy("aws", "customer-data", responders);

  ASSERT_EQ(policy["Statement"].size(), 1u);
  const auto& statement = policy["Statement"][0];
  EXPECT_EQ(statement["Effect"], "Deny");
  EXPECT_EQ(statement["Principal"], "*");
  EXPECT_EQ(statement["Action"], "s3:*");
  EXPECT_EQ(statement["Resource"],
            nlohmann::json({"arn:aws:s3:::customer-data", "arn:aws:s3:::customer-data/*"}));
  EXPECT_EQ(statement["Condition"]["ArnNotLike"]["aws:PrincipalArn"], nlohmann::json(responders));
  EXPECT_EQ(policy.dump().find("NotPrincipal"), std::string::npos);
}

TEST(RespondersTest, ASessionArnResponderIsExemptedByItsRoleArn) {
  const std::vector<std::string> responders = {"arn:aws:sts::123456789012:assumed-role/IR/bob",
                                               "arn:aws:sts::123456789012:assumed-role/IR/carol"};

  const nlohmann::json policy = BucketDenyPolicy("aws", "customer-data", responders);

  EXPECT_EQ(policy["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"],
            nlohmann::json({"arn:aws:iam::123456789012:role/IR"}));
  EXPECT_EQ(ResponderExempting("arn:aws:sts::123456789012:assumed-role/IR/alice", "", responders),
            responders[0]);
}

// GetRole's answer for a role whose path the session ARN hides.
std::string GetRoleXml(const std::string& arn) {
  return "<GetRoleResponse><GetRoleResult><Role><Path>/ir/</Path><RoleName>Ops</RoleName>"
         "<RoleId>AROAEXAMPLE</RoleId><Arn>" +
         arn +
         "</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role></GetRoleResult>"
         "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRoleResponse>";
}

TEST(RespondersTest, LockoutRefusalComparesTheRolesFullArnForBucketPlansOnly) {
  planning::Plan plan;
  plan.targets.push_back({{planning::TargetKind::kAwsS3Bucket, "b1", "", "", ""}, "", "", {}});
  aws::FakeAwsApi api;
  const aws::IamClient iam(api);
  const std::string caller = "arn:aws:sts::123456789012:assumed-role/Ops/s1";
  const std::string role = "arn:aws:iam::123456789012:role/ir/Ops";

  api.QueueXml(GetRoleXml(role));
  const std::string pathless =
      BucketLockoutRefusal(plan, caller, {"arn:aws:iam::123456789012:role/Ops"}, iam);
  api.QueueXml(GetRoleXml(role));
  const std::string wrong_path =
      BucketLockoutRefusal(plan, caller, {"arn:aws:iam::123456789012:role/other/Ops"}, iam);
  api.QueueXml(GetRoleXml(role));
  const std::string allowed = BucketLockoutRefusal(plan, caller, {role}, iam);
  api.QueueXml(GetRoleXml(role));
  const std::string wildcard =
      BucketLockoutRefusal(plan, caller, {"arn:aws:iam::123456789012:role/ir/*"}, iam);
  api.QueueError(Error{ErrorKind::kPermission, "not allowed", "AccessDenied", "r", 403, false});
  const std::string unreadable = BucketLockoutRefusal(plan, caller, {role}, iam);
  plan.targets[0].target.kind = planning::TargetKind::kAwsIamUser;
  const std::string not_a_bucket = BucketLockoutRefusal(plan, caller, {}, iam);

  EXPECT_NE(pathless.find("--responder " + role), std::string::npos) << pathless;
  EXPECT_NE(wrong_path.find(caller), std::string::npos) << wrong_path;
  EXPECT_EQ(allowed, "");
  EXPECT_EQ(wildcard, "");
  EXPECT_NE(unreadable.find("cannot read its role Ops"), std::string::npos) << unreadable;
  EXPECT_EQ(not_a_bucket, "");
}

}  // namespace
}  // namespace cordon::execution
