// End to end against moto: release restores what containment changed, once, from the journal.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ContainmentTest : public CordonMotoTest {};

TEST_F(ContainmentTest, ReleaseRestoresThePriorStateAndASecondReleaseChangesNothing) {
  json groups_before = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps({i['NetworkInterfaceId']:sorted(g['GroupId'] "
      "for g in i['Groups']) for i in ec2.describe_network_interfaces(NetworkInterfaceIds=" +
      seed_["network_interface_ids"].dump() + ")['NetworkInterfaces']}))");
  ASSERT_EQ(Cordon(ApplyArgs("release-1")).exit_code, 0);

  ProcessResult release = Cordon({"release", "--case", "release-1", "--yes"});

  ASSERT_EQ(release.exit_code, 0) << release.out << release.err;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Active") << key.dump();
  }
  json user_policies = Boto(
      "print(json.dumps(boto3.client('iam').list_user_policies(UserName='build-bot')"
      "['PolicyNames']))");
  EXPECT_EQ(std::count(user_policies.begin(), user_policies.end(), "cordon-deny-all-release-1"), 0)
      << user_policies.dump();
  json role_policies = Boto(
      "print(json.dumps(boto3.client('iam').list_role_policies(RoleName='web-app-role')"
      "['PolicyNames']))");
  EXPECT_EQ(std::count(role_policies.begin(), role_policies.end(),
                       "cordon-revoke-older-sessions-release-1"),
            0)
      << role_policies.dump();
  json groups_after = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps({i['NetworkInterfaceId']:sorted(g['GroupId'] "
      "for g in i['Groups']) for i in ec2.describe_network_interfaces(NetworkInterfaceIds=" +
      seed_["network_interface_ids"].dump() + ")['NetworkInterfaces']}))");
  EXPECT_EQ(groups_after, groups_before);
  json instance = Instance();
  for (const auto& mapping : instance["BlockDeviceMappings"]) {
    EXPECT_EQ(mapping["Ebs"]["DeleteOnTermination"], true) << mapping.dump();
  }
  const std::string id = seed_["instance_id"];
  json termination = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_instance_attribute(InstanceId='" +
      id + "', Attribute='disableApiTermination')['DisableApiTermination']))");
  EXPECT_EQ(termination["Value"], false);
  std::map<std::string, std::string> tags;
  for (const auto& tag : instance["Tags"]) {
    tags[tag["Key"]] = tag["Value"];
  }
  EXPECT_EQ(tags["IR-Status"], "released");
  json snapshots = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(len(ec2.describe_snapshots(OwnerIds=['self'], "
      "Filters=[{'Name':'tag:IR-Case','Values':['release-1']}])['Snapshots'])))");
  EXPECT_EQ(snapshots.get<size_t>(), seed_["volume_ids"].size()) << "evidence must be kept";
  EXPECT_NE(release.out.find("kept"), std::string::npos) << release.out;

  ProcessResult again = Cordon({"release", "--case", "release-1", "--yes", "--output", "json"});

  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  json items = json::parse(again.out, nullptr, false);
  ASSERT_FALSE(items.is_discarded()) << again.out;
  for (const auto& item : items["items"]) {
    EXPECT_TRUE(item["status"] == "already_released" || item["status"] == "kept" ||
                item["status"] == "irreversible")
        << item.dump();
  }
  EXPECT_EQ(Cordon({"verify", "--case", "release-1"}).exit_code, 0);
  ProcessResult status = Cordon({"status", "--case", "release-1", "--output", "json"});
  json phases = json::parse(status.out, nullptr, false);
  ASSERT_FALSE(phases.is_discarded()) << status.out;
  for (const auto& target : phases["targets"]) {
    EXPECT_EQ(target["phases"]["revoke"], "released") << target.dump();
  }
}

TEST_F(ContainmentTest, ApplyAfterReleaseContainsAgainWithoutASecondSnapshot) {
  ASSERT_EQ(Cordon(ApplyArgs("again")).exit_code, 0);
  ASSERT_EQ(Cordon({"release", "--case", "again", "--yes"}).exit_code, 0);
  for (const auto& key : Keys()) {
    ASSERT_EQ(key["Status"], "Active") << key.dump();
  }

  ProcessResult run = Cordon(ApplyArgs("again"));

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Inactive") << key.dump();
  }
  json interfaces = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps([[g['GroupName'] for g in i['Groups']] for i in "
      "ec2.describe_network_interfaces(NetworkInterfaceIds=" +
      seed_["network_interface_ids"].dump() + ")['NetworkInterfaces']]))");
  for (const auto& groups : interfaces) {
    EXPECT_EQ(groups, json::array({"cordon-quarantine"})) << interfaces.dump();
  }
  json snapshots = Boto(
      "print(json.dumps(len(boto3.client('ec2').describe_snapshots(OwnerIds=['self'], "
      "Filters=[{'Name':'tag:IR-Case','Values':['again']}])['Snapshots'])))");
  EXPECT_EQ(snapshots, 2) << "the snapshots are kept, never taken twice";
  ProcessResult status = Cordon({"status", "--case", "again", "--output", "json"});
  json report = json::parse(status.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << status.out;
  for (const auto& target : report["targets"]) {
    EXPECT_EQ(target["phases"]["revoke"], "done") << target.dump();
  }
  EXPECT_EQ(Cordon({"verify", "--case", "again"}).exit_code, 0);
}

TEST_F(ContainmentTest, ASharedRolePolicyStaysUntilTheLastStepThatPutItIsReleased) {
  std::vector<std::string> args = ApplyArgs("shared");
  args.insert(args.end(), {"--target", "aws:iam-role:web-app-role"});
  ASSERT_EQ(Cordon(args).exit_code, 0);
  const std::string list_policies =
      "print(json.dumps(boto3.client('iam').list_role_policies(RoleName='web-app-role')"
      "['PolicyNames']))";
  const std::string policy = "cordon-revoke-older-sessions-shared";
  json before = Boto(list_policies);
  ASSERT_EQ(std::count(before.begin(), before.end(), policy), 1) << before.dump();

  ProcessResult one = Cordon({"release", "--case", "shared", "--yes", "--step",
                              "aws:iam-role:web-app-role/revoke-sessions"});

  ASSERT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_NE(one.out.find("still needs it"), std::string::npos) << one.out;
  json during = Boto(list_policies);
  EXPECT_EQ(std::count(during.begin(), during.end(), policy), 1)
      << "the instance's revocation still needs it: " << during.dump();

  ProcessResult all = Cordon({"release", "--case", "shared", "--yes"});

  ASSERT_EQ(all.exit_code, 0) << all.out << all.err;
  json after = Boto(list_policies);
  EXPECT_EQ(std::count(after.begin(), after.end(), policy), 0) << after.dump();
}

TEST_F(ContainmentTest, ReleaseOfOneStepLeavesTheOthersInForce) {
  ASSERT_EQ(Cordon(ApplyArgs("release-2")).exit_code, 0);

  ProcessResult release = Cordon(
      {"release", "--case", "release-2", "--yes", "--step",
       "aws:access-key:" + seed_["access_key_ids"][0].get<std::string>() + "/deactivate-keys"});

  ASSERT_EQ(release.exit_code, 0) << release.out << release.err;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Active") << key.dump();
  }
  json user_policies = Boto(
      "print(json.dumps(boto3.client('iam').list_user_policies(UserName='build-bot')"
      "['PolicyNames']))");
  EXPECT_EQ(std::count(user_policies.begin(), user_policies.end(), "cordon-deny-all-release-2"), 1)
      << "the deny-all policy must stay: " << user_policies.dump();
  ProcessResult bad = Cordon({"release", "--case", "release-2", "--yes", "--step", "nope"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--step nope"), std::string::npos) << bad.err;
}

TEST_F(ContainmentTest, RoleTrustPolicyDeniesEveryoneAndReleaseRestoresIt) {
  const std::string read_trust =
      "print(json.dumps(boto3.client('iam').get_role(RoleName='web-app-role')['Role']"
      "['AssumeRolePolicyDocument']))";
  json before = Boto(read_trust);

  ProcessResult run = Cordon({"apply", "--case", "role", "--yes", "--target",
                              "arn:aws:iam::123456789012:role/web-app-role"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  json during = Boto(read_trust);
  ASSERT_EQ(during["Statement"].size(), 1u) << during.dump();
  EXPECT_EQ(during["Statement"][0]["Effect"], "Deny");
  EXPECT_EQ(during["Statement"][0]["Principal"], "*");

  ProcessResult release = Cordon({"release", "--case", "role", "--yes"});

  ASSERT_EQ(release.exit_code, 0) << release.out << release.err;
  EXPECT_EQ(Boto(read_trust), before);
  json policies = Boto(
      "print(json.dumps(boto3.client('iam').list_role_policies(RoleName='web-app-role')"
      "['PolicyNames']))");
  EXPECT_EQ(std::count(policies.begin(), policies.end(), "cordon-revoke-older-sessions-role"), 0)
      << policies.dump();
}

}  // namespace
}  // namespace cordon::testing
