// End to end against moto: cordon contains the seeded incident (a user with two access keys and
// an instance with two interfaces and two volumes) and the end state is read back with boto3.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ContainmentTest : public CordonMotoTest {};

TEST_F(ContainmentTest, ApplyContainsTheUserAndTheInstance) {
  ProcessResult run = Cordon(ApplyArgs("case-1"));

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  // Both keys inactive, deny-all attached.
  json keys = Keys();
  ASSERT_EQ(keys.size(), 2u);
  for (const auto& key : keys) {
    EXPECT_EQ(key["Status"], "Inactive") << key.dump();
  }
  json deny = Boto(
      "print(json.dumps(boto3.client('iam').get_user_policy(UserName='build-bot', "
      "PolicyName='cordon-deny-all-case-1')['PolicyDocument']))");
  EXPECT_EQ(deny["Statement"][0]["Effect"], "Deny");
  EXPECT_EQ(deny["Statement"][0]["Action"], "*");
  // The instance role's older sessions are denied.
  json revoke = Boto(
      "print(json.dumps(boto3.client('iam').get_role_policy(RoleName='web-app-role', "
      "PolicyName='cordon-revoke-older-sessions-case-1')['PolicyDocument']))");
  EXPECT_TRUE(revoke["Statement"][0]["Condition"]["DateLessThan"].contains("aws:TokenIssueTime"))
      << revoke.dump();

  // Every interface in the quarantine group only, and the group has no rules at all.
  json instance = Instance();
  ASSERT_EQ(instance["NetworkInterfaces"].size(), 2u);
  json groups = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_security_groups(Filters=["
      "{'Name':'group-name','Values':['cordon-quarantine']}])['SecurityGroups']))");
  ASSERT_EQ(groups.size(), 1u);
  const std::string quarantine = groups[0]["GroupId"];
  EXPECT_TRUE(groups[0]["IpPermissions"].empty()) << groups.dump();
  EXPECT_TRUE(groups[0]["IpPermissionsEgress"].empty()) << groups.dump();
  json enis = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_network_interfaces("
      "NetworkInterfaceIds=" +
      seed_["network_interface_ids"].dump() + ")['NetworkInterfaces'], default=str))");
  ASSERT_EQ(enis.size(), 2u);
  for (const auto& eni : enis) {
    ASSERT_EQ(eni["Groups"].size(), 1u) << eni.dump();
    EXPECT_EQ(eni["Groups"][0]["GroupId"], quarantine);
  }

  // Evidence kept: snapshots of both volumes tagged with the case, protection on.
  json snapshots = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_snapshots(OwnerIds=['self'], "
      "Filters=[{'Name':'tag:IR-Case','Values':['case-1']}])['Snapshots'], default=str))");
  std::set<std::string> snapshotted;
  for (const auto& snapshot : snapshots) {
    snapshotted.insert(snapshot["VolumeId"].get<std::string>());
  }
  for (const auto& volume : seed_["volume_ids"]) {
    EXPECT_TRUE(snapshotted.count(volume.get<std::string>())) << volume << " not snapshotted";
  }
  EXPECT_EQ(snapshots.size(), seed_["volume_ids"].size());
  const std::string id = seed_["instance_id"];
  json termination = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_instance_"
      "attribute(InstanceId='" +
      id + "', Attribute='disableApiTermination')['DisableApiTermination']))");
  EXPECT_EQ(termination["Value"], true);
  json shutdown = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_instance_"
      "attribute(InstanceId='" +
      id +
      "', Attribute='instanceInitiatedShutdown"
      "Behavior')['InstanceInitiatedShutdownBehavior']))");
  EXPECT_EQ(shutdown["Value"], "stop");
  for (const auto& mapping : instance["BlockDeviceMappings"]) {
    EXPECT_EQ(mapping["Ebs"]["DeleteOnTermination"], false) << mapping.dump();
  }
  std::map<std::string, std::string> tags;
  for (const auto& tag : instance["Tags"]) {
    tags[tag["Key"]] = tag["Value"];
  }
  EXPECT_EQ(tags["IR-Case"], "case-1");
  EXPECT_EQ(tags["IR-Status"], "contained");

  // And the journal proves it.
  ProcessResult verify = Cordon({"verify", "--case", "case-1"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(ContainmentTest, ApplyingAFinishedCaseAgainChangesNothing) {
  ASSERT_EQ(Cordon(ApplyArgs("case-2")).exit_code, 0);
  ASSERT_TRUE(server_->MarkRequests());

  ProcessResult again = Cordon(ApplyArgs("case-2"));

  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  json snapshots = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(len(ec2.describe_snapshots(OwnerIds=['self'], "
      "Filters=[{'Name':'tag:IR-Case','Values':['case-2']}])['Snapshots'])))");
  EXPECT_EQ(snapshots.get<size_t>(), seed_["volume_ids"].size());
  json groups = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(len(ec2.describe_security_groups(Filters=["
      "{'Name':'group-name','Values':['cordon-quarantine']}])['SecurityGroups'])))");
  EXPECT_EQ(groups.get<int>(), 1);
  EXPECT_NE(again.out.find("already_done"), std::string::npos) << again.out;
  ProcessResult verify = Cordon({"verify", "--case", "case-2"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(ContainmentTest, DryRunPrintsTheCallsAndChangesNothing) {
  ProcessResult run = Cordon({"apply", "--case", "dry", "--dry-run", "--finding",
                              seed_["findings"]["iam"]["path"].get<std::string>()});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("would call iam:UpdateAccessKey"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("would call iam:PutUserPolicy"), std::string::npos) << run.out;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Active");
  }
}

TEST_F(ContainmentTest, ApplyWithoutYesAndWithoutATerminalRefuses) {
  ASSERT_TRUE(server_->MarkRequests());

  ProcessResult run = Cordon({"apply", "--case", "no-tty", "--target", "aws:iam-user:build-bot"});

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("--yes"), std::string::npos) << run.err;
  auto requests = server_->RequestCount();
  ASSERT_TRUE(requests);
  EXPECT_EQ(*requests, 0u);
}

TEST_F(ContainmentTest, RefusesToContainItsOwnCallerIdentity) {
  Environment env = Env();
  env["AWS_ACCESS_KEY_ID"] = seed_["responder"]["access_key_id"];
  env["AWS_SECRET_ACCESS_KEY"] = seed_["responder"]["secret_access_key"];

  ProcessResult run = Cordon(
      {"apply", "--case", "self", "--yes", "--target", "aws:iam-user:cordon-responder"}, env);

  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("identity cordon itself runs as"), std::string::npos) << run.out;
  json keys = Boto(
      "print(json.dumps(boto3.client('iam').list_access_keys(UserName='cordon-responder')"
      "['AccessKeyMetadata'], default=str))");
  for (const auto& key : keys) {
    EXPECT_EQ(key["Status"], "Active");
  }
}

TEST_F(ContainmentTest, RefusesATargetInAnotherAccount) {
  ProcessResult run = Cordon({"apply", "--case", "other-account", "--yes", "--target",
                              "arn:aws:iam::999999999999:user/build-bot"});

  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("account 999999999999"), std::string::npos) << run.out;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Active") << "a same-named user of the caller's account was touched";
  }
}

TEST_F(ContainmentTest, SignedCallsPassWithTheRightSecretAndFailWithAWrongOne) {
  Environment good = Env();
  good["AWS_ACCESS_KEY_ID"] = seed_["responder"]["access_key_id"];
  good["AWS_SECRET_ACCESS_KEY"] = seed_["responder"]["secret_access_key"];
  Environment bad = good;
  bad["AWS_SECRET_ACCESS_KEY"] = "wrong" + good["AWS_SECRET_ACCESS_KEY"].substr(5);
  ASSERT_TRUE(server_->ResetAuth(0));

  ProcessResult rejected = Cordon({"apply", "--case", "auth-bad", "--yes", "--finding",
                                   seed_["findings"]["iam"]["path"].get<std::string>()},
                                  bad);
  std::vector<std::string> both = ApplyArgs("auth-good");
  ProcessResult accepted = Cordon(both, good);
  ASSERT_TRUE(server_->DisableAuth());

  EXPECT_EQ(rejected.exit_code, 1) << rejected.out << rejected.err;
  EXPECT_NE(rejected.err.find("caller identity"), std::string::npos) << rejected.err;
  EXPECT_EQ(rejected.err.find(bad["AWS_SECRET_ACCESS_KEY"]), std::string::npos);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Inactive");
  }
  json snapshots = Boto(
      "ec2=boto3.client('ec2')\nprint(json.dumps(len(ec2.describe_snapshots(OwnerIds=['self'], "
      "Filters=[{'Name':'tag:IR-Case','Values':['auth-good']}])['Snapshots'])))");
  EXPECT_EQ(snapshots.get<size_t>(), seed_["volume_ids"].size()) << "EC2 calls must pass too";
}

TEST_F(ContainmentTest, DeleteKeysOnAnAlreadyContainedCaseDeletesThem) {
  const std::string iam = seed_["findings"]["iam"]["path"];
  ASSERT_EQ(Cordon({"apply", "--case", "del", "--yes", "--finding", iam}).exit_code, 0);

  ProcessResult run =
      Cordon({"apply", "--case", "del", "--yes", "--delete-keys", "--finding", iam});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(Keys().empty()) << Keys().dump();
}

TEST_F(ContainmentTest, StatusListsEveryTargetTheCaseContained) {
  ASSERT_EQ(Cordon({"apply", "--case", "grow", "--yes", "--finding",
                    seed_["findings"]["ec2"]["path"].get<std::string>()})
                .exit_code,
            0);
  ASSERT_EQ(Cordon({"apply", "--case", "grow", "--yes", "--finding",
                    seed_["findings"]["iam"]["path"].get<std::string>()})
                .exit_code,
            0);

  ProcessResult status = Cordon({"status", "--case", "grow", "--output", "json"});

  json report = json::parse(status.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << status.out;
  ASSERT_EQ(report["targets"].size(), 2u) << status.out;
  for (const auto& target : report["targets"]) {
    EXPECT_EQ(target["phases"]["revoke"], "done") << target.dump();
  }
}

TEST_F(ContainmentTest, AUserNamedWithIamPunctuationIsContained) {
  Boto(
      "iam=boto3.client('iam')\n"
      "iam.create_user(UserName='alice+ops=x,y@example.com')\n"
      "iam.create_access_key(UserName='alice+ops=x,y@example.com')\n"
      "print('{}')");

  ProcessResult run = Cordon(
      {"apply", "--case", "punct", "--yes", "--target", "aws:iam-user:alice+ops=x,y@example.com"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  json keys = Boto(
      "keys=boto3.client('iam').list_access_keys(UserName='alice+ops=x,y@example.com')\n"
      "print(json.dumps([k['Status'] for k in keys['AccessKeyMetadata']]))");
  EXPECT_EQ(keys, json::array({"Inactive"}));
  EXPECT_EQ(Cordon({"verify", "--case", "punct"}).exit_code, 0);
}

TEST_F(ContainmentTest, ApplyRefusesWhileAnotherRunHoldsTheCase) {
  std::filesystem::create_directories(dir_->File("home") + "/cases/busy");
  const std::string lock = dir_->File("home") + "/cases/busy/case.lock";
  // flock(1) holds the case's lock the way a running apply does, for as long as sleep runs.
  const std::string log = dir_->File("flock.log");
  auto holder = BackgroundProcess::Start(
      {"flock", "--nonblock", "--no-fork", lock, "sh", "-c", "echo locked; exec sleep 20"},
      {{"PATH", "/usr/bin:/bin"}}, log);
  ASSERT_TRUE(holder) << holder.error().Describe();
  for (int i = 0; i < 100 && ReadAll(log).find("locked") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(ReadAll(log).find("locked"), std::string::npos) << ReadAll(log);

  ProcessResult run =
      Cordon({"apply", "--case", "busy", "--yes", "--target", "aws:iam-user:build-bot"});

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("in use by another cordon process"), std::string::npos) << run.err;
  EXPECT_EQ(Keys().size(), 2u);
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Active") << key.dump();
  }
  holder->Stop(std::chrono::milliseconds(100));
}

TEST_F(ContainmentTest, ARoleThatDoesNotExistFailsItsCaptureNamingItAndChangesNothing) {
  ProcessResult run =
      Cordon({"apply", "--case", "norole", "--yes", "--target", "aws:iam-role:no-such-role"});

  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("could not read IAM role no-such-role"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("NoSuchEntity"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("revoke-sessions      skipped"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("deny-trust           skipped"), std::string::npos) << run.out;
  json roles =
      Boto("print(json.dumps([r['RoleName'] for r in boto3.client('iam').list_roles()['Roles']]))");
  EXPECT_EQ(std::count(roles.begin(), roles.end(), "no-such-role"), 0) << roles.dump();
  EXPECT_EQ(Cordon({"verify", "--case", "norole"}).exit_code, 0);
}

TEST_F(ContainmentTest, NeverContainsAResponder) {
  const std::string role_arn = "arn:aws:iam::123456789012:role/web-app-role";

  ProcessResult run = Cordon({"apply", "--case", "responder", "--yes", "--target",
                              "aws:iam-role:web-app-role", "--responder", role_arn});

  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("responder"), std::string::npos) << run.out;
  json policies = Boto(
      "print(json.dumps(boto3.client('iam').list_role_policies(RoleName='web-app-role')"
      "['PolicyNames']))");
  EXPECT_EQ(std::count(policies.begin(), policies.end(), "cordon-revoke-older-sessions-responder"),
            0)
      << policies.dump();
}

TEST_F(ContainmentTest, AnAssumedRoleKeyFindingRevokesTheRoleAndLeavesUsersAlone) {
  const std::string path = dir_->File("assumed-role.json");
  std::ofstream(path) << R"({"Findings":[{"Id":"a1","AccountId":"123456789012",)"
                      << R"("Region":"us-east-1","Type":"UnauthorizedAccess:IAMUser/)"
                      << R"(InstanceCredentialExfiltration.OutsideAWS","Resource":{)"
                      << R"("ResourceType":"AccessKey","AccessKeyDetails":{"AccessKeyId":)"
                      << R"("ASIAQWERTYUIOPASDFGH","PrincipalId":"AROAEXAMPLE:i-0abc",)"
                      << R"("UserName":"web-app-role","UserType":"AssumedRole"}}}]})";

  ProcessResult run = Cordon({"apply", "--case", "assumed", "--yes", "--finding", path});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  json revoke = Boto(
      "print(json.dumps(boto3.client('iam').get_role_policy(RoleName='web-app-role', "
      "PolicyName='cordon-revoke-older-sessions-assumed')['PolicyDocument']))");
  EXPECT_EQ(revoke["Statement"][0]["Effect"], "Deny") << revoke.dump();
  EXPECT_TRUE(revoke["Statement"][0]["Condition"]["DateLessThan"].contains("aws:TokenIssueTime"))
      << revoke.dump();
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Active") << "a user key was touched: " << key.dump();
  }
}

}  // namespace
}  // namespace cordon::testing
