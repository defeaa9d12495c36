#include "planning/guardduty.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/fs.h"
#include "planning/planner.h"

namespace cordon::planning {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr FindingOptions kDefault{};
constexpr FindingOptions kWithSamples{true};

std::string Vendor(const std::string& name) {
  auto text = ReadFile(std::filesystem::path(CORDON_SHARED_DIR) / "cases/aws/guardduty" / name);
  EXPECT_TRUE(text) << name;
  return text ? *text : std::string();
}

Finding Only(const std::string& text, const FindingOptions& options = kDefault) {
  auto set = ParseGuardDutyFindings(text, options);
  EXPECT_TRUE(set) << set.error().message;
  if (!set || set->findings.size() != 1) {
    ADD_FAILURE() << "expected exactly one finding";
    return {};
  }
  return set->findings[0];
}

// The vendor's access-key sample, whose key id is a placeholder that is not a key id.
TEST(GuardDutyVendorTest, IamEventIsSkippedAsAnArchivedSample) {
  Finding finding = Only(Vendor("aws-samples_guardduty_iam_event.json"));

  EXPECT_EQ(finding.id, "30bf285e52a1e405084ff6ec28e06e17");
  EXPECT_EQ(finding.type, "Recon:IAMUser/MaliciousIPCaller.Custom");
  EXPECT_EQ(finding.account, "123456789012");
  EXPECT_EQ(finding.region, "us-east-1");
  EXPECT_DOUBLE_EQ(finding.severity, 5);
  EXPECT_TRUE(finding.sample);
  EXPECT_TRUE(finding.archived);
  EXPECT_TRUE(finding.targets.empty());
  EXPECT_THAT(finding.notes, ElementsAre("skipped: sample finding, archived; pass "
                                         "--include-samples to contain it"));
  EXPECT_THAT(finding.techniques, ElementsAre("T1580", "T1087.004"));
}

TEST(GuardDutyVendorTest, IamEventWithSamplesRejectsThePlaceholderKeyId) {
  auto set = ParseGuardDutyFindings(Vendor("aws-samples_guardduty_iam_event.json"), kWithSamples);

  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(set.error().message,
              HasSubstr("resource.accessKeyDetails.accessKeyId: expected AKIA… or ASIA…"));
  EXPECT_THAT(set.error().message, HasSubstr("\"GeneratedFindingAccessKeyId\""));
}

TEST(GuardDutyVendorTest, IamEventWithARealKeyIdNamesTheKeyAndItsOwnerButNotTheInstance) {
  std::string text = Vendor("aws-samples_guardduty_iam_event.json");
  text.replace(text.find("GeneratedFindingAccessKeyId"), 27, "AKIAIOSFODNN7EXAMPLE");

  Finding finding = Only(text, kWithSamples);

  ASSERT_EQ(finding.targets.size(), 1u);
  const Target expected{TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "123456789012", "",
                        "GeneratedFindingUserName"};
  EXPECT_EQ(finding.targets[0], expected);
}

TEST(GuardDutyVendorTest, S3EventIsSkippedAsAnArchivedSample) {
  Finding finding = Only(Vendor("aws-samples_guardduty_s3_event.json"));

  EXPECT_EQ(finding.id, "2cbf285e52a6e74ff96f4cb3cf93296d");
  EXPECT_EQ(finding.type, "PenTest:S3/ParrotLinux");
  EXPECT_TRUE(finding.targets.empty());
  EXPECT_THAT(finding.notes, ElementsAre(HasSubstr("skipped: sample finding")));
  EXPECT_THAT(finding.techniques, ElementsAre("T1530", "T1078.004"));
}

// The sample's bucket name "bucketName" breaks the S3 naming rules: reported, not lower-cased.
TEST(GuardDutyVendorTest, S3EventWithSamplesRejectsThePlaceholderBucketName) {
  auto set = ParseGuardDutyFindings(Vendor("aws-samples_guardduty_s3_event.json"), kWithSamples);

  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(set.error().message,
            "resource.s3BucketDetails[0].name: expected BUCKET (3-63 of a-z 0-9 . -, starting and "
            "ending with a letter or digit); \"bucketName\" has upper-case letters");
}

// With well-formed placeholders, the PenTest finding names the bucket and the key that used it.
TEST(GuardDutyVendorTest, S3EventWithRealIdsNamesTheBucketAndTheKey) {
  std::string text = Vendor("aws-samples_guardduty_s3_event.json");
  for (size_t at = text.find("bucketName"); at != std::string::npos; at = text.find("bucketName")) {
    text.replace(at, 10, "example-bucket");
  }
  text.replace(text.find("GeneratedFindingAccessKeyId"), 27, "AKIAIOSFODNN7EXAMPLE");

  Finding finding = Only(text, kWithSamples);

  const Target bucket{TargetKind::kAwsS3Bucket, "example-bucket", "123456789012", "us-east-1", ""};
  const Target key{TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "123456789012", "",
                   "GeneratedFindingUserName"};
  EXPECT_THAT(finding.targets, ElementsAre(bucket, key));  // the instance details are context
  EXPECT_THAT(finding.notes, ::testing::IsEmpty());
  EXPECT_THAT(finding.techniques, ElementsAre("T1530", "T1078.004"));
}

// A bare camelCase finding of GuardDuty's integration-test type: not a threat, never contained.
TEST(GuardDutyVendorTest, Ec2EventIsACanaryWithNoPlaybook) {
  for (const auto& options : {kDefault, kWithSamples}) {
    Finding finding = Only(Vendor("aws-samples_guardduty_ec2_event.json"), options);

    EXPECT_EQ(finding.id, "16afba5c5c43e07c9e3e5e2e544e95df");
    EXPECT_EQ(finding.type, "Canary:EC2/Stateless.IntegTest");
    EXPECT_EQ(finding.account, "123456789012");
    EXPECT_FALSE(finding.sample);
    EXPECT_FALSE(finding.archived);
    EXPECT_TRUE(finding.targets.empty());
    EXPECT_TRUE(finding.techniques.empty());
    EXPECT_THAT(finding.notes, ElementsAre("no playbook for finding type "
                                           "Canary:EC2/Stateless.IntegTest; nothing planned"));
  }
}

TEST(GuardDutyVendorTest, Ec2EventInAnEnvelopeWithAThreatTypeNamesTheInstance) {
  json detail = json::parse(Vendor("aws-samples_guardduty_ec2_event.json"));
  detail["type"] = "CryptoCurrency:EC2/BitcoinTool.B!DNS";
  const json event = {{"version", "0"},
                      {"id", "c8c4daa7-a20c-2f03-0070-b7393dd542ad"},
                      {"detail-type", "GuardDuty Finding"},
                      {"source", "aws.guardduty"},
                      {"account", "123456789012"},
                      {"region", "us-east-1"},
                      {"detail", detail}};

  Finding finding = Only(event.dump());

  EXPECT_EQ(finding.id, "16afba5c5c43e07c9e3e5e2e544e95df");
  const Target expected{TargetKind::kAwsEc2Instance, "i-05746eb48123455e0", "123456789012",
                        "us-east-1", ""};
  EXPECT_THAT(finding.targets, ElementsAre(expected));
  EXPECT_THAT(finding.techniques, ElementsAre("T1496"));
  EXPECT_TRUE(finding.notes.empty());
}

TEST(GuardDutyVendorTest, AwsCliGetFindingsNamesTheTemporaryKeyAndItsUser) {
  Finding finding = Only(Vendor("awscli_get-findings_output.json"));

  EXPECT_EQ(finding.id, "1ab92989eaf0e742df4a014d5example");
  EXPECT_EQ(finding.type, "Recon:IAMUser/UserPermissions");
  EXPECT_EQ(finding.account, "111122223333");
  EXPECT_EQ(finding.region, "us-east-1");
  EXPECT_FALSE(finding.archived);
  const Target expected{TargetKind::kAwsAccessKey, "ASIASZ4SI7REEEXAMPLE", "111122223333", "",
                        "testuser"};
  EXPECT_THAT(finding.targets, ElementsAre(expected));
  EXPECT_THAT(finding.techniques, ElementsAre("T1580", "T1087.004"));
  EXPECT_THAT(finding.notes, ElementsAre(HasSubstr("is temporary (a session of IAM user "
                                                   "testuser)")));
}

// What `cordon plan --finding FILE` hands the planner (cli/inputs.cc).
Plan PlanFindings(const std::string& text, const FindingOptions& options) {
  PlanRequest request;
  request.case_id = "C1";
  request.created_at = "2026-12-03T00:00:00.000Z";
  auto set = ParseGuardDutyFindings(text, options);
  EXPECT_TRUE(set) << set.error().message;
  for (const auto& finding : set ? set->findings : std::vector<Finding>{}) {
    const std::string source = "finding " + finding.id + " (" + finding.type + ")";
    for (const auto& note : finding.notes) {
      request.notes.push_back(std::string(source).append(": ").append(note));
    }
    for (const auto& target : finding.targets) {
      request.inputs.push_back({target, source, finding.techniques, {}});
    }
  }
  return BuildPlan(request);
}

std::vector<std::string> Playbooks(const Plan& plan) {
  std::vector<std::string> playbooks;
  for (const auto& planned : plan.targets) {
    playbooks.push_back(planned.playbook + " " + planned.target.Key());
  }
  return playbooks;
}

TEST(GuardDutyPlanTest, EveryVendorFileGivesTheExpectedPlaybooks) {
  struct Case {
    const char* file;
    FindingOptions options;
    std::vector<std::string> playbooks;
  };
  const std::vector<Case> cases = {
      {"aws-samples_guardduty_ec2_event.json", kDefault, {}},
      {"aws-samples_guardduty_ec2_event.json", kWithSamples, {}},
      {"aws-samples_guardduty_iam_event.json", kDefault, {}},
      {"aws-samples_guardduty_s3_event.json", kDefault, {}},
      {"awscli_get-findings_output.json",
       kDefault,
       {"aws-access-key aws:access-key:ASIASZ4SI7REEEXAMPLE"}},
      {"awscli_get-findings_output.json",
       kWithSamples,
       {"aws-access-key aws:access-key:ASIASZ4SI7REEEXAMPLE"}},
  };
  for (const auto& c : cases) {
    Plan plan = PlanFindings(Vendor(c.file), c.options);

    EXPECT_EQ(Playbooks(plan), c.playbooks) << c.file;
    EXPECT_EQ(plan.steps.empty(), c.playbooks.empty()) << c.file;
    if (c.playbooks.empty()) {
      EXPECT_THAT(plan.notes, ElementsAre(HasSubstr("finding "))) << c.file;
    }
  }
}

TEST(GuardDutyPlanTest, FindingTechniquesLabelTheMutatingSteps) {
  Plan plan = PlanFindings(Vendor("awscli_get-findings_output.json"), kDefault);

  const Step* deactivate = plan.FindStep("aws:access-key:ASIASZ4SI7REEEXAMPLE/deactivate-keys");
  ASSERT_NE(deactivate, nullptr);
  EXPECT_THAT(deactivate->techniques, ::testing::IsSupersetOf({"T1580", "T1087.004"}));
  EXPECT_EQ(plan.targets[0].source,
            "finding 1ab92989eaf0e742df4a014d5example (Recon:IAMUser/UserPermissions)");
  EXPECT_EQ(plan.targets[0].target.owner, "testuser");
}

TEST(GuardDutyPlanTest, CredentialExfiltrationPlansTheRoleAndTheInstance) {
  const std::string text = R"({"Findings":[{"Id":"f1","AccountId":"123456789012",
    "Region":"eu-west-1",
    "Type":"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
    "Resource":{"AccessKeyDetails":{"AccessKeyId":"ASIAQWERTYUIOPASDFGH",
      "PrincipalId":"AROAEXAMPLE:i-0123456789abcdef0","UserName":"web-role",
      "UserType":"AssumedRole"},
      "InstanceDetails":{"InstanceId":"i-0123456789abcdef0"}}}]})";

  Plan plan = PlanFindings(text, kDefault);

  EXPECT_THAT(Playbooks(plan),
              ElementsAre("aws-iam-role aws:iam-role:web-role",
                          "aws-ec2-instance aws:ec2-instance:i-0123456789abcdef0"));
  const Step* revoke = plan.FindStep("aws:iam-role:web-role/revoke-sessions");
  ASSERT_NE(revoke, nullptr);
  EXPECT_THAT(revoke->techniques, ::testing::Contains("T1552.005"));
}

}  // namespace
}  // namespace cordon::planning
