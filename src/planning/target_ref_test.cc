#include "planning/target_ref.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cordon::planning {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

RefDefaults Defaults() { return {"eu-west-1", "111122223333"}; }

struct Accepted {
  std::string ref;
  Target expected;
};

class TargetRefAcceptsTest : public ::testing::TestWithParam<Accepted> {};

TEST_P(TargetRefAcceptsTest, ParsesToTheNamedTarget) {
  const Accepted& c = GetParam();

  auto target = ParseTargetRef(c.ref, Defaults());

  ASSERT_TRUE(target) << c.ref << ": " << target.error().message;
  EXPECT_EQ(target->kind, c.expected.kind) << c.ref;
  EXPECT_EQ(target->id, c.expected.id) << c.ref;
  EXPECT_EQ(target->account, c.expected.account) << c.ref;
  EXPECT_EQ(target->region, c.expected.region) << c.ref;
  EXPECT_EQ(target->owner, "") << c.ref;
}

std::string Name64() {
  std::string name(64, 'a');
  return name;
}
std::string Key128() { return "AKIA" + std::string(124, '7'); }

INSTANTIATE_TEST_SUITE_P(
    EveryForm, TargetRefAcceptsTest,
    ::testing::Values(
        Accepted{"arn:aws:iam::123456789012:user/alice",
                 {TargetKind::kAwsIamUser, "alice", "123456789012", "", ""}},
        Accepted{"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
                 {TargetKind::kAwsIamUser, "Bob", "123456789012", "", ""}},
        Accepted{"arn:aws-cn:iam::123456789012:user/alice",
                 {TargetKind::kAwsIamUser, "alice", "123456789012", "", ""}},
        Accepted{"aws:iam-user:alice", {TargetKind::kAwsIamUser, "alice", "111122223333", "", ""}},
        Accepted{"aws:iam-user:a+b=c,d.e@f-g_H9",
                 {TargetKind::kAwsIamUser, "a+b=c,d.e@f-g_H9", "111122223333", "", ""}},
        Accepted{"aws:iam-user:" + Name64(),
                 {TargetKind::kAwsIamUser, Name64(), "111122223333", "", ""}},
        Accepted{"aws:access-key:AKIAIOSFODNN7EXAMPLE",
                 {TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "111122223333", "", ""}},
        Accepted{"aws:access-key:ASIASZ4SI7REEEXAMPLE",
                 {TargetKind::kAwsAccessKey, "ASIASZ4SI7REEEXAMPLE", "111122223333", "", ""}},
        Accepted{"aws:access-key:AKIA0123456789AB",
                 {TargetKind::kAwsAccessKey, "AKIA0123456789AB", "111122223333", "", ""}},
        Accepted{"aws:access-key:" + Key128(),
                 {TargetKind::kAwsAccessKey, Key128(), "111122223333", "", ""}},
        Accepted{"arn:aws:iam::123456789012:role/service-role/MyRole",
                 {TargetKind::kAwsIamRole, "MyRole", "123456789012", "", ""}},
        Accepted{"arn:aws-us-gov:iam::123456789012:role/Admin",
                 {TargetKind::kAwsIamRole, "Admin", "123456789012", "", ""}},
        Accepted{"aws:iam-role:Admin", {TargetKind::kAwsIamRole, "Admin", "111122223333", "", ""}},
        Accepted{"arn:aws:ec2:eu-central-2:123456789012:instance/i-0123456789abcdef0",
                 {TargetKind::kAwsEc2Instance, "i-0123456789abcdef0", "123456789012",
                  "eu-central-2", ""}},
        Accepted{"arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-0123abcd",
                 {TargetKind::kAwsEc2Instance, "i-0123abcd", "123456789012", "us-gov-west-1", ""}},
        Accepted{"arn:aws-cn:ec2:cn-northwest-1:123456789012:instance/i-0123abcd",
                 {TargetKind::kAwsEc2Instance, "i-0123abcd", "123456789012", "cn-northwest-1", ""}},
        Accepted{"aws:ec2-instance:i-99999999",
                 {TargetKind::kAwsEc2Instance, "i-99999999", "111122223333", "eu-west-1", ""}},
        Accepted{
            "aws:ec2-instance:i-05746eb48123455e0",
            {TargetKind::kAwsEc2Instance, "i-05746eb48123455e0", "111122223333", "eu-west-1", ""}},
        Accepted{"arn:aws:s3:::my-bucket.logs",
                 {TargetKind::kAwsS3Bucket, "my-bucket.logs", "", "", ""}},
        Accepted{"aws:s3-bucket:my-bucket",
                 {TargetKind::kAwsS3Bucket, "my-bucket", "111122223333", "", ""}},
        Accepted{"arn:aws:lambda:us-east-1:123456789012:function:my_fn-1",
                 {TargetKind::kAwsLambdaFunction, "my_fn-1", "123456789012", "us-east-1", ""}},
        Accepted{"aws:lambda-function:MyFunction",
                 {TargetKind::kAwsLambdaFunction, "MyFunction", "111122223333", "eu-west-1", ""}}));

TEST(TargetRefTest, ShortFormsLeaveUnknownDefaultsEmpty) {
  auto target = ParseTargetRef("aws:ec2-instance:i-0123abcd", RefDefaults{});

  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->account, "");
  EXPECT_EQ(target->region, "");
}

TEST(TargetRefTest, ArnsIgnoreTheDefaults) {
  auto target =
      ParseTargetRef("arn:aws:ec2:us-east-1:123456789012:instance/i-0123abcd", Defaults());

  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->account, "123456789012");
  EXPECT_EQ(target->region, "us-east-1");
}

TEST(TargetRefTest, UpperCaseInstanceIdShowsTheExpectedForm) {
  auto target = ParseTargetRef("aws:ec2-instance:I-0ABC1234", Defaults());

  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(target.error().message,
              StartsWith("aws:ec2-instance:I-0ABC1234: expected aws:ec2-instance:i-<8 or 17 "
                         "lower-case hex digits> or arn:aws:ec2:REGION:ACCOUNT:instance/i-…"));
  EXPECT_THAT(target.error().message, HasSubstr("upper-case"));
}

TEST(TargetRefTest, UnknownKindListsEveryAcceptedForm) {
  for (const std::string ref : {"aws:iam-group:admins", "alice", "", "AWS:iam-user:alice",
                                "arn:aws:sqs:us-east-1:123456789012:queue"}) {
    auto target = ParseTargetRef(ref, Defaults());

    ASSERT_FALSE(target) << ref;
    EXPECT_EQ(target.error().kind, ErrorKind::kInvalidInput);
    for (const char* form :
         {"aws:iam-user:NAME", "arn:aws:iam::ACCOUNT:user/NAME", "aws:access-key:AKIA",
          "aws:iam-role:NAME", "aws:ec2-instance:i-", "arn:aws:ec2:REGION:ACCOUNT:instance/i-",
          "aws:s3-bucket:BUCKET", "aws:lambda-function:NAME"}) {
      EXPECT_THAT(target.error().message, HasSubstr(form)) << ref;
    }
  }
}

TEST(TargetRefTest, BadDefaultsAreNamed) {
  auto region = ParseTargetRef("aws:ec2-instance:i-0123abcd", RefDefaults{"us-east", ""});
  auto account = ParseTargetRef("aws:iam-user:alice", RefDefaults{"", "1234"});

  ASSERT_FALSE(region);
  EXPECT_THAT(region.error().message, HasSubstr("default region \"us-east\""));
  ASSERT_FALSE(account);
  EXPECT_THAT(account.error().message, HasSubstr("default account \"1234\""));
}

struct Rejected {
  std::string ref;
  std::string expected_form;  // a part of the kind's accepted forms the message must show
  std::string why;            // a part of the reason the message must give
};

// The reference as messages show it: control characters escaped.
std::string Printable(const std::string& ref) {
  std::string out;
  for (char c : ref) {
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

class TargetRefRejectsTest : public ::testing::TestWithParam<Rejected> {};

TEST_P(TargetRefRejectsTest, QuotesTheReferenceAndShowsTheExpectedForm) {
  const Rejected& c = GetParam();

  auto target = ParseTargetRef(c.ref, Defaults());

  ASSERT_FALSE(target) << c.ref << " was accepted as " << target->Key();
  EXPECT_EQ(target.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(target.error().message, StartsWith(Printable(c.ref) + ": ")) << c.ref;
  EXPECT_THAT(target.error().message, HasSubstr("expected ")) << c.ref;
  EXPECT_THAT(target.error().message, HasSubstr(c.expected_form)) << c.ref;
  EXPECT_THAT(target.error().message, HasSubstr(c.why)) << c.ref;
}

constexpr const char* kInstanceForm = "aws:ec2-instance:i-<8 or 17 lower-case hex digits>";
constexpr const char* kUserForm = "aws:iam-user:NAME or arn:aws:iam::ACCOUNT:user/NAME";
constexpr const char* kRoleForm = "aws:iam-role:NAME or arn:aws:iam::ACCOUNT:role/NAME";
constexpr const char* kKeyForm = "aws:access-key:AKIA… or aws:access-key:ASIA…";
constexpr const char* kBucketForm = "aws:s3-bucket:BUCKET or arn:aws:s3:::BUCKET";
constexpr const char* kFunctionForm = "arn:aws:lambda:REGION:ACCOUNT:function:NAME";

INSTANTIATE_TEST_SUITE_P(
    Malformed, TargetRefRejectsTest,
    ::testing::Values(
        Rejected{"aws:ec2-instance:i-0ABC1234", kInstanceForm, "upper-case"},
        Rejected{"aws:ec2-instance:i-0abc123", kInstanceForm, "7 hex digits"},
        Rejected{"aws:ec2-instance:i-0abc12345", kInstanceForm, "9 hex digits"},
        Rejected{"aws:ec2-instance:i-0abcdefg", kInstanceForm, "other than hex digits"},
        Rejected{"aws:ec2-instance:0abc1234", kInstanceForm, "does not start with i-"},
        Rejected{"aws:ec2-instance:i-0abc1234 ", kInstanceForm, "white space"},
        Rejected{"aws:ec2-instance:i-0abc1234\n", kInstanceForm,
                 "\"aws:ec2-instance:i-0abc1234\\n\""},
        Rejected{" aws:iam-user:alice", kUserForm, "white space"},
        Rejected{"aws:iam-user:al ice", kUserForm, "white space"},
        Rejected{"aws:iam-user:", kUserForm, "the id is empty"},
        Rejected{"aws:iam-user:path/alice", kUserForm, "other than A-Z a-z 0-9 _+=,.@-"},
        Rejected{"aws:iam-user:" + std::string(65, 'a'), kUserForm, "65 characters long"},
        Rejected{"aws:iam-role:" + std::string(65, 'r'), kRoleForm, "65 characters long"},
        Rejected{"aws:iam-role:my:role", kRoleForm, "other than"},
        Rejected{"aws:access-key:akiaiosfodnn7example", kKeyForm, "does not start with AKIA"},
        Rejected{"aws:access-key:AKIAiosfodnn7example", kKeyForm, "lower-case"},
        Rejected{"aws:access-key:AKIA1234", kKeyForm, "8 characters long"},
        Rejected{"aws:access-key:AKIA" + std::string(125, '7'), kKeyForm, "129 characters"},
        Rejected{"aws:access-key:ABIAIOSFODNN7EXAMPLE", kKeyForm, "does not start with AKIA"},
        Rejected{"aws:access-key:AKIA-OSFODNN7EXAMPLE", kKeyForm, "other than upper-case"},
        Rejected{"arn:aws:iam::12345678901:user/alice", kUserForm, "account \"12345678901\""},
        Rejected{"arn:aws:iam::123456789012:group/admins", kRoleForm, "not user/NAME or role/NAME"},
        Rejected{"arn:aws:iam:us-east-1:123456789012:user/alice", kUserForm, "empty region"},
        Rejected{"arn:aws:iam::123456789012:user//alice", kUserForm, "not well-formed"},
        Rejected{"arn:aws:iam::123456789012:user/", kUserForm, "the id is empty"},
        Rejected{"arn:aws:iam::123456789012:role/a/" + std::string(65, 'r'), kRoleForm,
                 "65 characters"},
        Rejected{"arn:aws-iso:ec2:us-iso-east-1:123456789012:instance/i-0123abcd", kInstanceForm,
                 "partition \"aws-iso\""},
        Rejected{"arn:aws:ec2:us-east:123456789012:instance/i-0123abcd", kInstanceForm,
                 "region \"us-east\""},
        Rejected{"arn:aws:ec2:US-EAST-1:123456789012:instance/i-0123abcd", kInstanceForm,
                 "region \"US-EAST-1\""},
        Rejected{"arn:aws:ec2:cn-north-1:123456789012:instance/i-0123abcd", kInstanceForm,
                 "not in partition aws"},
        Rejected{"arn:aws:ec2:us-east-1:123456789012:volume/vol-0123abcd", kInstanceForm,
                 "not instance/i-"},
        Rejected{"arn:aws:ec2:us-east-1::instance/i-0123abcd", kInstanceForm, "account \"\""},
        Rejected{"arn:aws:ec2:us-east-1:123456789012:instance/I-0123ABCD", kInstanceForm,
                 "upper-case"},
        Rejected{"arn:aws:s3:::bucket/key.txt", kBucketForm, "object ARN"},
        Rejected{"arn:aws:s3:us-east-1::bucket", kBucketForm, "empty region"},
        Rejected{"arn:aws:s3:::My-Bucket", kBucketForm, "upper-case"},
        Rejected{"aws:s3-bucket:ab", kBucketForm, "2 characters long"},
        Rejected{"aws:s3-bucket:" + std::string(64, 'b'), kBucketForm, "64 characters long"},
        Rejected{"aws:s3-bucket:-bucket", kBucketForm, "start and end with a letter or digit"},
        Rejected{"aws:s3-bucket:my..bucket", kBucketForm, "adjacent dots"},
        Rejected{"aws:s3-bucket:my_bucket", kBucketForm, "other than a-z 0-9 . -"},
        Rejected{"aws:s3-bucket:192.168.1.1", kBucketForm, "IP address"},
        Rejected{"aws:s3-bucket:xn--bucket", kBucketForm, "reserved prefix xn--"},
        Rejected{"aws:s3-bucket:bucket-s3alias", kBucketForm, "reserved suffix -s3alias"},
        Rejected{"arn:aws:lambda:us-east-1:123456789012:function:fn:PROD", kFunctionForm,
                 "qualifier \":PROD\""},
        Rejected{"arn:aws:lambda:us-east-1:123456789012:layer:x", kFunctionForm,
                 "not function:NAME"},
        Rejected{"aws:lambda-function:fn.name", kFunctionForm, "other than A-Z a-z 0-9 - _"},
        Rejected{"aws:lambda-function:" + std::string(65, 'f'), kFunctionForm,
                 "65 characters long"},
        Rejected{"arn:aws:iam", kUserForm, "six colon-separated fields"}));

TEST(TargetRefTest, IdProblemIsEmptyForWellFormedIds) {
  EXPECT_EQ(TargetIdProblem(TargetKind::kAwsEc2Instance, "i-99999999"), std::nullopt);
  EXPECT_EQ(TargetIdProblem(TargetKind::kAwsAccessKey, "ASIASZ4SI7REEEXAMPLE"), std::nullopt);
  EXPECT_EQ(TargetIdProblem(TargetKind::kAwsIamRole, "GeneratedFindingUserName"), std::nullopt);
  EXPECT_NE(TargetIdProblem(TargetKind::kAwsAccessKey, "GeneratedFindingAccessKeyId"),
            std::nullopt);
}

TEST(TargetRefTest, RegionShapeIsChecked) {
  for (const char* region : {"us-east-1", "eu-central-2", "us-gov-west-1", "cn-northwest-1",
                             "ap-southeast-4", "il-central-1", "us-iso-east-1"}) {
    EXPECT_TRUE(IsRegion(region)) << region;
  }
  for (const char* region : {"", "us-east", "useast-1", "us-east-01", "US-EAST-1", "us-foo-west-1",
                             "us-east-1a", "us-east-1 ", "u-east-1", "us--1", "us-east-123"}) {
    EXPECT_FALSE(IsRegion(region)) << region;
  }
}

TEST(TargetRefTest, AccountIdsAreTwelveDigits) {
  EXPECT_TRUE(IsAccountId("123456789012"));
  EXPECT_FALSE(IsAccountId("12345678901"));
  EXPECT_FALSE(IsAccountId("1234567890123"));
  EXPECT_FALSE(IsAccountId("12345678901a"));
  EXPECT_FALSE(IsAccountId(""));
}

}  // namespace
}  // namespace cordon::planning
