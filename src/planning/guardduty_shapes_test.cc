// The shapes and finding families the GuardDuty parser accepts, on hand-made findings.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "planning/guardduty.h"

namespace cordon::planning {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

FindingSet Parse(const std::string& text, const FindingOptions& options = {}) {
  auto set = ParseGuardDutyFindings(text, options);
  EXPECT_TRUE(set) << set.error().message;
  return set ? *set : FindingSet{};
}

// One camelCase finding with an access key of `user_type`.
json KeyFinding(const std::string& type, const std::string& user_type, const std::string& user_name,
                const std::string& key = "ASIAQWERTYUIOPASDFGH") {
  return {{"id", "k-" + user_type},
          {"type", type},
          {"accountId", "123456789012"},
          {"region", "us-west-2"},
          {"resource",
           {{"resourceType", "AccessKey"},
            {"accessKeyDetails",
             {{"accessKeyId", key}, {"userName", user_name}, {"userType", user_type}}}}}};
}

Target Instance(const std::string& id, const std::string& region = "us-west-2") {
  return {TargetKind::kAwsEc2Instance, id, "123456789012", region, ""};
}

TEST(GuardDutyShapesTest, ApiListWithSeveralFindingsKeepsOrderAndDropsRepeats) {
  const std::string text = R"({"Findings":[
    {"Id":"a1","Type":"CryptoCurrency:EC2/BitcoinTool.B!DNS","AccountId":"123456789012",
     "Region":"us-west-2","Severity":8,
     "Resource":{"InstanceDetails":{"InstanceId":"i-0123456789abcdef0"}}},
    {"Id":"b2","Type":"UnauthorizedAccess:EC2/SSHBruteForce","AccountId":"123456789012",
     "Region":"us-west-2","Resource":{"InstanceDetails":{"InstanceId":"i-0abc1234"}}},
    {"Id":"c3","Type":"Persistence:IAMUser/AnomalousBehavior","AccountId":"123456789012",
     "Resource":{"AccessKeyDetails":{"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","UserName":"alice",
       "UserType":"IAMUser"}}},
    {"Id":"a1","Type":"CryptoCurrency:EC2/BitcoinTool.B!DNS","AccountId":"123456789012",
     "Region":"us-west-2","Severity":8,
     "Resource":{"InstanceDetails":{"InstanceId":"i-0123456789abcdef0"}}}]})";

  FindingSet set = Parse(text);

  ASSERT_EQ(set.findings.size(), 3u);
  EXPECT_EQ(set.findings[0].id, "a1");
  EXPECT_THAT(set.findings[0].targets, ElementsAre(Instance("i-0123456789abcdef0")));
  EXPECT_THAT(set.findings[0].techniques, ElementsAre("T1496"));
  EXPECT_THAT(set.findings[0].notes, ElementsAre("sent 2 times in this input; planned once"));
  EXPECT_DOUBLE_EQ(set.findings[0].severity, 8);
  EXPECT_THAT(set.findings[1].targets, ElementsAre(Instance("i-0abc1234")));
  EXPECT_THAT(set.findings[1].techniques, ElementsAre("T1110"));
  const Target key{TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "123456789012", "", "alice"};
  EXPECT_THAT(set.findings[2].targets, ElementsAre(key));
  EXPECT_THAT(set.findings[2].techniques, ElementsAre("T1098"));
  EXPECT_THAT(set.findings[2].notes, IsEmpty());
}

TEST(GuardDutyShapesTest, EmptyApiListHasNoFindings) {
  EXPECT_THAT(Parse(R"({"Findings":[]})").findings, IsEmpty());
}

TEST(GuardDutyShapesTest, BareFindingReadsTheSameInEitherCase) {
  const std::string camel = R"({"id":"x1","type":"Backdoor:EC2/C&CActivity.B!DNS",
    "accountId":"123456789012","region":"eu-central-2",
    "resource":{"instanceDetails":{"instanceId":"i-99999999"}},
    "service":{"archived":false,"additionalInfo":{"sample":false}}})";
  const std::string pascal = R"({"Id":"x1","Type":"Backdoor:EC2/C&CActivity.B!DNS",
    "AccountId":"123456789012","Region":"eu-central-2",
    "Resource":{"InstanceDetails":{"InstanceId":"i-99999999"}},
    "Service":{"Archived":false,"AdditionalInfo":{"Sample":false}}})";

  for (const std::string& text : {camel, pascal}) {
    FindingSet set = Parse(text);

    ASSERT_EQ(set.findings.size(), 1u);
    EXPECT_EQ(set.findings[0].id, "x1");
    EXPECT_THAT(set.findings[0].targets, ElementsAre(Instance("i-99999999", "eu-central-2")));
    EXPECT_THAT(set.findings[0].techniques, ElementsAre("T1071", "T1105"));
  }
}

TEST(GuardDutyShapesTest, AssumedRoleKeyNamesTheRole) {
  json finding =
      KeyFinding("UnauthorizedAccess:IAMUser/MaliciousIPCaller", "AssumedRole", "webapp-role");
  finding["resource"]["instanceDetails"] = {{"instanceId", "i-0abc1234"}};

  FindingSet set = Parse(finding.dump());

  ASSERT_EQ(set.findings.size(), 1u);
  const Target role{TargetKind::kAwsIamRole, "webapp-role", "123456789012", "", ""};
  EXPECT_THAT(set.findings[0].targets, ElementsAre(role));  // the instance is not implicated
  EXPECT_THAT(set.findings[0].notes,
              ElementsAre(HasSubstr("access key ASIAQWERTYUIOPASDFGH is a session of IAM role "
                                    "webapp-role (GuardDuty gives an assumed role's name")));
  EXPECT_THAT(set.findings[0].techniques, ElementsAre("T1078.004"));
}

TEST(GuardDutyShapesTest, InstanceCredentialExfiltrationNamesTheRoleAndTheInstance) {
  json finding = KeyFinding("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS",
                            "AssumedRole", "ec2-app-role");
  finding["resource"]["instanceDetails"] = {{"instanceId", "i-0123456789abcdef0"}};

  FindingSet set = Parse(finding.dump());

  ASSERT_EQ(set.findings.size(), 1u);
  const Target role{TargetKind::kAwsIamRole, "ec2-app-role", "123456789012", "", ""};
  EXPECT_THAT(set.findings[0].targets, ElementsAre(role, Instance("i-0123456789abcdef0")));
  EXPECT_THAT(set.findings[0].techniques, ElementsAre("T1552.005", "T1078.004"));
}

TEST(GuardDutyShapesTest, InstanceCredentialExfiltrationWithoutInstanceOrTypeNamesTheRole) {
  json finding = KeyFinding("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
                            "AssumedRole", "ec2-app-role");
  finding["resource"]["accessKeyDetails"].erase("userType");

  FindingSet set = Parse(finding.dump());

  ASSERT_EQ(set.findings.size(), 1u);
  const Target role{TargetKind::kAwsIamRole, "ec2-app-role", "123456789012", "", ""};
  EXPECT_THAT(set.findings[0].targets, ElementsAre(role));
}

TEST(GuardDutyShapesTest, RootKeyIsNotContained) {
  FindingSet set = Parse(KeyFinding("Policy:IAMUser/RootCredentialUsage", "Root", "").dump());

  ASSERT_EQ(set.findings.size(), 1u);
  EXPECT_THAT(set.findings[0].targets, IsEmpty());
  EXPECT_THAT(set.findings[0].notes,
              ElementsAre(HasSubstr("cordon does not contain the root user")));
  EXPECT_THAT(set.findings[0].techniques, ElementsAre("T1078.004"));
}

TEST(GuardDutyShapesTest, OtherPrincipalTypesAreNotContained) {
  for (const char* user_type : {"FederatedUser", "AWSService", "AWSAccount"}) {
    FindingSet set =
        Parse(KeyFinding("Discovery:IAMUser/AnomalousBehavior", user_type, "someone").dump());

    ASSERT_EQ(set.findings.size(), 1u);
    EXPECT_THAT(set.findings[0].targets, IsEmpty()) << user_type;
    EXPECT_THAT(set.findings[0].notes,
                ElementsAre(HasSubstr(std::string("principal of type ") + user_type)));
  }
}

TEST(GuardDutyShapesTest, IamUserWithoutKeyIdNamesTheUser) {
  json finding = KeyFinding("Stealth:IAMUser/CloudTrailLoggingDisabled", "IAMUser", "bob");
  finding["resource"]["accessKeyDetails"].erase("accessKeyId");

  FindingSet set = Parse(finding.dump());

  ASSERT_EQ(set.findings.size(), 1u);
  const Target user{TargetKind::kAwsIamUser, "bob", "123456789012", "", ""};
  EXPECT_THAT(set.findings[0].targets, ElementsAre(user));
  EXPECT_THAT(set.findings[0].notes,
              ElementsAre(HasSubstr("resource.accessKeyDetails.accessKeyId is absent")));
}

TEST(GuardDutyShapesTest, UnknownTypeHasNoTargetsAndSaysSo) {
  for (const char* type :
       {"Execution:Runtime/NewBinaryExecuted", "Object:S3/MaliciousFile",
        "Discovery:Kubernetes/MaliciousIPCaller", "Canary:Lambda/Test", "NotAType"}) {
    json finding = KeyFinding(type, "IAMUser", "alice", "AKIAIOSFODNN7EXAMPLE");
    finding["resource"]["instanceDetails"] = {{"instanceId", "i-0abc1234"}};

    FindingSet set = Parse(finding.dump());

    ASSERT_EQ(set.findings.size(), 1u);
    EXPECT_THAT(set.findings[0].targets, IsEmpty()) << type;
    EXPECT_THAT(set.findings[0].notes, ElementsAre("no playbook for finding type " +
                                                   std::string(type) + "; nothing planned"));
  }
}

TEST(GuardDutyShapesTest, SampleAsStringIsSkippedUnlessAsked) {
  json finding =
      KeyFinding("Recon:IAMUser/UserPermissions", "IAMUser", "alice", "AKIAIOSFODNN7EXAMPLE");
  finding["service"] = {{"additionalInfo", {{"sample", "true"}}}};

  FindingSet skipped = Parse(finding.dump());
  FindingSet included = Parse(finding.dump(), FindingOptions{true});

  ASSERT_EQ(skipped.findings.size(), 1u);
  EXPECT_TRUE(skipped.findings[0].sample);
  EXPECT_THAT(skipped.findings[0].targets, IsEmpty());
  EXPECT_THAT(skipped.findings[0].notes,
              ElementsAre("skipped: sample finding; pass --include-samples to contain it"));
  ASSERT_EQ(included.findings.size(), 1u);
  EXPECT_EQ(included.findings[0].targets.size(), 1u);
  EXPECT_THAT(included.findings[0].notes, IsEmpty());
}

TEST(GuardDutyShapesTest, ArchivedFindingIsSkippedUnlessAsked) {
  const std::string text = R"({"Id":"z9","Type":"Trojan:EC2/DNSDataExfiltration",
    "Service":{"Archived":true,"AdditionalInfo":{"Sample":"false"}},
    "Resource":{"InstanceDetails":{"InstanceId":"i-0abc1234"}}})";

  FindingSet skipped = Parse(text);
  FindingSet included = Parse(text, FindingOptions{true});

  ASSERT_EQ(skipped.findings.size(), 1u);
  EXPECT_FALSE(skipped.findings[0].sample);
  EXPECT_THAT(skipped.findings[0].notes,
              ElementsAre("skipped: archived finding; pass --include-samples to contain it"));
  ASSERT_EQ(included.findings.size(), 1u);
  const Target instance{TargetKind::kAwsEc2Instance, "i-0abc1234", "", "", ""};
  EXPECT_THAT(included.findings[0].targets, ElementsAre(instance));
  EXPECT_THAT(included.findings[0].techniques, ElementsAre("T1048", "T1071.004"));
}

TEST(GuardDutyShapesTest, MissingBlocksAreNotErrorsButAreNamed) {
  FindingSet instance = Parse(R"({"Id":"m1","Type":"CryptoCurrency:EC2/BitcoinTool.B"})");
  FindingSet key = Parse(R"({"id":"m2","type":"Recon:IAMUser/UserPermissions","resource":{}})");

  ASSERT_EQ(instance.findings.size(), 1u);
  EXPECT_THAT(instance.findings[0].targets, IsEmpty());
  EXPECT_THAT(instance.findings[0].notes,
              ElementsAre(HasSubstr("Resource.InstanceDetails.InstanceId is absent")));
  ASSERT_EQ(key.findings.size(), 1u);
  EXPECT_THAT(key.findings[0].targets, IsEmpty());
  EXPECT_THAT(key.findings[0].notes,
              ElementsAre(HasSubstr("resource.accessKeyDetails.userType is absent")));
}

TEST(GuardDutyShapesTest, NullBlocksCountAsAbsent) {
  FindingSet set = Parse(R"({"Id":"n1","Type":"Recon:EC2/Portscan","Region":null,
    "Service":null,"Resource":{"InstanceDetails":{"InstanceId":"i-0abc1234","Platform":null}}})");

  ASSERT_EQ(set.findings.size(), 1u);
  EXPECT_EQ(set.findings[0].targets.size(), 1u);
  EXPECT_EQ(set.findings[0].region, "");
  EXPECT_THAT(set.findings[0].techniques, ElementsAre("T1046"));
}

}  // namespace
}  // namespace cordon::planning
