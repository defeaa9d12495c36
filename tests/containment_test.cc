// End to end against moto: cordon contains the seeded incident (a user with two access keys and
// an instance with two interfaces and two volumes) and the end state is read back with boto3.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>

#include "tests/support/boto.h"
#include "tests/support/moto_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ContainmentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = MotoServer::Start();
    ASSERT_TRUE(started) << started.error().Describe();
    server_ = std::move(*started);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->DisableAuth());
    ASSERT_TRUE(server_->Reset());
    auto dir = TempDir::Create("cordon-e2e");
    ASSERT_TRUE(dir) << dir.error().Describe();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    auto seeded = SeedIncident(*server_, dir_->File("findings"), /*responder=*/true);
    ASSERT_TRUE(seeded) << seeded.error().Describe();
    seed_ = *seeded;
  }

  Environment Env() const {
    Environment env = server_->AwsEnv();
    env["CORDON_HOME"] = dir_->File("home");
    return env;
  }

  ProcessResult Cordon(const std::vector<std::string>& args, Environment env = {}) {
    if (env.empty()) {
      env = Env();
    }
    auto result = RunCordon(args, env);
    EXPECT_TRUE(result) << result.error().Describe();
    return result ? *result : ProcessResult{};
  }

  std::vector<std::string> ApplyArgs(const std::string& case_id) const {
    return {"apply",     "--case",
            case_id,     "--yes",
            "--finding", seed_["findings"]["ec2"]["path"].get<std::string>(),
            "--finding", seed_["findings"]["iam"]["path"].get<std::string>()};
  }

  json Boto(const std::string& code) {
    auto result = RunBoto(*server_, "import json,boto3\n" + code);
    EXPECT_TRUE(result) << result.error().Describe();
    return result ? *result : json();
  }

  json Instance() {
    return Boto("ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_instances(InstanceIds=['" +
                seed_["instance_id"].get<std::string>() +
                "'])['Reservations'][0]['Instances'][0], default=str))");
  }

  json Keys() {
    return Boto(
        "print(json.dumps(boto3.client('iam').list_access_keys(UserName='build-bot')"
        "['AccessKeyMetadata'], default=str))");
  }

  static std::unique_ptr<MotoServer> server_;
  std::unique_ptr<TempDir> dir_;
  json seed_;
};

std::unique_ptr<MotoServer> ContainmentTest::server_;

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
  ProcessResult accepted = Cordon({"apply", "--case", "auth-good", "--yes", "--finding",
                                   seed_["findings"]["iam"]["path"].get<std::string>()},
                                  good);
  ASSERT_TRUE(server_->DisableAuth());

  EXPECT_EQ(rejected.exit_code, 1) << rejected.out << rejected.err;
  EXPECT_NE(rejected.err.find("caller identity"), std::string::npos) << rejected.err;
  EXPECT_EQ(rejected.err.find(bad["AWS_SECRET_ACCESS_KEY"]), std::string::npos);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Inactive");
  }
}

// Runs `statement` on a case's journal after dropping the append-only triggers, as an attacker
// with file access could.
void TamperJournal(const std::string& db, const std::string& statement, const Environment& env) {
  const std::string script =
      "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
      "c.execute('DROP TRIGGER IF EXISTS records_are_never_updated')\n"
      "c.execute('DROP TRIGGER IF EXISTS records_are_never_deleted')\n"
      "c.execute(sys.argv[2])\nc.commit()\n";
  auto run = RunProcess({Python().value_or("python3"), "-c", script, db, statement}, env);
  ASSERT_TRUE(run) << run.error().Describe();
  ASSERT_EQ(run->exit_code, 0) << run->err;
}

TEST_F(ContainmentTest, VerifyNamesTheAlteredRecord) {
  ASSERT_EQ(Cordon(ApplyArgs("altered")).exit_code, 0);
  TamperJournal(dir_->File("home") + "/cases/altered/journal.db",
                "UPDATE records SET actor='someone-else' WHERE seq=7", Env());

  ProcessResult verify = Cordon({"verify", "--case", "altered"});

  EXPECT_EQ(verify.exit_code, 4) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("seq 7"), std::string::npos) << verify.out;
}

TEST_F(ContainmentTest, VerifyNamesTheRecordAfterARemovedOne) {
  ASSERT_EQ(Cordon(ApplyArgs("removed")).exit_code, 0);
  TamperJournal(dir_->File("home") + "/cases/removed/journal.db", "DELETE FROM records WHERE seq=5",
                Env());

  ProcessResult verify = Cordon({"verify", "--case", "removed", "--output", "json"});

  EXPECT_EQ(verify.exit_code, 4) << verify.out << verify.err;
  json report = json::parse(verify.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << verify.out;
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["journal"]["first_bad_record"], 6) << verify.out;
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

struct BadInput {
  const char* name;
  std::vector<std::string> args;
  const char* expected_in_message;
};

class BadInputTest : public ContainmentTest, public ::testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, ExitsTwoNamingTheProblemAndMakesNoCall) {
  const BadInput& input = GetParam();
  std::vector<std::string> args = input.args;
  for (auto& arg : args) {
    if (arg == "@bad-json") {
      arg = dir_->File("bad.json");
      std::ofstream(arg) << "{\"Findings\": [ {\"Id\": \"x\", ";
    } else if (arg == "@upper-id") {
      arg = dir_->File("upper.json");
      std::ofstream(arg) << R"({"Findings":[{"Id":"f1","Type":"Backdoor:EC2/C&CActivity.B",)"
                         << R"("Region":"us-east-1","Resource":{"InstanceDetails":)"
                         << R"({"InstanceId":"I-0ABCDEF1234567890"}}}]})";
    }
  }
  ASSERT_TRUE(server_->MarkRequests());

  ProcessResult run = Cordon(args);

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find(input.expected_in_message), std::string::npos) << run.err;
  auto requests = server_->RequestCount();
  ASSERT_TRUE(requests);
  EXPECT_EQ(*requests, 0u) << "a bad input reached the cloud";
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, BadInputTest,
    ::testing::Values(
        BadInput{"UpperCaseInstance",
                 {"apply", "--case", "c", "--yes", "--target", "aws:ec2-instance:I-0ABC1234"},
                 "i-"},
        BadInput{"SpacedUser",
                 {"apply", "--case", "c", "--yes", "--target", "aws:iam-user:bad name"},
                 "aws:iam-user"},
        BadInput{"UnknownKind", {"apply", "--case", "c", "--yes", "--target", "aws:vm:x"}, "aws:"},
        BadInput{"BadCaseId",
                 {"apply", "--case", "../etc", "--yes", "--target", "aws:iam-user:alice"},
                 "[A-Za-z0-9._-]"},
        BadInput{"MissingFindingFile",
                 {"apply", "--case", "c", "--yes", "--finding", "/nonexistent/f.json"},
                 "/nonexistent/f.json"},
        BadInput{"InvalidFindingJson",
                 {"apply", "--case", "c", "--yes", "--finding", "@bad-json"},
                 "JSON"},
        BadInput{"UpperCaseIdInFinding",
                 {"apply", "--case", "c", "--yes", "--finding", "@upper-id"},
                 "InstanceId"},
        BadInput{"NothingToContain", {"apply", "--case", "c", "--yes"}, "--target"}),
    [](const ::testing::TestParamInfo<BadInput>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace cordon::testing
