// SsmClient against a real moto_server (SendCommand and GetCommandInvocation; moto does not serve
// ListCommandInvocations, which ssm_client_test.cc covers with recorded responses).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "providers/aws/moto_fixture_for_tests.h"
#include "providers/aws/ssm_client.h"

namespace cordon::aws {
namespace {

class SsmClientMotoTest : public MotoFixture {
 protected:
  void SetUp() override {
    MotoFixture::SetUp();
    auto seeded = Boto(R"(
ec2 = client('ec2')
image = ec2.describe_images(Owners=['amazon'])['Images'][0]['ImageId']
emit(ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)['Instances'][0]['InstanceId'])
)");
    ASSERT_TRUE(seeded) << seeded.error().message;
    instance_id_ = *seeded;
  }

  SendCommandRequest Capture() const {
    SendCommandRequest request;
    request.instance_ids = {instance_id_};
    request.commands = {"avml /var/tmp/memory.lime", "sha256sum /var/tmp/memory.lime"};
    request.comment = "cordon case c-42";
    request.delivery_timeout_seconds = 600;
    return request;
  }

  std::string instance_id_;
};

TEST_F(SsmClientMotoTest, SentCommandIsWhatBoto3Lists) {
  auto sent = SsmClient(*api_).SendCommand(Capture());

  ASSERT_TRUE(sent) << sent.error().Describe();
  EXPECT_EQ(sent->command_id.size(), 36u);
  auto seen = Boto("c = client('ssm').list_commands(CommandId='" + sent->command_id +
                   "')['Commands'][0]\n"
                   "emit({k: c[k] for k in ['DocumentName', 'Comment', 'Parameters',"
                   " 'InstanceIds', 'TimeoutSeconds']})");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ((*seen)["DocumentName"], "AWS-RunShellScript");
  EXPECT_EQ((*seen)["Comment"], "cordon case c-42");
  EXPECT_EQ((*seen)["Parameters"]["commands"],
            nlohmann::json::parse(R"(["avml /var/tmp/memory.lime",
                                      "sha256sum /var/tmp/memory.lime"])"));
  EXPECT_EQ((*seen)["InstanceIds"], nlohmann::json::array({instance_id_}));
  EXPECT_EQ((*seen)["TimeoutSeconds"], 600);
}

TEST_F(SsmClientMotoTest, InvocationIsPolledToAFinishedStatus) {
  const SsmClient ssm(*api_);
  auto sent = ssm.SendCommand(Capture());
  ASSERT_TRUE(sent) << sent.error().Describe();

  auto invocation = ssm.GetCommandInvocation(sent->command_id, instance_id_);

  ASSERT_TRUE(invocation) << invocation.error().Describe();
  EXPECT_EQ(invocation->command_id, sent->command_id);
  EXPECT_EQ(invocation->instance_id, instance_id_);
  EXPECT_EQ(invocation->document_name, "AWS-RunShellScript");
  EXPECT_TRUE(invocation->Finished()) << invocation->status;
  EXPECT_EQ(invocation->response_code, std::optional<int>(0));
}

TEST_F(SsmClientMotoTest, UnknownCommandIsAProviderErrorWithItsCode) {
  auto invocation =
      SsmClient(*api_).GetCommandInvocation("00000000-0000-0000-0000-000000000000", instance_id_);

  ASSERT_FALSE(invocation);
  EXPECT_EQ(invocation.error().provider_code, "InvalidCommandId");
  EXPECT_EQ(invocation.error().http_status, 400);
  EXPECT_FALSE(invocation.error().request_id.empty());
}

TEST_F(SsmClientMotoTest, SignedJsonCallsAreAcceptedWithTheRightSecretOnly) {
  auto credentials = CheckSignatures();
  ASSERT_TRUE(credentials) << credentials.error().Describe();
  Credentials wrong = *credentials;
  wrong.secret_access_key += "x";
  auto api = Client(*credentials);
  auto wrong_api = Client(wrong);

  auto sent = SsmClient(*api).SendCommand(Capture());
  auto rejected = SsmClient(*wrong_api).SendCommand(Capture());

  ASSERT_TRUE(sent) << sent.error().Describe();
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().kind, ErrorKind::kAuth) << rejected.error().Describe();
}

}  // namespace
}  // namespace cordon::aws
