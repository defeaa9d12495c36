// The end-to-end support library checked on its own: processes, temporary folders, the counting
// moto server and the seeded incident.
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <string>

#include "core/fs.h"
#include "tests/support/boto.h"
#include "tests/support/moto_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

const Environment kShellEnv = {{"PATH", "/usr/bin:/bin"}};

TEST(ProcessTest, CapturesStdoutStderrAndExitCodeApart) {
  auto run = RunProcess({"sh", "-c", "echo out; echo err >&2; exit 7"}, kShellEnv);

  ASSERT_TRUE(run) << run.error().Describe();
  EXPECT_EQ(run->out, "out\n");
  EXPECT_EQ(run->err, "err\n");
  EXPECT_EQ(run->exit_code, 7);
  EXPECT_EQ(run->term_signal, 0);
}

TEST(ProcessTest, ChildSeesOnlyTheGivenEnvironmentAndNoTerminal) {
  auto env = RunProcess({"/usr/bin/env"}, {{"ONLY", "this"}});
  auto tty =
      RunProcess({"sh", "-c", "if test -t 0; then echo tty; else cat; echo none; fi"}, kShellEnv);

  ASSERT_TRUE(env) << env.error().Describe();
  EXPECT_EQ(env->out, "ONLY=this\n");
  ASSERT_TRUE(tty) << tty.error().Describe();
  EXPECT_EQ(tty->out, "none\n");
}

TEST(ProcessTest, DrainsBothPipesWhenTheChildWritesALotToEach) {
  auto run = RunProcess(
      {"sh", "-c", "head -c 1000000 /dev/zero; head -c 1500000 /dev/zero >&2; echo done"},
      kShellEnv);

  ASSERT_TRUE(run) << run.error().Describe();
  EXPECT_EQ(run->out.size(), 1000005u);
  EXPECT_EQ(run->err.size(), 1500000u);
}

TEST(ProcessTest, ReportsTheSignalThatKilledTheChild) {
  auto run = RunProcess({"sh", "-c", "kill -TERM $$"}, kShellEnv);

  ASSERT_TRUE(run) << run.error().Describe();
  EXPECT_EQ(run->term_signal, SIGTERM);
  EXPECT_EQ(run->exit_code, 128 + SIGTERM);
}

TEST(ProcessTest, KillsAChildThatOutlivesItsTimeoutAndFails) {
  auto run = RunProcess({"sleep", "60"}, kShellEnv, std::chrono::milliseconds(200));

  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().kind, ErrorKind::kTransient);
  EXPECT_NE(run.error().message.find("killed"), std::string::npos) << run.error().message;
}

TEST(ProcessTest, FailsNamingAProgramThatIsNotThere) {
  auto run = RunProcess({"no-such-program-cordon"}, kShellEnv);

  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(run.error().message.find("no-such-program-cordon"), std::string::npos);
}

TEST(TempDirTest, RemovesItsFolderAndContentWhenDestroyedButNotWhenMovedFrom) {
  auto created = TempDir::Create("cordon-selftest");
  ASSERT_TRUE(created) << created.error().Describe();
  const std::string path = created->path();
  ASSERT_TRUE(WriteFileAtomic(created->File("inner.txt"), "x"));

  {
    TempDir moved = std::move(*created);
    EXPECT_TRUE(created->path().empty());
    EXPECT_TRUE(std::filesystem::exists(moved.File("inner.txt")));
  }

  EXPECT_FALSE(std::filesystem::exists(path));
}

class MotoSupportTest : public ::testing::Test {
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
    auto dir = TempDir::Create("cordon-selftest");
    ASSERT_TRUE(dir) << dir.error().Describe();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    auto seeded = SeedIncident(*server_, dir_->File("findings"), /*responder=*/true);
    ASSERT_TRUE(seeded) << seeded.error().Describe();
    seed_ = *seeded;
  }

  json Boto(const std::string& code) {
    auto result = RunBoto(*server_, "import json,boto3\n" + code);
    EXPECT_TRUE(result) << result.error().Describe();
    return result ? *result : json();
  }

  // The caller's ARN with the responder's key and `secret`, or "error:CODE".
  json CallerWithSecret(const std::string& secret) {
    return Boto(
        "from botocore.exceptions import ClientError\n"
        "sts=boto3.client('sts', aws_access_key_id='" +
        seed_["responder"]["access_key_id"].get<std::string>() + "', aws_secret_access_key='" +
        secret +
        "')\n"
        "try:\n"
        "  print(json.dumps(sts.get_caller_identity()['Arn']))\n"
        "except ClientError as e:\n"
        "  print(json.dumps('error:'+e.response['Error']['Code']))\n");
  }

  static json Load(const json& path) {
    auto text = ReadFile(path.get<std::string>());
    EXPECT_TRUE(text) << text.error().Describe();
    return text ? json::parse(*text) : json();
  }

  static std::unique_ptr<MotoServer> server_;
  std::unique_ptr<TempDir> dir_;
  json seed_;
};

std::unique_ptr<MotoServer> MotoSupportTest::server_;

TEST_F(MotoSupportTest, SeedCreatesAnInstanceWithTwoInterfacesAndTwoVolumesAndAUserWithTwoKeys) {
  const std::string code = R"(
ec2, iam = boto3.client('ec2'), boto3.client('iam')
i = ec2.describe_instances(InstanceIds=[INSTANCE])['Reservations'][0]['Instances'][0]
enis = [n['NetworkInterfaceId'] for n in i['NetworkInterfaces']]
described = ec2.describe_network_interfaces(NetworkInterfaceIds=enis)['NetworkInterfaces']
print(json.dumps({
  'enis': enis,
  'subnets': [n['SubnetId'] for n in i['NetworkInterfaces']],
  'groups': [[g['GroupId'] for g in n['Groups']] for n in described],
  'volumes': [m['Ebs']['VolumeId'] for m in i['BlockDeviceMappings']],
  'delete': [m['Ebs']['DeleteOnTermination'] for m in i['BlockDeviceMappings']],
  'profile': i['IamInstanceProfile']['Arn'],
  'keys': [k['AccessKeyId']
           for k in iam.list_access_keys(UserName='build-bot')['AccessKeyMetadata']],
}))
)";

  json state = Boto("INSTANCE = '" + seed_["instance_id"].get<std::string>() + "'\n" + code);

  ASSERT_EQ(state["enis"].size(), 2u) << state.dump();
  EXPECT_EQ(state["enis"].get<std::set<std::string>>(),
            seed_["network_interface_ids"].get<std::set<std::string>>());
  EXPECT_EQ(state["subnets"].get<std::set<std::string>>().size(), 2u) << state.dump();
  EXPECT_EQ(state["subnets"].get<std::set<std::string>>(),
            seed_["subnet_ids"].get<std::set<std::string>>());
  // One group per interface, each its own: moto must not merge instance-level groups in.
  std::set<std::string> groups;
  for (const auto& eni_groups : state["groups"]) {
    ASSERT_EQ(eni_groups.size(), 1u) << state.dump();
    groups.insert(eni_groups[0].get<std::string>());
  }
  EXPECT_EQ(groups, seed_["security_group_ids"].get<std::set<std::string>>());
  ASSERT_EQ(state["volumes"].size(), 2u) << state.dump();
  EXPECT_EQ(state["volumes"].get<std::set<std::string>>(),
            seed_["volume_ids"].get<std::set<std::string>>());
  EXPECT_EQ(state["delete"], json({true, true}));
  EXPECT_NE(state["profile"].get<std::string>().find("web-app-profile"), std::string::npos);
  EXPECT_EQ(state["keys"].get<std::set<std::string>>(),
            seed_["access_key_ids"].get<std::set<std::string>>());
  EXPECT_EQ(seed_["access_key_ids"].size(), 2u);
}

TEST_F(MotoSupportTest, SeedWritesPublishedShapeFindingsNamingTheSeededResources) {
  json ec2 = Load(seed_["findings"]["ec2"]["path"]);
  json iam = Load(seed_["findings"]["iam"]["path"]);

  EXPECT_EQ(ec2["detail-type"], "GuardDuty Finding");
  const json& detail = ec2["detail"];
  EXPECT_EQ(detail["resource"]["instanceDetails"]["instanceId"], seed_["instance_id"]);
  std::set<std::string> enis;
  for (const auto& eni : detail["resource"]["instanceDetails"]["networkInterfaces"]) {
    enis.insert(eni["networkInterfaceId"].get<std::string>());
  }
  EXPECT_EQ(enis, seed_["network_interface_ids"].get<std::set<std::string>>());
  EXPECT_EQ(detail["accountId"], "123456789012");
  EXPECT_EQ(detail["service"]["archived"], false);
  EXPECT_FALSE(detail["service"]["additionalInfo"].contains("sample"));
  ASSERT_EQ(iam["Findings"].size(), 1u);
  const json& key = iam["Findings"][0]["Resource"]["AccessKeyDetails"];
  EXPECT_EQ(key["AccessKeyId"], seed_["access_key_ids"][0]);
  EXPECT_EQ(key["UserName"], "build-bot");
  EXPECT_EQ(key["UserType"], "IAMUser");
  EXPECT_EQ(iam["Findings"][0]["Service"]["Archived"], false);
}

TEST_F(MotoSupportTest, RequestCounterCountsAwsCallsAndMarkRestartsIt) {
  ASSERT_TRUE(server_->MarkRequests());
  auto before = server_->RequestCount();

  Boto("sts=boto3.client('sts')\nfor _ in range(3):\n  sts.get_caller_identity()\nprint(3)");
  auto after = server_->RequestCount();
  ASSERT_TRUE(server_->MarkRequests());
  auto marked = server_->RequestCount();

  ASSERT_TRUE(before && after && marked);
  EXPECT_EQ(*before, 0u);
  EXPECT_EQ(*after, 3u);
  EXPECT_EQ(*marked, 0u);
}

TEST_F(MotoSupportTest, ResetAuthRejectsAWrongSecretUntilAuthIsDisabled) {
  const std::string secret = seed_["responder"]["secret_access_key"];
  const std::string wrong = "wrong" + secret.substr(5);
  const json arn = seed_["responder"]["arn"];

  ASSERT_TRUE(server_->ResetAuth(0));
  json rejected = CallerWithSecret(wrong);
  json accepted = CallerWithSecret(secret);
  ASSERT_TRUE(server_->DisableAuth());
  json unchecked = CallerWithSecret(wrong);

  EXPECT_EQ(rejected, "error:SignatureDoesNotMatch");
  EXPECT_EQ(accepted, arn);
  EXPECT_EQ(unchecked, arn);
}

TEST(MotoServerLifetimeTest, DestroyingTheServerStopsAndReapsItsProcess) {
  auto started = MotoServer::Start();
  ASSERT_TRUE(started) << started.error().Describe();
  const pid_t pid = (*started)->pid();
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, 0), 0);

  started->reset();

  EXPECT_NE(::kill(pid, 0), 0);
  EXPECT_EQ(errno, ESRCH);
}

}  // namespace
}  // namespace cordon::testing
