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

// The planner labels its steps with these ids; `cordon techniques` must be able to name them.
TEST(AttackTest, TechniquesThePlannerUsesAreKnown) {
  for (const char* id : {"T1078.004", "T1552", "T1552.005", "T1578", "T1485", "T1496", "T1071"}) {
    EXPECT_TRUE(TechniqueName(id)) << id;
  }
}

}  // namespace
}  // namespace cordon::planning
