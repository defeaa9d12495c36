// The targets each ASFF resource type names, GuardDuty findings read through Security Hub, and
// malformed identifiers reported with their path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/fs.h"
#include "planning/guardduty.h"
#include "planning/securityhub.h"

namespace cordon::planning {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kAccount = "111122223333";

// A threat finding from a third-party product about `resources`.
json Threat(const std::vector<json>& resources,
            const std::vector<std::string>& types = {"TTPs/Credential Access"}) {
  return {{"SchemaVersion", "2018-10-08"},
          {"Id", "us-west-2/111122223333/98aebb2207407c87f51e89943f12b1ef"},
          {"ProductArn", "arn:aws:securityhub:us-west-2:111122223333:product/111122223333/default"},
          {"GeneratorId", "acme-detector"},
          {"AwsAccountId", kAccount},
          {"Region", "us-west-2"},
          {"Types", types},
          {"Severity", {{"Label", "CRITICAL"}}},
          {"Title", "Credentials used from a known bad address"},
          {"Resources", resources}};
}

// The same finding as GuardDuty sends it to Security Hub.
json FromGuardDuty(const std::string& asff_type, const std::vector<json>& resources) {
  json finding = Threat(resources, {asff_type});
  finding["Id"] =
      "arn:aws:guardduty:us-west-2:111122223333:detector/d4b0403652/finding/1ab92989eaf0e742";
  finding["ProductArn"] = "arn:aws:securityhub:us-west-2::product/aws/guardduty";
  finding["GeneratorId"] = "arn:aws:guardduty:us-west-2:111122223333:detector/d4b0403652";
  finding["ProductFields"] = {{"aws/guardduty/service/archived", "false"},
                              {"aws/guardduty/service/count", "5"}};
  return finding;
}

json Key(const std::string& id, const json& details) {
  return {{"Type", "AwsIamAccessKey"},
          {"Id", id},
          {"Region", "us-west-2"},
          {"Details", {{"AwsIamAccessKey", details}}}};
}

json Resource(const std::string& type, const std::string& id) {
  return {{"Type", type}, {"Id", id}, {"Partition", "aws"}, {"Region", "us-west-2"}};
}

Finding Only(const json& finding, const FindingOptions& options = {}) {
  auto set = ParseSecurityHubFindings(finding.dump(), options);
  EXPECT_TRUE(set) << set.error().message;
  if (!set || set->findings.size() != 1) {
    ADD_FAILURE() << "expected exactly one finding";
    return {};
  }
  return set->findings[0];
}

json With(json base, const json& patch) {
  base.update(patch);
  return base;
}

std::string FailureOf(const json& finding) {
  auto set = ParseSecurityHubFindings(finding.dump(), {});
  EXPECT_FALSE(set) << finding;
  EXPECT_EQ(set ? ErrorKind::kInternal : set.error().kind, ErrorKind::kInvalidInput);
  return set ? std::string() : set.error().message;
}

TEST(SecurityHubResourcesTest, EachSupportedTypeNamesItsTarget) {
  const std::vector<json> resources = {
      Resource("AwsEc2Instance", "arn:aws:ec2:us-west-2:111122223333:instance/i-0abc1234"),
      Resource("AwsEc2Instance", "i-0123456789abcdef0"),
      Key("AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE",
          {{"PrincipalType", "IAMUser"}, {"PrincipalName", "alice"}}),
      Resource("AwsIamUser", "arn:aws:iam::444455556666:user/division/bob"),
      Resource("AwsIamRole", "arn:aws:iam::111122223333:role/service-role/etl"),
      Resource("AwsS3Bucket", "arn:aws:s3:::customer-data"),
      Resource("AwsLambdaFunction", "arn:aws:lambda:us-west-2:111122223333:function:resize"),
  };

  Finding finding = Only(Threat(resources));

  EXPECT_EQ(finding.product, "111122223333/default");
  EXPECT_EQ(finding.region, "us-west-2");
  EXPECT_DOUBLE_EQ(finding.severity, 90);
  EXPECT_THAT(finding.techniques, ElementsAre("T1552"));
  EXPECT_THAT(
      finding.targets,
      ElementsAre(
          Target{TargetKind::kAwsEc2Instance, "i-0abc1234", kAccount, "us-west-2", ""},
          Target{TargetKind::kAwsEc2Instance, "i-0123456789abcdef0", kAccount, "us-west-2", ""},
          Target{TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", kAccount, "", "alice"},
          Target{TargetKind::kAwsIamUser, "bob", "444455556666", "", ""},
          Target{TargetKind::kAwsIamRole, "etl", kAccount, "", ""},
          Target{TargetKind::kAwsS3Bucket, "customer-data", kAccount, "us-west-2", ""},
          Target{TargetKind::kAwsLambdaFunction, "resize", kAccount, "us-west-2", ""}));
  EXPECT_THAT(finding.notes, IsEmpty());
}

TEST(SecurityHubResourcesTest, RegionsComeFromTheArnThenTheResourceThenTheFinding) {
  json instance = Resource("AwsEc2Instance", "i-0abc1234");
  instance.erase("Region");
  json bucket = Resource("AwsS3Bucket", "arn:aws:s3:::customer-data");
  bucket["Region"] = "eu-north-1";

  Finding finding = Only(Threat({instance, bucket}));

  EXPECT_EQ(finding.targets[0].region, "us-west-2");   // the finding's Region
  EXPECT_EQ(finding.targets[1].region, "eu-north-1");  // the bucket's own
}

TEST(SecurityHubResourcesTest, AccessKeyHoldersFollowThePrincipalType) {
  const Target role{TargetKind::kAwsIamRole, "webapp", kAccount, "", ""};
  const Target user_key{TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "444455556666", "",
                        "carol"};
  struct Case {
    json resource;
    std::vector<Target> targets;
    std::string note;  // a part of the only note, or empty for none
  };
  const std::vector<Case> cases = {
      {Key("AWS::IAM::AccessKey:ASIAQWERTYUIOPASDFGH",
           {{"PrincipalType", "AssumedRole"}, {"PrincipalName", "webapp"}}),
       {role},
       "access key ASIAQWERTYUIOPASDFGH is a session of IAM role webapp (Security Hub gives an "
       "assumed role's name as PrincipalName)"},
      {Key("AKIAIOSFODNN7EXAMPLE", {{"PrincipalType", "IAMUser"},
                                    {"UserName", "carol"},
                                    {"AccountId", "444455556666"},
                                    {"AccessKeyId", "AKIAIOSFODNN7EXAMPLE"}}),
       {user_key},
       ""},
      {Key("AWS::IAM::AccessKey:ASIAQWERTYUIOPASDFGH",
           {{"PrincipalType", "IAMUser"}, {"PrincipalName", "carol"}}),
       {Target{TargetKind::kAwsAccessKey, "ASIAQWERTYUIOPASDFGH", kAccount, "", "carol"}},
       "is temporary (a session of IAM user carol)"},
      {Key("AWS::IAM::AccessKey:ASIAQWERTYUIOPASDFGH", {{"PrincipalType", "Root"}}),
       {},
       "belongs to the account's root user; cordon does not contain the root user"},
      {Key("AWS::IAM::AccessKey:ASIAQWERTYUIOPASDFGH", {{"UserName", "Root"}}),
       {},
       "names no principal type (Resources[0].Details.AwsIamAccessKey.PrincipalType is absent)"},
      {Key("AWS::IAM::AccessKey:ASIAQWERTYUIOPASDFGH",
           {{"PrincipalType", "FederatedUser"}, {"PrincipalName", "dave"}}),
       {},
       "belongs to a principal of type FederatedUser"},
  };
  for (const Case& c : cases) {
    Finding finding = Only(Threat({c.resource}));

    EXPECT_EQ(finding.targets, c.targets) << c.resource;
    if (c.note.empty()) {
      EXPECT_THAT(finding.notes, IsEmpty()) << c.resource;
    } else {
      EXPECT_THAT(finding.notes, ElementsAre(HasSubstr(c.note))) << c.resource;
    }
  }
}

TEST(SecurityHubResourcesTest, RootUserAndOtherResourceTypesGiveNotes) {
  Finding finding = Only(Threat({Resource("AwsIamUser", "arn:aws:iam::111122223333:root"),
                                 Resource("AwsEc2SecurityGroup", "sg-0123456789abcdef0"),
                                 Resource("Other", "some thing")}));

  EXPECT_THAT(finding.targets, IsEmpty());
  EXPECT_THAT(finding.notes,
              ElementsAre(HasSubstr("Resources[0] (AwsIamUser \"arn:aws:iam::111122223333:root\") "
                                    "is the account's root user; cordon does not contain the root "
                                    "user"),
                          HasSubstr("Resources[1] (AwsEc2SecurityGroup \"sg-0123456789abcdef0\"): "
                                    "cordon has no playbook for that resource type"),
                          HasSubstr("Resources[2] (Other \"some thing\")")));
}

TEST(SecurityHubResourcesTest, AQualifiedFunctionArnContainsTheWholeFunction) {
  Finding finding = Only(Threat({Resource(
      "AwsLambdaFunction", "arn:aws:lambda:us-west-2:111122223333:function:resize:$LATEST")}));

  EXPECT_THAT(finding.targets, ElementsAre(Target{TargetKind::kAwsLambdaFunction, "resize",
                                                  kAccount, "us-west-2", ""}));
  EXPECT_THAT(finding.notes, ElementsAre("Resources[0].Id names $LATEST of function resize; "
                                         "cordon contains the whole function"));
}

TEST(SecurityHubResourcesTest, MalformedIdentifiersAreReportedNotRepaired) {
  struct Case {
    json resource;
    std::string message;  // the start of the error
  };
  const std::vector<Case> cases = {
      {Resource("AwsEc2Instance", "i-0ABC1234"),
       "Resources[0].Id: expected arn:aws:ec2:REGION:ACCOUNT:instance/i-… or the bare i-<8 or 17 "
       "lower-case hex digits>; \"i-0ABC1234\" has upper-case letters"},
      {Resource("AwsEc2Instance", "arn:aws:ec2:us-west-2:111122223333:instance/i-0abc1234 "),
       "Resources[0].Id: expected arn:aws:ec2:REGION:ACCOUNT:instance/i-… or the bare i-<8 or 17 "
       "lower-case hex digits>, got \"arn:aws:ec2:us-west-2:111122223333:instance/i-0abc1234 \" "
       "(a space at character 55)"},
      {Resource("AwsIamUser", "arn:aws:iam::111122223333:role/etl"),
       "Resources[0].Id: expected arn:aws:iam::ACCOUNT:user/NAME (NAME: 1-64 of A-Z a-z 0-9 "
       "_+=,.@-, after an optional path) for a resource of type AwsIamUser, got the ARN of an "
       "aws:iam-role"},
      {Resource("AwsIamRole", "etl"),
       "Resources[0].Id: expected arn:aws:iam::ACCOUNT:role/NAME (NAME: 1-64 of A-Z a-z 0-9 "
       "_+=,.@-, after an optional path) for a resource of type AwsIamRole, got \"etl\""},
      {Resource("AwsS3Bucket", "arn:aws:s3:::Customer-Data"),
       "Resources[0].Id: arn:aws:s3:::Customer-Data: expected aws:s3-bucket:BUCKET"},
      {Resource("AwsLambdaFunction", "arn:aws:lambda:us-west-2:1111:function:resize"),
       "Resources[0].Id: arn:aws:lambda:us-west-2:1111:function:resize: expected "
       "aws:lambda-function:NAME"},
      {Resource("AwsLambdaFunction", "arn:aws:lambda:eu-west-1:111122223333:function:resize"),
       "Resources[0].Region: \"us-west-2\" is not the region of Resources[0].Id (eu-west-1)"},
      {Key("AWS::IAM::AccessKey:GeneratedFindingAccessKeyId", {{"PrincipalType", "IAMUser"}}),
       "Resources[0].Id: expected AWS::IAM::AccessKey:AKIA… or ASIA… (16-128 upper-case letters "
       "and digits), or the bare key id; \"GeneratedFindingAccessKeyId\" does not start with AKIA "
       "or ASIA"},
      {Key("arn:aws:iam::111122223333:user/alice", {}),
       "Resources[0].Id: expected AWS::IAM::AccessKey:AKIA… or ASIA…"},
      {Key("AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE", {{"AccessKeyId", "AKIAI44QH8DHBEXAMPLE"}}),
       "Resources[0].Details.AwsIamAccessKey.AccessKeyId: \"AKIAI44QH8DHBEXAMPLE\" is not the key "
       "Resources[0].Id names (AKIAIOSFODNN7EXAMPLE)"},
      {Key("AKIAIOSFODNN7EXAMPLE", {{"PrincipalType", "IAMUser"}, {"PrincipalName", "a b"}}),
       "Resources[0].Details.AwsIamAccessKey.PrincipalName: expected NAME (1-64 of A-Z a-z 0-9 "
       "_+=,.@-); \"a b\" contains white space"},
      {Key("AKIAIOSFODNN7EXAMPLE", {{"AccountId", "1111"}}),
       "Resources[0].Details.AwsIamAccessKey.AccountId: expected a 12-digit account id, got "
       "\"1111\""},
      {With(Resource("AwsEc2Instance", "i-0abc1234"), {{"Region", "us-west"}}),
       "Resources[0].Region: expected a region like us-east-1, got \"us-west\""},
      {json{{"Id", "i-0abc1234"}}, "Resources[0].Type: missing; expected a resource type"},
      {json{{"Type", "AwsEc2Instance"}}, "Resources[0].Id: missing; expected the resource's"},
      {json{{"Type", "AwsEc2Instance"}, {"Id", 7}},
       "Resources[0].Id: expected a string, got a "
       "number"},
      {json("i-0abc1234"), "Resources[0]: expected a resource object, got a string"},
  };
  for (const Case& c : cases) {
    auto set = ParseSecurityHubFindings(Threat({c.resource}).dump(), {});

    ASSERT_FALSE(set) << c.resource;
    EXPECT_THAT(set.error().message, ::testing::StartsWith(c.message)) << c.resource;
  }
}

TEST(SecurityHubFindingErrorsTest, FindingFieldsAreCheckedStrictly) {
  const std::vector<std::pair<json, std::string>> cases = {
      {json{{"Id", "x"}}, "ProductArn: missing; expected the product's ARN"},
      {With(Threat({}), {{"ProductArn", "arn:aws:securityhub:us-west-2::product/aws"}}),
       "ProductArn: expected arn:aws:securityhub:REGION:ACCOUNT:product/COMPANY/PRODUCT, got "},
      {With(Threat({}), {{"AwsAccountId", "1111"}}),
       "AwsAccountId: expected a 12-digit account id, got \"1111\""},
      {With(Threat({}), {{"Region", "west"}}), "Region: expected a region like us-east-1"},
      {With(Threat({}), {{"Types", {"TTPs", 3}}}),
       "Types[1]: expected a string like TTPs/Discovery, got a number"},
      {With(Threat({}), {{"Severity", {{"Label", "SEVERE"}}}}),
       "Severity.Label: expected one of INFORMATIONAL,LOW,MEDIUM,HIGH,CRITICAL, got \"SEVERE\""},
      {With(Threat({}), {{"Severity", {{"Normalized", "90"}}}}),
       "Severity.Normalized: expected a number from 0 to 100, got a string"},
      {With(Threat({}), {{"RecordState", "DELETED"}}),
       "RecordState: expected one of ACTIVE,ARCHIVED, got \"DELETED\""},
      {With(Threat({}), {{"Workflow", {{"Status", "DONE"}}}}),
       "Workflow.Status: expected one of NEW,NOTIFIED,RESOLVED,SUPPRESSED, got \"DONE\""},
      {With(Threat({}), {{"Compliance", {{"Status", "OK"}}}}),
       "Compliance.Status: expected one of PASSED,WARNING,FAILED,NOT_AVAILABLE, got \"OK\""},
      {With(Threat({}), {{"Sample", "yes"}}), "Sample: expected true or false, got a string"},
      {With(Threat({}), {{"Resources", {{"Type", "AwsEc2Instance"}}}}),
       "Resources: expected a list of resources, got an object"},
  };
  for (const auto& [finding, message] : cases) {
    EXPECT_THAT(FailureOf(finding), ::testing::StartsWith(message)) << finding;
  }
}

TEST(SecurityHubFindingErrorsTest, GuardDutyShapesAreNamedAsSuch) {
  EXPECT_THAT(FailureOf({{"Id", "1"}, {"Type", "Recon:EC2/Portscan"}}),
              HasSubstr("the document is a GuardDuty finding, not Security Hub ASFF"));
  EXPECT_THAT(FailureOf({{"detail-type", "GuardDuty Finding"}, {"detail", json::object()}}),
              HasSubstr("the document is a GuardDuty EventBridge event, not Security Hub ASFF"));
  EXPECT_THAT(FailureOf({{"hello", "world"}}),
              HasSubstr("none of Findings, detail, Id or ProductArn"));
  EXPECT_THAT(FailureOf({{"detail-type", "Security Hub Insight Results"},
                         {"detail", {{"insightResults", json::array()}}}}),
              HasSubstr("detail.findings: missing; expected the findings of a Security Hub event"));
}

TEST(SecurityHubGuardDutyTest, OnlyWhatTheGuardDutyTypeContainsIsPlanned) {
  const json key = Key("AWS::IAM::AccessKey:AKIAIOSFODNN7EXAMPLE",
                       {{"PrincipalType", "IAMUser"}, {"PrincipalName", "alice"}});
  const json bucket = Resource("AwsS3Bucket", "arn:aws:s3:::customer-data");
  const json instance = Resource("AwsEc2Instance", "i-0abc1234");
  const Target bucket_target{TargetKind::kAwsS3Bucket, "customer-data", kAccount, "us-west-2", ""};
  const Target key_target{TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", kAccount, "", "alice"};

  Finding exfiltration =
      Only(FromGuardDuty("TTPs/Exfiltration:S3-ObjectRead.Unusual", {key, bucket}));
  Finding policy = Only(FromGuardDuty("TTPs/Policy:S3-BucketPublicAccessGranted", {key, bucket}));
  Finding recon =
      Only(FromGuardDuty("TTPs/Discovery/Recon:IAMUser-UserPermissions", {key, instance}));

  EXPECT_EQ(exfiltration.type, "Exfiltration:S3/ObjectRead.Unusual");
  EXPECT_EQ(exfiltration.product, "aws/guardduty");
  EXPECT_THAT(exfiltration.targets, ElementsAre(key_target, bucket_target));
  EXPECT_THAT(exfiltration.techniques, ElementsAre("T1530"));
  EXPECT_THAT(policy.targets, ElementsAre(bucket_target));
  EXPECT_THAT(
      policy.notes,
      ElementsAre(HasSubstr("Resources[0] (AwsIamAccessKey \"AWS::IAM::AccessKey:"
                            "AKIAIOSFODNN7EXAMPLE\") is not what finding type "
                            "Policy:S3/BucketPublicAccessGranted asks to contain; not planned")));
  EXPECT_THAT(recon.targets, ElementsAre(key_target));
  EXPECT_THAT(recon.notes, ElementsAre(HasSubstr("Resources[1] (AwsEc2Instance")));
}

TEST(SecurityHubGuardDutyTest, TypesWithoutAPlaybookPlanNothing) {
  Finding canary = Only(FromGuardDuty("Unusual Behaviors/VM/Canary:EC2-Stateless.IntegTest",
                                      {Resource("AwsEc2Instance", "i-0abc1234")}));

  EXPECT_THAT(canary.targets, IsEmpty());
  EXPECT_THAT(canary.techniques, IsEmpty());
  EXPECT_THAT(canary.notes, ElementsAre("no playbook for finding type "
                                        "Canary:EC2/Stateless.IntegTest; nothing planned"));
}

TEST(SecurityHubGuardDutyTest, GuardDutysOwnArchivedAndSampleFlagsCount) {
  json archived = FromGuardDuty("TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce",
                                {Resource("AwsEc2Instance", "i-0abc1234")});
  archived["ProductFields"]["aws/guardduty/service/archived"] = "true";
  json sample = archived;
  sample["ProductFields"] = {{"additionalInfo", R"({"threatListName":"x","sample":"true"})"}};

  Finding skipped = Only(archived);
  Finding sampled = Only(sample);
  Finding included = Only(archived, FindingOptions{true});

  EXPECT_TRUE(skipped.archived);
  EXPECT_THAT(skipped.notes, ElementsAre("skipped: archived finding (archived in GuardDuty); pass "
                                         "--include-samples to contain it"));
  EXPECT_TRUE(sampled.sample);
  EXPECT_THAT(sampled.notes, ElementsAre(HasSubstr("skipped: sample finding")));
  EXPECT_THAT(included.targets, ElementsAre(Target{TargetKind::kAwsEc2Instance, "i-0abc1234",
                                                   kAccount, "us-west-2", ""}));
  EXPECT_THAT(included.techniques, ElementsAre("T1110"));
}

// The aws-cli GuardDuty sample, as Security Hub would carry it, plans the same targets.
TEST(SecurityHubGuardDutyTest, SameFindingPlansAlikeFromEitherService) {
  auto text = ReadFile(std::filesystem::path(CORDON_SHARED_DIR) /
                       "cases/aws/guardduty/awscli_get-findings_output.json");
  ASSERT_TRUE(text);
  auto native = ParseGuardDutyFindings(*text, {});
  ASSERT_TRUE(native) << native.error().message;
  json asff = FromGuardDuty(
      "TTPs/Discovery/Recon:IAMUser-UserPermissions",
      {Key("AWS::IAM::AccessKey:ASIASZ4SI7REEEXAMPLE", {{"PrincipalId", "AIDACKCEVSQ6C2EXAMPLE"},
                                                        {"PrincipalName", "testuser"},
                                                        {"PrincipalType", "IAMUser"}})});

  Finding via_hub = Only(asff);

  const Finding& direct = native->findings.at(0);
  EXPECT_EQ(via_hub.type, direct.type);
  EXPECT_EQ(via_hub.targets, direct.targets);
  EXPECT_EQ(via_hub.techniques, direct.techniques);
  EXPECT_EQ(via_hub.notes, direct.notes);
}

TEST(SecurityHubGuardDutyTest, InstanceCredentialExfiltrationNamesTheRoleAndTheInstance) {
  Finding finding = Only(FromGuardDuty(
      "Effects/Data Exfiltration/"
      "UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS",
      {Key("AWS::IAM::AccessKey:ASIAQWERTYUIOPASDFGH", {{"PrincipalName", "ec2-app-role"}}),
       Resource("AwsEc2Instance", "arn:aws:ec2:us-west-2:111122223333:instance/i-0abc1234")}));

  EXPECT_THAT(
      finding.targets,
      ElementsAre(Target{TargetKind::kAwsIamRole, "ec2-app-role", kAccount, "", ""},
                  Target{TargetKind::kAwsEc2Instance, "i-0abc1234", kAccount, "us-west-2", ""}));
  EXPECT_THAT(finding.techniques, ElementsAre("T1552.005", "T1078.004"));
}

}  // namespace
}  // namespace cordon::planning
