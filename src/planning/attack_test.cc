#include "planning/attack.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace cordon::planning {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(AttackTest, FamiliesMapToTheirTechniques) {
  EXPECT_THAT(GuardDutyTechniques("CryptoCurrency:EC2/BitcoinTool.B!DNS"), ElementsAre("T1496"));
  EXPECT_THAT(GuardDutyTechniques("Backdoor:EC2/C&CActivity.B"), ElementsAre("T1071", "T1105"));
  EXPECT_THAT(GuardDutyTechniques("Trojan:EC2/BlackholeTraffic"), ElementsAre("T1071", "T1105"));
  EXPECT_THAT(GuardDutyTechniques("UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B"),
              ElementsAre("T1078.004"));
  EXPECT_THAT(GuardDutyTechniques("Recon:IAMUser/UserPermissions"),
              ElementsAre("T1580", "T1087.004"));
  EXPECT_THAT(GuardDutyTechniques("Persistence:IAMUser/AnomalousBehavior"), ElementsAre("T1098"));
}

TEST(AttackTest, TheMostSpecificRuleWins) {
  EXPECT_THAT(GuardDutyTechniques("UnauthorizedAccess:EC2/SSHBruteForce"), ElementsAre("T1110"));
  EXPECT_THAT(GuardDutyTechniques("UnauthorizedAccess:EC2/MaliciousIPCaller.Custom"),
              ElementsAre("T1071"));
  EXPECT_THAT(
      GuardDutyTechniques("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"),
      ElementsAre("T1552.005", "T1078.004"));
  EXPECT_THAT(GuardDutyTechniques("Backdoor:EC2/DenialOfService.Tcp"), ElementsAre("T1498"));
}

TEST(AttackTest, UnknownTypesMapToNothing) {
  EXPECT_THAT(GuardDutyTechniques("Canary:EC2/Stateless.IntegTest"), IsEmpty());
  EXPECT_THAT(GuardDutyTechniques(""), IsEmpty());
  EXPECT_THAT(GuardDutyTechniques("CryptoCurrency:EC2"), IsEmpty());  // not the family's prefix
}

TEST(AttackTest, EveryRuleNamesOnlyKnownTechniques) {
  ASSERT_FALSE(GuardDutyTypeRules().empty());
  for (const auto& rule : GuardDutyTypeRules()) {
    EXPECT_FALSE(rule.techniques.empty()) << rule.pattern;
    for (const auto& id : rule.techniques) {
      EXPECT_TRUE(TechniqueName(id)) << rule.pattern << " names unknown " << id;
    }
  }
}

TEST(AttackTest, TechniquesAreUniqueAndOrderedById) {
  std::set<std::string_view> ids;
  std::string_view previous;
  for (const auto& technique : KnownTechniques()) {
    EXPECT_TRUE(ids.insert(technique.id).second) << technique.id;
    EXPECT_LT(previous, technique.id);
    EXPECT_FALSE(technique.name.empty()) << technique.id;
    previous = technique.id;
  }
  EXPECT_EQ(TechniqueName("T1078.004"), "Valid Accounts: Cloud Accounts");
  EXPECT_EQ(TechniqueName("T9999"), std::nullopt);
}

TEST(AttackTest, S3AndLambdaFamiliesMapToTheirTechniques) {
  EXPECT_THAT(GuardDutyTechniques("Exfiltration:S3/ObjectRead.Unusual"), ElementsAre("T1530"));
  EXPECT_THAT(GuardDutyTechniques("Exfiltration:S3/MaliciousIPCaller"),
              ElementsAre("T1530", "T1537"));
  EXPECT_THAT(GuardDutyTechniques("Impact:S3/ObjectDelete.Unusual"), ElementsAre("T1485"));
  EXPECT_THAT(GuardDutyTechniques("UnauthorizedAccess:S3/TorIPCaller"),
              ElementsAre("T1530", "T1090.003"));
  EXPECT_THAT(GuardDutyTechniques("CryptoCurrency:Lambda/BitcoinTool.B"),
              ElementsAre("T1496", "T1648"));
  EXPECT_THAT(GuardDutyTechniques("Backdoor:Lambda/C&CActivity.B"), ElementsAre("T1071", "T1648"));
  EXPECT_THAT(GuardDutyTechniques("Trojan:Lambda/DropPoint"), ElementsAre("T1041", "T1648"));
  EXPECT_THAT(GuardDutyTechniques("UnauthorizedAccess:Lambda/TorRelay"),
              ElementsAre("T1090.003", "T1648"));
}

TEST(AttackTest, AsffCategoriesMapToTheirTechniques) {
  EXPECT_THAT(SecurityHubTechniques({"TTPs/Discovery"}), ElementsAre("T1580"));
  EXPECT_THAT(SecurityHubTechniques({"TTPs/Defense Evasion/CloudTrailStopped"}),
              ElementsAre("T1562.008"));
  EXPECT_THAT(SecurityHubTechniques({"Effects/Data Exfiltration", "TTPs/Initial Access",
                                     "Effects/Data Exfiltration/Trojan:EC2-DropPoint"}),
              ElementsAre("T1537", "T1078"));
  EXPECT_THAT(SecurityHubTechniques({"Effects/Resource Consumption"}), ElementsAre("T1496"));
}

TEST(AttackTest, AsffPostureAndAnomalyTypesMapToNothing) {
  const std::string cis =
      "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations "
      "Benchmark";

  EXPECT_THAT(
      SecurityHubTechniques({cis, "Unusual Behaviors/User", "Sensitive Data Identifications/PII",
                             "TTPs", "TTPs/Discoveryish", ""}),
      IsEmpty());
  EXPECT_THAT(SecurityHubTechniques({}), IsEmpty());
}

TEST(AttackTest, EveryAsffRuleNamesOnlyKnownTechniques) {
  ASSERT_FALSE(SecurityHubTypeRules().empty());
  std::string_view previous;
  for (const auto& rule : SecurityHubTypeRules()) {
    EXPECT_LT(previous, rule.pattern);
    EXPECT_FALSE(rule.techniques.empty()) << rule.pattern;
    for (const auto& id : rule.techniques) {
      EXPECT_TRUE(TechniqueName(id)) << rule.pattern << " names unknown " << id;
    }
    previous = rule.pattern;
  }
}

// The planner labels its steps with these ids; `cordon techniques` must be able to name them.
TEST(AttackTest, TechniquesThePlannerUsesAreKnown) {
  for (const char* id : {"T1078.004", "T1552", "T1552.005", "T1578", "T1485", "T1496", "T1071"}) {
    EXPECT_TRUE(TechniqueName(id)) << id;
  }
}

}  // namespace
}  // namespace cordon::planning
