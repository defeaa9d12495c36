// GuardDuty S3 Protection and Lambda Protection findings: which buckets, principals and
// functions each type names.
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

constexpr const char* kAccount = "123456789012";

// A camelCase S3 finding of `type` on `buckets`, acted on by IAM user alice's key.
json S3Finding(const std::string& type, const json& buckets) {
  return {
      {"id", "s3-1"},
      {"type", type},
      {"accountId", kAccount},
      {"region", "eu-west-1"},
      {"resource",
       {{"resourceType", "S3Bucket"},
        {"accessKeyDetails",
         {{"accessKeyId", "AKIAIOSFODNN7EXAMPLE"}, {"userName", "alice"}, {"userType", "IAMUser"}}},
        {"s3BucketDetails", buckets}}}};
}

json Bucket(const std::string& name) {
  return {{"arn", "arn:aws:s3:::" + name}, {"name", name}, {"type", "Destination"}};
}

json LambdaFinding(const std::string& type, const json& details) {
  return {{"id", "fn-1"},
          {"type", type},
          {"accountId", kAccount},
          {"region", "us-east-2"},
          {"resource", {{"resourceType", "Lambda"}, {"lambdaDetails", details}}}};
}

Finding Only(const json& finding) {
  auto set = ParseGuardDutyFindings(finding.dump(), {});
  EXPECT_TRUE(set) << set.error().message;
  if (!set || set->findings.size() != 1) {
    ADD_FAILURE() << "expected exactly one finding";
    return {};
  }
  return set->findings[0];
}

std::string FailureOf(const json& finding) {
  auto set = ParseGuardDutyFindings(finding.dump(), {});
  EXPECT_FALSE(set);
  EXPECT_EQ(set ? ErrorKind::kInternal : set.error().kind, ErrorKind::kInvalidInput);
  return set ? std::string() : set.error().message;
}

Target CustomerData() {
  return {TargetKind::kAwsS3Bucket, "customer-data", kAccount, "eu-west-1", ""};
}

Target AliceKey() {
  return {TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", kAccount, "", "alice"};
}

TEST(GuardDutyS3Test, ActivityOnABucketNamesTheBucketAndTheActor) {
  for (const char* type :
       {"Exfiltration:S3/ObjectRead.Unusual", "Impact:S3/ObjectDelete.Unusual",
        "UnauthorizedAccess:S3/TorIPCaller", "PenTest:S3/KaliLinux",
        "Discovery:S3/BucketEnumeration.Unusual", "Exfiltration:S3/MaliciousIPCaller"}) {
    Finding finding = Only(S3Finding(type, json::array({Bucket("customer-data")})));

    EXPECT_THAT(finding.targets, ElementsAre(CustomerData(), AliceKey())) << type;
    EXPECT_THAT(finding.notes, IsEmpty()) << type;
    EXPECT_FALSE(finding.techniques.empty()) << type;
  }
}

TEST(GuardDutyS3Test, PolicyFindingContainsTheBucketAndOnlyNamesWhoChangedIt) {
  Finding finding = Only(S3Finding("Policy:S3/BucketBlockPublicAccessDisabled",
                                   json::array({Bucket("customer-data")})));

  EXPECT_THAT(finding.targets, ElementsAre(CustomerData()));
  EXPECT_THAT(finding.notes,
              ElementsAre("the finding names access key AKIAIOSFODNN7EXAMPLE of alice as the "
                          "actor; finding type Policy:S3/BucketBlockPublicAccessDisabled does not "
                          "contain it (usually an administrator's change): add it with --target "
                          "if it should be"));
  EXPECT_THAT(finding.techniques, ElementsAre("T1530"));
}

TEST(GuardDutyS3Test, StealthFindingContainsTheActorAndLeavesTheBucket) {
  Finding finding = Only(
      S3Finding("Stealth:S3/ServerAccessLoggingDisabled", json::array({Bucket("customer-data")})));

  EXPECT_THAT(finding.targets, ElementsAre(AliceKey()));
  EXPECT_THAT(finding.notes, ElementsAre(HasSubstr("does not contain the buckets it names; turn "
                                                   "their server access logging back on")));
  EXPECT_THAT(finding.techniques, ElementsAre("T1562.008"));
}

TEST(GuardDutyS3Test, EveryBucketOfTheFindingIsNamedOnce) {
  Finding finding = Only(S3Finding(
      "Exfiltration:S3/AnomalousBehavior",
      json::array({Bucket("customer-data"), Bucket("logs.example.com"), Bucket("customer-data")})));

  const Target logs{TargetKind::kAwsS3Bucket, "logs.example.com", kAccount, "eu-west-1", ""};
  EXPECT_THAT(finding.targets, ElementsAre(CustomerData(), logs, AliceKey()));
}

TEST(GuardDutyS3Test, BucketFromItsArnWhenTheNameIsAbsent) {
  Finding finding = Only(S3Finding("Impact:S3/AnomalousBehavior.Delete",
                                   json::array({{{"arn", "arn:aws:s3:::customer-data"}}})));

  EXPECT_THAT(finding.targets, ElementsAre(CustomerData(), AliceKey()));
}

TEST(GuardDutyS3Test, AssumedRoleActorNamesTheRole) {
  json finding = S3Finding("UnauthorizedAccess:S3/MaliciousIPCaller.Custom",
                           json::array({Bucket("customer-data")}));
  finding["resource"]["accessKeyDetails"] = {{"accessKeyId", "ASIAQWERTYUIOPASDFGH"},
                                             {"userName", "etl-role"},
                                             {"userType", "AssumedRole"}};

  Finding read = Only(finding);

  const Target role{TargetKind::kAwsIamRole, "etl-role", kAccount, "", ""};
  EXPECT_THAT(read.targets, ElementsAre(CustomerData(), role));
  EXPECT_THAT(read.techniques, ElementsAre("T1530", "T1078.004"));
}

TEST(GuardDutyS3Test, MissingBucketsAndActorAreNamedInNotes) {
  json finding = S3Finding("Exfiltration:S3/ObjectRead.Unusual", json::array());
  finding["resource"].erase("accessKeyDetails");

  Finding read = Only(finding);

  EXPECT_THAT(read.targets, IsEmpty());
  EXPECT_THAT(read.notes,
              ElementsAre("names no bucket (resource.s3BucketDetails is absent or empty)",
                          HasSubstr("names no principal type (resource.accessKeyDetails.userType "
                                    "is absent)")));
}

TEST(GuardDutyS3Test, MalformedBucketsAreReportedWithTheirPath) {
  EXPECT_EQ(FailureOf(S3Finding("Exfiltration:S3/ObjectRead.Unusual",
                                json::array({Bucket("customer-data"), Bucket("Customer_Data")}))),
            "resource.s3BucketDetails[1].name: expected BUCKET (3-63 of a-z 0-9 . -, starting and "
            "ending with a letter or digit); \"Customer_Data\" has upper-case letters");
  EXPECT_EQ(FailureOf(S3Finding(
                "Exfiltration:S3/ObjectRead.Unusual",
                json::array({{{"arn", "arn:aws:s3:::other-bucket"}, {"name", "customer-data"}}}))),
            "resource.s3BucketDetails[0].name: \"customer-data\" is not the bucket "
            "resource.s3BucketDetails[0].arn names (other-bucket)");
  EXPECT_THAT(FailureOf(S3Finding("Exfiltration:S3/ObjectRead.Unusual",
                                  json::array({{{"arn", "arn:aws:s3:::customer-data/key.txt"}}}))),
              HasSubstr("resource.s3BucketDetails[0].arn: arn:aws:s3:::customer-data/key.txt: "
                        "expected aws:s3-bucket:BUCKET"));
  EXPECT_EQ(FailureOf(S3Finding("Exfiltration:S3/ObjectRead.Unusual", Bucket("customer-data"))),
            "resource.s3BucketDetails: expected a list, got an object");
  EXPECT_EQ(FailureOf(S3Finding("Exfiltration:S3/ObjectRead.Unusual", json::array({"x"}))),
            "resource.s3BucketDetails[0]: expected an object, got a string");
}

TEST(GuardDutyLambdaTest, ThreatTypesNameTheFunctionFromItsArn) {
  for (const char* type :
       {"Backdoor:Lambda/C&CActivity.B", "CryptoCurrency:Lambda/BitcoinTool.B",
        "Trojan:Lambda/BlackholeTraffic", "UnauthorizedAccess:Lambda/MaliciousIPCaller.Custom"}) {
    Finding finding = Only(LambdaFinding(
        type, {{"functionArn", "arn:aws:lambda:us-west-2:210987654321:function:thumbnailer"},
               {"functionName", "thumbnailer"},
               {"functionVersion", "$LATEST"}}));

    const Target function{TargetKind::kAwsLambdaFunction, "thumbnailer", "210987654321",
                          "us-west-2", ""};
    EXPECT_THAT(finding.targets, ElementsAre(function)) << type;  // the ARN's account and region
    EXPECT_THAT(finding.notes, IsEmpty()) << type;
    EXPECT_THAT(finding.techniques, ::testing::Contains("T1648")) << type;
  }
}

TEST(GuardDutyLambdaTest, NameAloneTakesTheFindingsAccountAndRegion) {
  Finding finding =
      Only(LambdaFinding("CryptoCurrency:Lambda/BitcoinTool.B", {{"functionName", "resize"}}));

  const Target function{TargetKind::kAwsLambdaFunction, "resize", kAccount, "us-east-2", ""};
  EXPECT_THAT(finding.targets, ElementsAre(function));
  EXPECT_THAT(finding.techniques, ElementsAre("T1496", "T1648"));
}

TEST(GuardDutyLambdaTest, AVersionOfTheFunctionContainsTheWholeFunction) {
  Finding finding =
      Only(LambdaFinding("Trojan:Lambda/DropPoint", {{"functionArn",
                                                      "arn:aws:lambda:us-east-2:123456789012:"
                                                      "function:resize:7"}}));

  const Target function{TargetKind::kAwsLambdaFunction, "resize", kAccount, "us-east-2", ""};
  EXPECT_THAT(finding.targets, ElementsAre(function));
  EXPECT_THAT(finding.notes, ElementsAre("resource.lambdaDetails.functionArn names 7 of function "
                                         "resize; cordon contains the whole function"));
  EXPECT_THAT(finding.techniques, ElementsAre("T1041", "T1648"));
}

TEST(GuardDutyLambdaTest, MissingDetailsAreNamed) {
  Finding finding = Only(LambdaFinding("UnauthorizedAccess:Lambda/TorClient", json::object()));

  EXPECT_THAT(finding.targets, IsEmpty());
  EXPECT_THAT(finding.notes, ElementsAre("names no function (resource.lambdaDetails.functionArn "
                                         "and resource.lambdaDetails.functionName are absent); "
                                         "no function planned"));
  EXPECT_THAT(finding.techniques, ElementsAre("T1090.003", "T1648"));
}

TEST(GuardDutyLambdaTest, MalformedFunctionsAreReportedWithTheirPath) {
  EXPECT_EQ(
      FailureOf(LambdaFinding("Backdoor:Lambda/C&CActivity.B", {{"functionName", "resize image"}})),
      "resource.lambdaDetails.functionName: expected NAME (1-64 of A-Z a-z 0-9 - _); "
      "\"resize image\" contains white space or control characters");
  EXPECT_THAT(FailureOf(LambdaFinding(
                  "Backdoor:Lambda/C&CActivity.B",
                  {{"functionArn", "arn:aws:lambda:useast2:123456789012:function:resize"}})),
              HasSubstr("resource.lambdaDetails.functionArn: "
                        "arn:aws:lambda:useast2:123456789012:function:resize: expected "
                        "aws:lambda-function:NAME"));
  EXPECT_EQ(FailureOf(LambdaFinding(
                "Backdoor:Lambda/C&CActivity.B",
                {{"functionArn", "arn:aws:lambda:us-east-2:123456789012:function:resize"},
                 {"functionName", "thumbnailer"}})),
            "resource.lambdaDetails.functionName: \"thumbnailer\" is not the function "
            "resource.lambdaDetails.functionArn names (resize)");
  EXPECT_THAT(FailureOf(LambdaFinding("Backdoor:Lambda/C&CActivity.B",
                                      {{"functionArn", "arn:aws:iam::123456789012:role/resize"}})),
              HasSubstr("resource.lambdaDetails.functionArn: expected aws:lambda-function:NAME"));
}

TEST(GuardDutySubjectsTest, EachTypeFamilyNamesItsSubjects) {
  struct Case {
    const char* type;
    bool instance, principal, buckets, function;
  };
  for (const Case& c : {
           Case{"Backdoor:EC2/C&CActivity.B", true, false, false, false},
           Case{"Recon:IAMUser/UserPermissions", false, true, false, false},
           Case{"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", true, true,
                false, false},
           Case{"Exfiltration:S3/ObjectRead.Unusual", false, true, true, false},
           Case{"Policy:S3/BucketPublicAccessGranted", false, false, true, false},
           Case{"Stealth:S3/ServerAccessLoggingDisabled", false, true, false, false},
           Case{"CryptoCurrency:Lambda/BitcoinTool.B", false, false, false, true},
           Case{"Canary:EC2/Stateless.IntegTest", false, false, false, false},
           Case{"Execution:Runtime/NewBinaryExecuted", false, false, false, false},
           Case{"Object:S3/MaliciousFile", false, false, false, false},
           Case{"", false, false, false, false},
       }) {
    const GuardDutySubjects subjects = GuardDutyTypeSubjects(c.type);

    EXPECT_EQ(subjects.instance, c.instance) << c.type;
    EXPECT_EQ(subjects.principal, c.principal) << c.type;
    EXPECT_EQ(subjects.buckets, c.buckets) << c.type;
    EXPECT_EQ(subjects.function, c.function) << c.type;
    EXPECT_EQ(subjects.Any(), c.instance || c.principal || c.buckets || c.function) << c.type;
  }
}

}  // namespace
}  // namespace cordon::planning
