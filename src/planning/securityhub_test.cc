// Security Hub ASFF findings: the vendors' files, the document shapes, and which findings are
// skipped.
#include "planning/securityhub.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/fs.h"

namespace cordon::planning {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr FindingOptions kDefault{};
constexpr FindingOptions kWithSamples{true};

std::string Vendor(const std::string& name) {
  auto text = ReadFile(std::filesystem::path(CORDON_SHARED_DIR) / "cases/aws/securityhub" / name);
  EXPECT_TRUE(text) << name;
  return text ? *text : std::string();
}

FindingSet Parse(const std::string& text, const FindingOptions& options = kDefault) {
  auto set = ParseSecurityHubFindings(text, options);
  EXPECT_TRUE(set) << set.error().message;
  return set ? *set : FindingSet{};
}

Finding Only(const std::string& text, const FindingOptions& options = kDefault) {
  FindingSet set = Parse(text, options);
  if (set.findings.size() != 1) {
    ADD_FAILURE() << "expected exactly one finding, got " << set.findings.size();
    return {};
  }
  return set.findings[0];
}

// A Security Hub control finding, FAILED, about one EC2 instance.
json Control(const std::string& id = "arn:aws:securityhub:us-east-1:123456789012:finding/1") {
  return {{"SchemaVersion", "2018-10-08"},
          {"Id", id},
          {"ProductArn", "arn:aws:securityhub:us-east-1::product/aws/securityhub"},
          {"GeneratorId", "security-control/EC2.8"},
          {"AwsAccountId", "123456789012"},
          {"Types", {"Software and Configuration Checks/AWS Security Best Practices"}},
          {"Severity", {{"Label", "HIGH"}}},
          {"Title", "EC2 instances should use IMDSv2"},
          {"Resources",
           {{{"Type", "AwsEc2Instance"},
             {"Id", "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"},
             {"Region", "us-east-1"}}}},
          {"Compliance", {{"Status", "FAILED"}}},
          {"Workflow", {{"Status", "NEW"}}},
          {"RecordState", "ACTIVE"}};
}

Target ControlInstance() {
  return {TargetKind::kAwsEc2Instance, "i-0123456789abcdef0", "123456789012", "us-east-1", ""};
}

TEST(SecurityHubVendorTest, PciLambdaListIsArchivedAndPassedSoNothingIsPlanned) {
  Finding finding = Only(Vendor("awscli_get-findings_pci-lambda2.json"));

  EXPECT_EQ(finding.id,
            "arn:aws:securityhub:eu-central-1:123456789012:subscription/pci-dss/v/3.2.1/"
            "PCI.Lambda.2/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111");
  EXPECT_EQ(finding.format, "securityhub");
  EXPECT_EQ(finding.product, "aws/securityhub");
  EXPECT_EQ(finding.type,
            "Software and Configuration Checks/Industry and Regulatory Standards/PCI-DSS");
  EXPECT_EQ(finding.title, "PCI.Lambda.2 Lambda functions should be in a VPC");
  EXPECT_EQ(finding.account, "123456789012");
  EXPECT_DOUBLE_EQ(finding.severity, 0);
  EXPECT_TRUE(finding.archived);
  EXPECT_FALSE(finding.sample);
  EXPECT_THAT(finding.targets, IsEmpty());
  EXPECT_THAT(finding.techniques, IsEmpty());  // a posture check, not a technique
  EXPECT_THAT(finding.notes,
              ElementsAre("skipped: archived finding (RecordState ARCHIVED); its check passed "
                          "(Compliance.Status PASSED): nothing to contain"));
}

TEST(SecurityHubVendorTest, PciLambdaWithSamplesStillPassedSoNothingIsPlanned) {
  Finding finding = Only(Vendor("awscli_get-findings_pci-lambda2.json"), kWithSamples);

  EXPECT_THAT(finding.targets, IsEmpty());
  EXPECT_THAT(finding.notes, ElementsAre("skipped: its check passed (Compliance.Status PASSED): "
                                         "nothing to contain"));
}

TEST(SecurityHubVendorTest, PciLambdaThatFailedNamesTheAccountAsUncontainable) {
  json document = json::parse(Vendor("awscli_get-findings_pci-lambda2.json"));
  document["Findings"][0]["Compliance"]["Status"] = "FAILED";
  document["Findings"][0]["RecordState"] = "ACTIVE";

  Finding finding = Only(document.dump());

  EXPECT_THAT(finding.targets, IsEmpty());
  EXPECT_THAT(finding.notes,
              ElementsAre("Findings[0].Resources[0] (AwsAccount \"AWS::::Account:123456789012\"): "
                          "cordon has no playbook for that resource type; nothing planned for it"));
}

// The published Id reads "…us-west-1: 123456789012…": reported, never repaired.
TEST(SecurityHubVendorTest, CisIdWithASpaceIsReportedWithItsPath) {
  for (const auto& options : {kDefault, kWithSamples}) {
    auto set =
        ParseSecurityHubFindings(Vendor("awscli_get-findings_cis-1.13_space-in-id.json"), options);

    ASSERT_FALSE(set);
    EXPECT_EQ(set.error().kind, ErrorKind::kInvalidInput);
    EXPECT_THAT(set.error().message,
                StartsWith("Findings[0].Id: expected the finding id (1-512 printable characters, "
                           "no spaces), got \"arn:aws:securityhub:us-west-1: 123456789012:"
                           "subscription/cis-aws-foundations-benchmark/"));
    EXPECT_THAT(set.error().message, HasSubstr("\" (a space at character 31)"));
  }
}

TEST(SecurityHubVendorTest, CisWithoutTheSpaceReadsAsAnAccountFinding) {
  std::string text = Vendor("awscli_get-findings_cis-1.13_space-in-id.json");
  text.replace(text.find("us-west-1: 1234"), 15, "us-west-1:1234");

  Finding finding = Only(text);

  EXPECT_DOUBLE_EQ(finding.severity, 90);
  EXPECT_FALSE(finding.archived);
  EXPECT_THAT(finding.targets, IsEmpty());
  EXPECT_THAT(finding.notes, ElementsAre(HasSubstr("(AwsAccount \"AWS::::Account:123456789012\"): "
                                                   "cordon has no playbook")));
}

TEST(SecurityHubShapesTest, EveryShapeReadsTheSameFinding) {
  const json finding = Control();
  const json event = {{"version", "0"},
                      {"id", "8e5622f9-d81c-4d81-612a-9319e7ee2506"},
                      {"detail-type", "Security Hub Findings - Imported"},
                      {"source", "aws.securityhub"},
                      {"account", "123456789012"},
                      {"region", "us-east-1"},
                      {"detail", {{"findings", {finding}}}}};
  const json custom_action = {
      {"detail-type", "Security Hub Findings - Custom Action"},
      {"source", "aws.securityhub"},
      {"detail",
       {{"actionName", "contain"}, {"actionDescription", "cordon"}, {"findings", {finding}}}}};

  for (const json& document :
       {finding, json::array({finding}), json{{"Findings", {finding}}, {"NextToken", "abc"}}, event,
        custom_action}) {
    Finding read = Only(document.dump());

    EXPECT_EQ(read.id, "arn:aws:securityhub:us-east-1:123456789012:finding/1") << document;
    EXPECT_THAT(read.targets, ElementsAre(ControlInstance())) << document;
    EXPECT_DOUBLE_EQ(read.severity, 70) << document;
  }
}

TEST(SecurityHubShapesTest, ErrorsNameThePathOfEachShape) {
  json bad = Control("finding 1");
  const std::vector<std::pair<json, std::string>> cases = {
      {bad, "Id: "},
      {json::array({Control(), bad}), "[1].Id: "},
      {json{{"Findings", {bad}}}, "Findings[0].Id: "},
      {json{{"detail-type", "Security Hub Findings - Imported"}, {"detail", {{"findings", {bad}}}}},
       "detail.findings[0].Id: "},
  };
  for (const auto& [document, path] : cases) {
    auto set = ParseSecurityHubFindings(document.dump(), kDefault);

    ASSERT_FALSE(set) << document;
    EXPECT_THAT(set.error().message, StartsWith(path + "expected the finding id")) << document;
    EXPECT_THAT(set.error().message, HasSubstr("(a space at character 8)")) << document;
  }
}

TEST(SecurityHubShapesTest, EmptyListsHaveNoFindings) {
  EXPECT_THAT(Parse("[]").findings, IsEmpty());
  EXPECT_THAT(Parse(R"({"Findings":[]})").findings, IsEmpty());
  EXPECT_THAT(Parse(R"({"detail-type":"Security Hub Findings - Imported",
                        "detail":{"findings":[]}})")
                  .findings,
              IsEmpty());
}

TEST(SecurityHubShapesTest, ResentFindingIsPlannedOnce) {
  json later = Control();
  later["Workflow"]["Status"] = "NOTIFIED";
  const json other = Control("arn:aws:securityhub:us-east-1:123456789012:finding/2");

  FindingSet set = Parse(json::array({Control(), other, later}).dump());

  ASSERT_EQ(set.findings.size(), 2u);
  EXPECT_EQ(set.findings[0].id, "arn:aws:securityhub:us-east-1:123456789012:finding/1");
  EXPECT_THAT(set.findings[0].notes, ElementsAre("sent 2 times in this input; planned once"));
  EXPECT_EQ(set.findings[1].id, "arn:aws:securityhub:us-east-1:123456789012:finding/2");
}

TEST(SecurityHubSkipTest, ArchivedAndSampleFindingsAreSkippedUnlessAsked) {
  json archived = Control();
  archived["RecordState"] = "ARCHIVED";
  json sample = Control();
  sample["Sample"] = true;

  for (const auto& [finding, note] :
       {std::pair{archived,
                  "skipped: archived finding (RecordState ARCHIVED); pass "
                  "--include-samples to contain it"},
        std::pair{sample, "skipped: sample finding; pass --include-samples to contain it"}}) {
    Finding skipped = Only(finding.dump());
    Finding included = Only(finding.dump(), kWithSamples);

    EXPECT_THAT(skipped.targets, IsEmpty());
    EXPECT_THAT(skipped.notes, ElementsAre(note));
    EXPECT_THAT(included.targets, ElementsAre(ControlInstance()));
    EXPECT_THAT(included.notes, IsEmpty());
  }
}

TEST(SecurityHubSkipTest, SuppressedResolvedAndUnevaluatedFindingsAreAlwaysSkipped) {
  json suppressed = Control();
  suppressed["Workflow"]["Status"] = "SUPPRESSED";
  json resolved = Control();
  resolved["Workflow"]["Status"] = "RESOLVED";
  json old_resolved = Control();
  old_resolved.erase("Workflow");
  old_resolved["WorkflowState"] = "RESOLVED";
  json unevaluated = Control();
  unevaluated["Compliance"]["Status"] = "NOT_AVAILABLE";

  for (const auto& [finding, note] : {
           std::pair{suppressed,
                     "skipped: suppressed (Workflow.Status SUPPRESSED): a responder "
                     "decided it needs no action"},
           std::pair{resolved, "skipped: resolved (Workflow.Status RESOLVED)"},
           std::pair{old_resolved, "skipped: resolved (WorkflowState RESOLVED)"},
           std::pair{unevaluated,
                     "skipped: its check could not be evaluated (Compliance.Status "
                     "NOT_AVAILABLE)"},
       }) {
    for (const auto& options : {kDefault, kWithSamples}) {
      Finding read = Only(finding.dump(), options);

      EXPECT_THAT(read.targets, IsEmpty()) << note;
      EXPECT_THAT(read.notes, ElementsAre(note));
    }
  }
}

TEST(SecurityHubSkipTest, WarningAndAbsentComplianceArePlanned) {
  json warning = Control();
  warning["Compliance"]["Status"] = "WARNING";
  json threat = Control();
  threat.erase("Compliance");
  threat.erase("Workflow");
  threat.erase("RecordState");

  EXPECT_THAT(Only(warning.dump()).targets, ElementsAre(ControlInstance()));
  EXPECT_THAT(Only(threat.dump()).targets, ElementsAre(ControlInstance()));
}

TEST(SecurityHubTypesTest, TechniquesComeFromTheTypesTaxonomy) {
  json finding = Control();
  finding["Types"] = {"TTPs/Initial Access", "Effects/Data Exfiltration", "Unusual Behaviors/User",
                      "TTPs/Initial Access/SomeClassifier"};
  finding["Severity"] = {{"Normalized", 55}, {"Label", "MEDIUM"}};

  Finding read = Only(finding.dump());

  EXPECT_EQ(read.type, "TTPs/Initial Access");
  EXPECT_THAT(read.techniques, ElementsAre("T1078", "T1537"));
  EXPECT_DOUBLE_EQ(read.severity, 55);  // Normalized wins over Label
}

TEST(SecurityHubTypesTest, GuardDutyTypesAreRecoveredFromAsffTypes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"TTPs/Discovery/Recon:IAMUser-UserPermissions", "Recon:IAMUser/UserPermissions"},
      {"TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce",
       "UnauthorizedAccess:EC2/SSHBruteForce"},
      {"Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration."
       "OutsideAWS",
       "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"},
      {"TTPs/PenTest:IAMUser/KaliLinux", "PenTest:IAMUser/KaliLinux"},
      {"TTPs/Discovery:S3-BucketEnumeration.Unusual", "Discovery:S3/BucketEnumeration.Unusual"},
      {"TTPs/Command and Control/Backdoor:EC2-C&CActivity.B!DNS", "Backdoor:EC2/C&CActivity.B!DNS"},
      {"Effects/Data Exposure/Policy:S3-BucketBlockPublicAccessDisabled",
       "Policy:S3/BucketBlockPublicAccessDisabled"},
  };
  for (const auto& [asff, guardduty] : cases) {
    EXPECT_EQ(GuardDutyTypeInAsff(asff), guardduty) << asff;
  }
  for (const char* none :
       {"TTPs/Discovery", "Software and Configuration Checks/Vulnerabilities/CVE",
        "TTPs/Discovery:S3", "TTPs/:EC2-X", ""}) {
    EXPECT_EQ(GuardDutyTypeInAsff(none), std::nullopt) << none;
  }
}

}  // namespace
}  // namespace cordon::planning
