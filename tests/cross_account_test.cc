// End to end against moto: targets in another account are reached with --assume-role (moto keeps
// one backend per account, and an assumed role's credentials act in the role's account), and
// refused without it; the assumed role itself is never contained.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

constexpr const char* kOther = "210987654321";
constexpr const char* kTemplate = "arn:aws:iam::{account}:role/IR-Responder";

// Python that defines other(): a boto3 session in kOther through its IR-Responder role.
const std::string kOtherSession =
    "def other():\n"
    "    c = boto3.client('sts').assume_role(RoleArn='arn:aws:iam::210987654321:role/"
    "IR-Responder', RoleSessionName='test')['Credentials']\n"
    "    return boto3.Session(aws_access_key_id=c['AccessKeyId'], "
    "aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])\n";

class CrossAccountTest : public CordonMotoTest {
 protected:
  void SetUp() override {
    CordonMotoTest::SetUp();
    // The other account: the responder role trusting the home account, a user with a key, and
    // an instance in eu-west-1 (not the default region: the ARN says where it is).
    other_ = Boto(kOtherSession +
                  "iam = other().client('iam')\n"
                  "iam.create_role(RoleName='IR-Responder', AssumeRolePolicyDocument=json.dumps("
                  "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'AWS':"
                  "'arn:aws:iam::123456789012:root'},'Action':'sts:AssumeRole'}]}))\n"
                  "iam.put_role_policy(RoleName='IR-Responder', PolicyName='all', "
                  "PolicyDocument=json.dumps({'Version':'2012-10-17','Statement':[{'Effect':"
                  "'Allow','Action':'*','Resource':'*'}]}))\n"
                  "iam.create_user(UserName='intruder')\n"
                  "key = iam.create_access_key(UserName='intruder')['AccessKey']['AccessKeyId']\n"
                  "ec2 = other().client('ec2', region_name='eu-west-1')\n"
                  "i = ec2.run_instances(ImageId='ami-12c6146b', MinCount=1, MaxCount=1)"
                  "['Instances'][0]\n"
                  "print(json.dumps({'key': key, 'instance': i['InstanceId'], 'eni': "
                  "i['NetworkInterfaces'][0]['NetworkInterfaceId']}))");
    ASSERT_TRUE(other_.contains("instance")) << other_.dump();
  }

  std::string UserArn() const { return std::string("arn:aws:iam::") + kOther + ":user/intruder"; }
  std::string InstanceArn() const {
    return std::string("arn:aws:ec2:eu-west-1:") + kOther + ":instance/" +
           other_["instance"].get<std::string>();
  }

  json OtherKeys() {
    return Boto(kOtherSession +
                "print(json.dumps(other().client('iam').list_access_keys(UserName='intruder')"
                "['AccessKeyMetadata'], default=str))");
  }

  json other_;
};

TEST_F(CrossAccountTest, AssumeRoleContainsAUserAndAnInstanceInAnotherAccount) {
  ProcessResult run = Cordon({"apply", "--case", "xa-1", "--yes", "--target", UserArn(), "--target",
                              InstanceArn(), "--assume-role", kTemplate, "--external-id", "ext-1"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  json keys = OtherKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["Status"], "Inactive");
  json state = Boto(kOtherSession +
                    "s = other()\n"
                    "iam, ec2 = s.client('iam'), s.client('ec2', region_name='eu-west-1')\n"
                    "eni = ec2.describe_network_interfaces(NetworkInterfaceIds=['" +
                    other_["eni"].get<std::string>() +
                    "'])['NetworkInterfaces'][0]\n"
                    "groups = [g['GroupName'] for g in eni['Groups']]\n"
                    "term = ec2.describe_instance_attribute(InstanceId='" +
                    other_["instance"].get<std::string>() +
                    "', Attribute='disableApiTermination')['DisableApiTermination']['Value']\n"
                    "print(json.dumps({'policies': iam.list_user_policies(UserName='intruder')"
                    "['PolicyNames'], 'groups': groups, 'termination_protected': term}))");
  EXPECT_EQ(state["policies"], json::array({"cordon-deny-all-xa-1"})) << state.dump();
  EXPECT_EQ(state["groups"], json::array({"cordon-quarantine"})) << state.dump();
  EXPECT_EQ(state["termination_protected"], true);
  // Nothing was made in the home account.
  json home =
      Boto("print(json.dumps([u['UserName'] for u in boto3.client('iam').list_users()['Users']]))");
  EXPECT_EQ(std::count(home.begin(), home.end(), "intruder"), 0) << home.dump();
  ProcessResult status = Cordon({"status", "--case", "xa-1", "--output", "json"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(Cordon({"verify", "--case", "xa-1"}).exit_code, 0);
}

TEST_F(CrossAccountTest, ReleaseUndoesChangesInTheOtherAccountOnlyThroughTheRole) {
  ASSERT_EQ(Cordon({"apply", "--case", "xa-5", "--yes", "--target", UserArn(), "--assume-role",
                    kTemplate})
                .exit_code,
            0);

  ProcessResult without = Cordon({"release", "--case", "xa-5", "--yes"});
  json keys_after_refusal = OtherKeys();
  ProcessResult with = Cordon({"release", "--case", "xa-5", "--yes", "--assume-role", kTemplate});

  EXPECT_EQ(without.exit_code, 1) << without.out << without.err;
  EXPECT_NE(without.out.find("--assume-role"), std::string::npos) << without.out;
  ASSERT_EQ(keys_after_refusal.size(), 1u);
  EXPECT_EQ(keys_after_refusal[0]["Status"], "Inactive");
  ASSERT_EQ(with.exit_code, 0) << with.out << with.err;
  json keys = OtherKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["Status"], "Active");
  json policies = Boto(kOtherSession +
                       "print(json.dumps(other().client('iam').list_user_policies(UserName="
                       "'intruder')['PolicyNames']))");
  EXPECT_EQ(policies, json::array()) << policies.dump();
  EXPECT_EQ(Cordon({"verify", "--case", "xa-5"}).exit_code, 0);
}

TEST_F(CrossAccountTest, AssumedCredentialsAreSignedAndAcceptedWithChecksOn) {
  Environment responder = Env();
  responder["AWS_ACCESS_KEY_ID"] = seed_["responder"]["access_key_id"];
  responder["AWS_SECRET_ACCESS_KEY"] = seed_["responder"]["secret_access_key"];
  ASSERT_TRUE(server_->ResetAuth(0));

  ProcessResult run = Cordon(
      {"apply", "--case", "xa-6", "--yes", "--target", UserArn(), "--assume-role", kTemplate},
      responder);
  ASSERT_TRUE(server_->DisableAuth());

  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  json keys = OtherKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["Status"], "Inactive");
}

TEST_F(CrossAccountTest, ARoleThatCannotBeAssumedFailsItsAccountsStepsAndChangesNothing) {
  // A caller allowed everything but sts:AssumeRole.
  json limited = Boto(
      "iam = boto3.client('iam')\n"
      "iam.create_user(UserName='limited')\n"
      "iam.put_user_policy(UserName='limited', PolicyName='p', PolicyDocument=json.dumps("
      "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':'*'},"
      "{'Effect':'Deny','Action':'sts:AssumeRole','Resource':'*'}]}))\n"
      "k = iam.create_access_key(UserName='limited')['AccessKey']\n"
      "print(json.dumps({'id': k['AccessKeyId'], 'secret': k['SecretAccessKey']}))");
  Environment env = Env();
  env["AWS_ACCESS_KEY_ID"] = limited["id"];
  env["AWS_SECRET_ACCESS_KEY"] = limited["secret"];
  ASSERT_TRUE(server_->ResetAuth(0));

  ProcessResult run = Cordon(
      {"apply", "--case", "xa-7", "--yes", "--target", UserArn(), "--assume-role", kTemplate}, env);
  ASSERT_TRUE(server_->DisableAuth());

  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("cannot assume role arn:aws:iam::210987654321:role/IR-Responder"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find(limited["secret"].get<std::string>()), std::string::npos);
  EXPECT_EQ(run.err.find(limited["secret"].get<std::string>()), std::string::npos);
  json keys = OtherKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["Status"], "Active");
}

TEST_F(CrossAccountTest, TheActivityLookupGoesThroughTheRoleAndItsFailureBlocksNothing) {
  ProcessResult run = Cordon({"apply", "--case", "xa-8", "--yes", "--target", UserArn(),
                              "--assume-role", kTemplate, "--since", "1h", "--output", "json"});

  // moto answers LookupEvents with HTTP 500: the step is unknown, the rest is done.
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("CloudTrail activity of aws:iam-user:intruder unknown"), std::string::npos)
      << run.out;
  json keys = OtherKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["Status"], "Inactive");
}

TEST_F(CrossAccountTest, WithoutAssumeRoleATargetInAnotherAccountIsRefused) {
  ProcessResult run = Cordon({"apply", "--case", "xa-2", "--yes", "--target", UserArn()});

  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("210987654321"), std::string::npos) << run.out;
  json keys = OtherKeys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["Status"], "Active");
}

TEST_F(CrossAccountTest, TheAssumedRoleIsNeverContained) {
  const std::string role = std::string("arn:aws:iam::") + kOther + ":role/IR-Responder";

  ProcessResult run =
      Cordon({"apply", "--case", "xa-3", "--yes", "--target", role, "--assume-role", kTemplate});

  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("session of role IR-Responder"), std::string::npos) << run.out;
  json role_state = Boto(kOtherSession +
                         "iam = other().client('iam')\n"
                         "r = iam.get_role(RoleName='IR-Responder')['Role']\n"
                         "print(json.dumps({'policies': iam.list_role_policies(RoleName="
                         "'IR-Responder')['PolicyNames'], 'trust': r['AssumeRolePolicyDocument']"
                         "}))");
  EXPECT_EQ(role_state["policies"], json::array({"all"})) << role_state.dump();
  EXPECT_EQ(role_state["trust"]["Statement"][0]["Effect"], "Allow") << role_state.dump();
}

TEST_F(CrossAccountTest, ATemplateWithoutAccountIsAnInputErrorBeforeAnyCall) {
  ProcessResult run = Cordon({"apply", "--case", "xa-4", "--yes", "--target", UserArn(),
                              "--assume-role", "arn:aws:iam::210987654321:role/IR-Responder"});

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("{account}"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir_->File("home") + "/cases/xa-4"));
}

}  // namespace
}  // namespace cordon::testing
