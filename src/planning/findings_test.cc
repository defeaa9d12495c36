// The finding-format dispatcher, and plans built from what it reads.
#include "planning/findings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/fs.h"
#include "planning/planner.h"

namespace cordon::planning {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr FindingOptions kDefault{};
constexpr FindingOptions kWithSamples{true};

std::string Vendor(const std::string& path) {
  auto text = ReadFile(std::filesystem::path(CORDON_SHARED_DIR) / "cases/aws" / path);
  EXPECT_TRUE(text) << path;
  return text ? *text : std::string();
}

std::string Formats(const std::string& text, const FindingOptions& options = kDefault) {
  auto set = ParseFindings(text, options);
  EXPECT_TRUE(set) << set.error().message;
  std::string formats;
  for (const auto& finding : set ? set->findings : std::vector<Finding>{}) {
    formats += (formats.empty() ? "" : " ") + finding.format;
  }
  return formats;
}

std::string FailureOf(const std::string& text) {
  auto set = ParseFindings(text, kDefault);
  EXPECT_FALSE(set) << text;
  EXPECT_EQ(set ? ErrorKind::kInternal : set.error().kind, ErrorKind::kInvalidInput);
  return set ? std::string() : set.error().message;
}

// What `cordon plan --finding FILE` hands the planner (cli/inputs.cc).
Plan PlanFindings(const std::string& text, const FindingOptions& options) {
  PlanRequest request;
  request.case_id = "C1";
  request.created_at = "2026-12-03T00:00:00.000Z";
  auto set = ParseFindings(text, options);
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

constexpr const char* kAsffInstance = R"({
  "SchemaVersion":"2018-10-08","Id":"f-1",
  "ProductArn":"arn:aws:securityhub:us-east-1::product/aws/securityhub",
  "AwsAccountId":"123456789012","Types":["TTPs/Command and Control"],
  "Resources":[{"Type":"AwsEc2Instance","Id":"i-0abc1234","Region":"us-east-1"}]})";

TEST(FindingsDispatchTest, EveryVendorFileGoesToItsOwnParser) {
  for (const char* file : {"guardduty/aws-samples_guardduty_ec2_event.json",
                           "guardduty/aws-samples_guardduty_iam_event.json",
                           "guardduty/aws-samples_guardduty_s3_event.json",
                           "guardduty/awscli_get-findings_output.json"}) {
    EXPECT_EQ(Formats(Vendor(file)), "guardduty") << file;
  }
  EXPECT_EQ(Formats(Vendor("securityhub/awscli_get-findings_pci-lambda2.json")), "securityhub");
  EXPECT_THAT(FailureOf(Vendor("securityhub/awscli_get-findings_cis-1.13_space-in-id.json")),
              StartsWith("Findings[0].Id: expected the finding id (1-512 printable characters, no "
                         "spaces), got \"arn:aws:securityhub:us-west-1: 123456789012:"));
}

TEST(FindingsDispatchTest, EveryShapeOfEitherFormatIsRecognised) {
  const json asff = json::parse(kAsffInstance);
  const json guardduty = {{"Id", "g-1"},
                          {"Type", "Recon:EC2/Portscan"},
                          {"Resource", {{"InstanceDetails", {{"InstanceId", "i-0abc1234"}}}}}};
  const json camel = {{"id", "g-2"}, {"type", "Recon:EC2/Portscan"}, {"resource", json::object()}};

  EXPECT_EQ(Formats(asff.dump()), "securityhub");
  EXPECT_EQ(Formats(json::array({asff}).dump()), "securityhub");
  EXPECT_EQ(Formats(json{{"Findings", {asff}}}.dump()), "securityhub");
  EXPECT_EQ(Formats(json{{"detail-type", "Security Hub Findings - Imported"},
                         {"source", "aws.securityhub"},
                         {"detail", {{"findings", {asff}}}}}
                        .dump()),
            "securityhub");
  EXPECT_EQ(Formats(json{{"detail-type", "Security Hub Findings - Custom Action"},
                         {"detail", {{"findings", {asff, asff}}}}}
                        .dump()),
            "securityhub");
  EXPECT_EQ(Formats(guardduty.dump()), "guardduty");
  EXPECT_EQ(Formats(camel.dump()), "guardduty");
  EXPECT_EQ(Formats(json{{"Findings", {guardduty, camel}}}.dump()), "guardduty guardduty");
  EXPECT_EQ(Formats(json{{"detail-type", "GuardDuty Finding"}, {"detail", camel}}.dump()),
            "guardduty");
  EXPECT_EQ(Formats(R"({"Findings":[]})"), "");
  EXPECT_EQ(Formats("[]"), "");
}

TEST(FindingsDispatchTest, OtherJsonIsRejectedNamingBothFormats) {
  const std::string both =
      "expected a GuardDuty finding (the API's {\"Findings\":[…]}, an EventBridge event "
      "{\"detail-type\":\"GuardDuty Finding\",\"detail\":{…}}, or one finding object with an Id "
      "and a Type) or a Security Hub (ASFF) finding (one finding object with an Id and a "
      "ProductArn, a list of them, the API's {\"Findings\":[…]}, or an EventBridge event "
      "{\"detail-type\":\"Security Hub Findings - Imported\",\"detail\":{\"findings\":[…]}})";

  EXPECT_EQ(FailureOf(R"({"hello":"world"})"),
            both + "; got an object with none of Findings, detail-type, Id, Type or ProductArn");
  EXPECT_EQ(FailureOf("42"), both + "; got a number");
  EXPECT_EQ(FailureOf("[1,2]"), both + "; got a list whose first element is not a finding object");
  EXPECT_EQ(FailureOf(R"({"detail-type":"EC2 Instance State-change Notification",
                          "detail":{"instance-id":"i-0abc1234","state":"running"}})"),
            both +
                "; got an EventBridge event of detail-type \"EC2 Instance State-change "
                "Notification\"");
  EXPECT_EQ(FailureOf(R"({"Findings":[{"Title":"x"}]})"),
            both + "; got a list of findings whose first element is neither");
  EXPECT_THAT(
      FailureOf("{\"Findings\": [,]}"),
      StartsWith("not valid JSON (syntax error at byte offset 14, line 1 column 15); " + both));
  EXPECT_THAT(FailureOf(""), HasSubstr("not valid JSON"));
}

TEST(FindingsDispatchTest, OptionsReachTheChosenParser) {
  json finding = json::parse(kAsffInstance);
  finding["RecordState"] = "ARCHIVED";

  auto skipped = ParseFindings(finding.dump(), kDefault);
  auto included = ParseFindings(finding.dump(), kWithSamples);

  ASSERT_TRUE(skipped && included);
  EXPECT_THAT(skipped->findings.at(0).targets, IsEmpty());
  EXPECT_EQ(included->findings.at(0).targets.size(), 1u);
}

TEST(FindingsPlanTest, VendorFilesPlanAsExpected) {
  struct Case {
    const char* file;
    FindingOptions options;
    std::vector<std::string> playbooks;
  };
  const std::vector<Case> cases = {
      {"guardduty/aws-samples_guardduty_ec2_event.json", kDefault, {}},
      {"guardduty/aws-samples_guardduty_iam_event.json", kDefault, {}},
      {"guardduty/aws-samples_guardduty_s3_event.json", kDefault, {}},
      {"guardduty/awscli_get-findings_output.json",
       kDefault,
       {"aws-access-key aws:access-key:ASIASZ4SI7REEEXAMPLE"}},
      {"securityhub/awscli_get-findings_pci-lambda2.json", kDefault, {}},
      {"securityhub/awscli_get-findings_pci-lambda2.json", kWithSamples, {}},
  };
  for (const auto& c : cases) {
    Plan plan = PlanFindings(Vendor(c.file), c.options);

    EXPECT_EQ(Playbooks(plan), c.playbooks) << c.file;
    EXPECT_EQ(plan.steps.empty(), c.playbooks.empty()) << c.file;
    if (c.playbooks.empty()) {
      EXPECT_THAT(plan.notes, ElementsAre(StartsWith("finding "))) << c.file;
    }
  }
}

TEST(FindingsPlanTest, EveryAsffResourceTypeGetsItsPlaybook) {
  const std::string text = R"({"Findings":[{
    "SchemaVersion":"2018-10-08","Id":"threat-1",
    "ProductArn":"arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default",
    "AwsAccountId":"123456789012","Region":"eu-west-1",
    "Types":["TTPs/Collection","Effects/Data Exfiltration"],
    "Resources":[
      {"Type":"AwsEc2Instance","Id":"arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc1234"},
      {"Type":"AwsIamAccessKey","Id":"AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE",
       "Details":{"AwsIamAccessKey":{"PrincipalType":"IAMUser","PrincipalName":"alice"}}},
      {"Type":"AwsIamUser","Id":"arn:aws:iam::123456789012:user/bob"},
      {"Type":"AwsIamRole","Id":"arn:aws:iam::123456789012:role/etl"},
      {"Type":"AwsS3Bucket","Id":"arn:aws:s3:::customer-data"},
      {"Type":"AwsLambdaFunction","Id":"arn:aws:lambda:eu-west-1:123456789012:function:resize"},
      {"Type":"AwsAccount","Id":"AWS::::Account:123456789012"}]}]})";

  Plan plan = PlanFindings(text, kDefault);

  EXPECT_THAT(Playbooks(plan),
              ElementsAre("aws-ec2-instance aws:ec2-instance:i-0abc1234",
                          "aws-access-key aws:access-key:AKIAIOSFODNN7EXAMPLE",
                          "aws-iam-user aws:iam-user:bob", "aws-iam-role aws:iam-role:etl",
                          "aws-s3-bucket aws:s3-bucket:customer-data",
                          "aws-lambda-function aws:lambda-function:resize"));
  EXPECT_THAT(plan.notes, ElementsAre(HasSubstr("finding threat-1 (TTPs/Collection): "
                                                "Findings[0].Resources[6] (AwsAccount")));
  const Step* deny = plan.FindStep("aws:iam-user:bob/deny-policy");
  ASSERT_NE(deny, nullptr);
  EXPECT_THAT(deny->techniques, ::testing::IsSupersetOf({"T1530", "T1537"}));
  for (const char* key : {"aws:s3-bucket:customer-data", "aws:lambda-function:resize"}) {
    EXPECT_NE(plan.FindStep(std::string(key) + "/capture"), nullptr) << key;
  }
}

TEST(FindingsPlanTest, GuardDutyS3AndLambdaFindingsGetTheirPlaybooks) {
  const std::string text = R"({"Findings":[
    {"Id":"s1","Type":"Exfiltration:S3/ObjectRead.Unusual","AccountId":"123456789012",
     "Region":"us-east-1","Resource":{"ResourceType":"S3Bucket",
       "S3BucketDetails":[{"Name":"customer-data"}],
       "AccessKeyDetails":{"AccessKeyId":"ASIAQWERTYUIOPASDFGH","UserName":"etl-role",
         "UserType":"AssumedRole"}}},
    {"Id":"l1","Type":"CryptoCurrency:Lambda/BitcoinTool.B","AccountId":"123456789012",
     "Region":"us-east-1","Resource":{"ResourceType":"Lambda","LambdaDetails":{
       "FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:resize"}}}]})";

  Plan plan = PlanFindings(text, kDefault);

  EXPECT_THAT(Playbooks(plan), ElementsAre("aws-s3-bucket aws:s3-bucket:customer-data",
                                           "aws-iam-role aws:iam-role:etl-role",
                                           "aws-lambda-function aws:lambda-function:resize"));
}

}  // namespace
}  // namespace cordon::planning
