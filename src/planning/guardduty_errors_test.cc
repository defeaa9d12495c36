// Malformed GuardDuty input: every rejection names the field and the expected form.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/fs.h"
#include "planning/guardduty.h"

namespace cordon::planning {
namespace {

using ::testing::HasSubstr;

struct Malformed {
  std::string name;
  std::string text;
  std::vector<std::string> parts;  // each must appear in the message
};

void PrintTo(const Malformed& c, std::ostream* out) { *out << c.name; }

class GuardDutyRejectsTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(GuardDutyRejectsTest, NamesTheFieldAndTheExpectedForm) {
  const Malformed& c = GetParam();

  auto set = ParseGuardDutyFindings(c.text, FindingOptions{true});

  ASSERT_FALSE(set) << c.name << " was accepted";
  EXPECT_EQ(set.error().kind, ErrorKind::kInvalidInput);
  for (const auto& part : c.parts) {
    EXPECT_THAT(set.error().message, HasSubstr(part)) << c.name;
  }
}

constexpr const char* kExpectedShapes =
    "expected a GuardDuty finding: the API's {\"Findings\":[…]}";

// An API-shaped document with one finding whose body is `fields`.
std::string Api(const std::string& fields) {
  return R"({"Findings":[{"Id":"f1",)" + fields + "}]}";
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, GuardDutyRejectsTest,
    ::testing::Values(
        Malformed{"TruncatedJson",
                  R"({"Findings": [)",
                  {"not valid JSON (the text ends early at byte offset 14", kExpectedShapes}},
        Malformed{
            "TrailingComma",
            "{\"Findings\": [],\n}",
            {"not valid JSON (syntax error at byte offset 17, line 2 column 1)", kExpectedShapes}},
        Malformed{"EmptyText", "", {"not valid JSON", kExpectedShapes}},
        Malformed{"InvalidUtf8", "{\"Id\":\"\xff\"}", {"not valid JSON", kExpectedShapes}},
        Malformed{"TopLevelList", "[]", {kExpectedShapes, "got a list"}},
        Malformed{"TopLevelString", "\"finding\"", {kExpectedShapes, "got a string"}},
        Malformed{"UnrelatedObject",
                  R"({"hello":"world"})",
                  {kExpectedShapes, "none of Findings, detail-type, Id or Type"}},
        Malformed{"FindingsNotAList",
                  R"({"Findings":{}})",
                  {"Findings: expected a list of findings, got an object"}},
        Malformed{"FindingNotAnObject",
                  R"({"Findings":[{"Id":"a","Type":"Recon:EC2/Portscan"},7]})",
                  {"Findings[1]: expected a finding object, got a number"}},
        Malformed{"MissingType",
                  R"({"Findings":[{"Id":"f1"}]})",
                  {"Findings[0].Type: missing; expected a finding type like "
                   "Recon:IAMUser/UserPermissions"}},
        Malformed{"MissingTypeCamel",
                  R"({"id":"f1","resource":{}})",
                  {"type: missing; expected a finding type"}},
        Malformed{"TypeNotAString",
                  Api(R"("Type":["Recon:EC2/Portscan"])"),
                  {"Findings[0].Type: expected a string, got a list"}},
        Malformed{"TypeWithSpace",
                  Api(R"("Type":"Recon:EC2/Port scan")"),
                  {"Findings[0].Type: expected a finding type like", "\"Recon:EC2/Port scan\""}},
        Malformed{"MissingId",
                  R"({"Findings":[{"Type":"Recon:EC2/Portscan"}]})",
                  {"Findings[0].Id: missing; expected the finding id"}},
        Malformed{"IdWithSpace",
                  R"({"Findings":[{"Id":"f 1","Type":"Recon:EC2/Portscan"}]})",
                  {"Findings[0].Id: expected the finding id", "\"f 1\" (a space at character 2)"}},
        Malformed{"UpperCaseInstanceId",
                  Api(R"("Type":"CryptoCurrency:EC2/BitcoinTool.B",
                      "Resource":{"InstanceDetails":{"InstanceId":"I-0ABC1234"}})"),
                  {"Findings[0].Resource.InstanceDetails.InstanceId: expected i-<8 or 17 "
                   "lower-case hex digits>; \"I-0ABC1234\" has upper-case letters"}},
        Malformed{"SpacedInstanceId",
                  Api(R"("Type":"Trojan:EC2/BlackholeTraffic",
                      "Resource":{"InstanceDetails":{"InstanceId":"i-0abc1234 "}})"),
                  {"Findings[0].Resource.InstanceDetails.InstanceId: expected i-<8 or 17",
                   "contains white space"}},
        Malformed{"ShortInstanceId",
                  Api(R"("Type":"Trojan:EC2/BlackholeTraffic",
                      "Resource":{"InstanceDetails":{"InstanceId":"i-0abc"}})"),
                  {"InstanceDetails.InstanceId: expected i-<8 or 17", "4 hex digits"}},
        Malformed{"InstanceIdNotAString",
                  Api(R"("Type":"Trojan:EC2/BlackholeTraffic",
                      "Resource":{"InstanceDetails":{"InstanceId":12345678}})"),
                  {"Findings[0].Resource.InstanceDetails.InstanceId: expected a string, got a "
                   "number"}},
        Malformed{"BadAccessKeyInEnvelope",
                  R"({"detail-type":"GuardDuty Finding","source":"aws.guardduty",
                   "detail":{"id":"e1","type":"Recon:IAMUser/UserPermissions",
                   "resource":{"accessKeyDetails":{"accessKeyId":"akiaiosfodnn7example",
                   "userType":"IAMUser","userName":"alice"}}}})",
                  {"detail.resource.accessKeyDetails.accessKeyId: expected AKIA… or ASIA… "
                   "(16-128 upper-case letters and digits)",
                   "\"akiaiosfodnn7example\""}},
        Malformed{
            "BadRoleName",
            Api(R"("Type":"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS",
                      "Resource":{"AccessKeyDetails":{"UserType":"AssumedRole",
                      "UserName":"path/role"}})"),
            {"Findings[0].Resource.AccessKeyDetails.UserName: expected NAME (1-64 of A-Z "
             "a-z 0-9 _+=,.@-)"}},
        Malformed{"BadUserName",
                  Api(R"("Type":"Recon:IAMUser/UserPermissions",
                      "Resource":{"AccessKeyDetails":{"UserType":"IAMUser","UserName":"bob smith",
                      "AccessKeyId":"AKIAIOSFODNN7EXAMPLE"}})"),
                  {"Findings[0].Resource.AccessKeyDetails.UserName: expected NAME", "white space"}},
        Malformed{"UserTypeNotAString",
                  Api(R"("Type":"Recon:IAMUser/UserPermissions",
                      "Resource":{"AccessKeyDetails":{"UserType":true}})"),
                  {"Findings[0].Resource.AccessKeyDetails.UserType: expected a string, got true "
                   "or false"}},
        Malformed{"ResourceNotAnObject",
                  Api(R"("Type":"Recon:EC2/Portscan","Resource":"i-0abc1234")"),
                  {"Findings[0].Resource: expected an object, got a string"}},
        Malformed{"InstanceDetailsNotAnObject",
                  Api(R"("Type":"Recon:EC2/Portscan","Resource":{"InstanceDetails":[]})"),
                  {"Findings[0].Resource.InstanceDetails: expected an object, got a list"}},
        Malformed{"ArchivedAsString",
                  Api(R"("Type":"Recon:EC2/Portscan","Service":{"Archived":"false"})"),
                  {"Findings[0].Service.Archived: expected true or false, got a string"}},
        Malformed{"SampleAsNumber",
                  Api(R"("Type":"Recon:EC2/Portscan","Service":{"AdditionalInfo":{"Sample":1}})"),
                  {"Findings[0].Service.AdditionalInfo.Sample: expected true, false, \"true\" or "
                   "\"false\", got a number"}},
        Malformed{
            "SampleAsOtherString",
            Api(R"("Type":"Recon:EC2/Portscan","Service":{"AdditionalInfo":{"Sample":"yes"}})"),
            {"Findings[0].Service.AdditionalInfo.Sample: expected true, false"}},
        Malformed{"ServiceNotAnObject",
                  Api(R"("Type":"Recon:EC2/Portscan","Service":true)"),
                  {"Findings[0].Service: expected an object, got true or false"}},
        Malformed{"SeverityAsString",
                  Api(R"("Type":"Recon:EC2/Portscan","Severity":"HIGH")"),
                  {"Findings[0].Severity: expected a number, got a string"}},
        Malformed{"ShortAccountId",
                  Api(R"("Type":"Recon:EC2/Portscan","AccountId":"1234")"),
                  {"Findings[0].AccountId: expected a 12-digit account id, got \"1234\""}},
        Malformed{"AccountIdAsNumber",
                  Api(R"("Type":"Recon:EC2/Portscan","AccountId":123456789012)"),
                  {"Findings[0].AccountId: expected a string, got a number"}},
        Malformed{"BadRegion",
                  Api(R"("Type":"Recon:EC2/Portscan","Region":"useast1")"),
                  {"Findings[0].Region: expected a region like us-east-1, got \"useast1\""}},
        Malformed{"OtherEventBridgeEvent",
                  R"({"detail-type":"Security Hub Findings - Imported","detail":{"findings":[]}})",
                  {"detail-type: expected \"GuardDuty Finding\" in an EventBridge event, got "
                   "\"Security Hub Findings - Imported\""}},
        Malformed{"EnvelopeWithoutDetail",
                  R"({"detail-type":"GuardDuty Finding"})",
                  {"detail: expected the finding object of the EventBridge event, got nothing"}},
        Malformed{"EnvelopeDetailNotAnObject",
                  R"({"detail-type":"GuardDuty Finding","detail":"x"})",
                  {"detail: expected the finding object of the EventBridge event, got a string"}},
        Malformed{"SkippedSampleStillNeedsAType",
                  R"({"Findings":[{"Id":"s1","Service":{"AdditionalInfo":{"Sample":true}}}]})",
                  {"Findings[0].Type: missing"}}),
    [](const auto& test) { return test.param.name; });

TEST(GuardDutyOtherSourcesTest, SecurityHubFindingsAreNamedAsSuch) {
  auto text = ReadFile(std::filesystem::path(CORDON_SHARED_DIR) /
                       "cases/aws/securityhub/awscli_get-findings_pci-lambda2.json");
  ASSERT_TRUE(text) << text.error().message;

  auto set = ParseGuardDutyFindings(*text, {});

  ASSERT_FALSE(set);
  EXPECT_THAT(set.error().message,
              HasSubstr("Findings[0] is a Security Hub (ASFF) finding, not a GuardDuty one (read "
                        "it with planning/findings.h); expected a GuardDuty finding"));
}

TEST(GuardDutyDepthTest, DeeplyNestedInputFailsCleanly) {
  const std::string open(100000, '[');
  const std::string nested = R"({"Id":"d1","Type":"Recon:EC2/Portscan","Resource":)" + open +
                             std::string(100000, ']') + "}";

  auto truncated = ParseGuardDutyFindings(open, {});
  auto wrong_type = ParseGuardDutyFindings(nested, {});

  ASSERT_FALSE(truncated);
  EXPECT_THAT(truncated.error().message, HasSubstr("not valid JSON"));
  ASSERT_FALSE(wrong_type);
  EXPECT_THAT(wrong_type.error().message, HasSubstr("Resource: expected an object, got a list"));
}

}  // namespace
}  // namespace cordon::planning
