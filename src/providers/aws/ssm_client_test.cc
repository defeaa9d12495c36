// SsmClient request forms over FakeAwsApi, and ListCommandInvocations (which moto does not serve)
// over recorded responses in the official shape (testdata/ssm_list_command_invocations_*.json).
#include "providers/aws/ssm_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

using ::testing::HasSubstr;

nlohmann::json Fixture(const std::string& name) {
  return nlohmann::json::parse(ReadTestdata(name));
}

SendCommandRequest MemoryCapture() {
  SendCommandRequest request;
  request.instance_ids = {"i-0a1b2c3d4e5f60718"};
  request.commands = {"avml /tmp/memory.lime", "sha256sum /tmp/memory.lime"};
  request.comment = "cordon case c-1";
  request.delivery_timeout_seconds = 600;
  request.execution_timeout_seconds = 7200;
  request.output_s3_bucket = "evidence";
  request.output_s3_key_prefix = "cases/c-1/ssm";
  return request;
}

TEST(SsmClientTest, SendCommandSendsTheDocumentParametersAndTimeouts) {
  FakeAwsApi api;
  api.QueueJson(
      nlohmann::json::parse(R"({"Command":{"CommandId":"8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01",)"
                            R"("Status":"Pending"}})"),
      "ssm-1");

  auto sent = SsmClient(api).SendCommand(MemoryCapture());

  ASSERT_TRUE(sent) << sent.error().Describe();
  EXPECT_EQ(sent->command_id, "8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01");
  EXPECT_EQ(sent->status, "Pending");
  EXPECT_EQ(sent->request_id, "ssm-1");
  const auto calls = api.JsonCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].service, "ssm");
  EXPECT_EQ(calls[0].operation, "SendCommand");
  EXPECT_EQ(calls[0].body, nlohmann::json::parse(R"({
    "InstanceIds": ["i-0a1b2c3d4e5f60718"],
    "DocumentName": "AWS-RunShellScript",
    "Parameters": {"commands": ["avml /tmp/memory.lime", "sha256sum /tmp/memory.lime"],
                   "executionTimeout": ["7200"]},
    "Comment": "cordon case c-1",
    "TimeoutSeconds": 600,
    "OutputS3BucketName": "evidence",
    "OutputS3KeyPrefix": "cases/c-1/ssm"})"));
}

TEST(SsmClientTest, SendCommandLeavesOutWhatWasNotAsked) {
  FakeAwsApi api;
  api.QueueJson(nlohmann::json::parse(R"({"Command":{"CommandId":"c"}})"));
  SendCommandRequest request;
  request.instance_ids = {"i-1"};
  request.commands = {"uname -a"};

  ASSERT_TRUE(SsmClient(api).SendCommand(request));

  EXPECT_EQ(api.JsonCalls().at(0).body,
            nlohmann::json::parse(R"({"InstanceIds":["i-1"],"DocumentName":"AWS-RunShellScript",
                                      "Parameters":{"commands":["uname -a"]}})"));
}

TEST(SsmClientTest, RequestsSsmWouldRejectAreRefusedBeforeSending) {
  FakeAwsApi api;
  const SsmClient ssm(api);
  SendCommandRequest no_instance = MemoryCapture();
  no_instance.instance_ids.clear();
  SendCommandRequest too_many = MemoryCapture();
  too_many.instance_ids.assign(51, "i-1");
  SendCommandRequest no_command = MemoryCapture();
  no_command.commands.clear();
  SendCommandRequest long_comment = MemoryCapture();
  long_comment.comment.assign(101, 'c');
  SendCommandRequest short_timeout = MemoryCapture();
  short_timeout.delivery_timeout_seconds = 29;

  for (const SendCommandRequest& bad :
       {no_instance, too_many, no_command, long_comment, short_timeout}) {
    auto sent = ssm.SendCommand(bad);
    ASSERT_FALSE(sent);
    EXPECT_EQ(sent.error().kind, ErrorKind::kInvalidInput);
    EXPECT_THAT(sent.error().message, HasSubstr("nothing was sent"));
  }
  EXPECT_TRUE(api.JsonCalls().empty());
}

TEST(SsmClientTest, ResponseWithoutCommandIdIsAProviderError) {
  FakeAwsApi api;
  api.QueueJson(nlohmann::json::parse(R"({"Command":{"Status":"Pending"}})"), "ssm-odd");

  auto sent = SsmClient(api).SendCommand(MemoryCapture());

  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(sent.error().request_id, "ssm-odd");
}

TEST(SsmClientTest, GetCommandInvocationReadsStatusExitCodeAndOutput) {
  FakeAwsApi api;
  api.QueueJson(nlohmann::json::parse(R"({
    "CommandId": "8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01", "InstanceId": "i-1",
    "DocumentName": "AWS-RunShellScript", "PluginName": "aws:runShellScript",
    "ResponseCode": -1, "Status": "InProgress", "StatusDetails": "InProgress",
    "StandardOutputContent": "", "StandardErrorContent": ""})"));
  api.QueueJson(nlohmann::json::parse(R"({
    "CommandId": "8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01", "InstanceId": "i-1",
    "ResponseCode": 0, "Status": "Success", "StandardOutputContent": "done\n",
    "StandardErrorContent": "warn\n"})"));
  const SsmClient ssm(api);

  auto running = ssm.GetCommandInvocation("8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01", "i-1");
  auto done = ssm.GetCommandInvocation("8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01", "i-1");

  ASSERT_TRUE(running) << running.error().Describe();
  EXPECT_EQ(running->status, "InProgress");
  EXPECT_FALSE(running->Finished());
  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_TRUE(done->Finished());
  EXPECT_EQ(done->response_code, std::optional<int>(0));
  EXPECT_EQ(done->standard_output, "done\n");
  EXPECT_EQ(done->standard_error, "warn\n");
  EXPECT_EQ(api.JsonCalls().at(0).body,
            nlohmann::json::parse(
                R"({"CommandId":"8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01","InstanceId":"i-1"})"));
}

TEST(SsmClientTest, ListCommandInvocationsFollowsNextTokenWithDetails) {
  FakeAwsApi api;
  api.QueueJson(Fixture("ssm_list_command_invocations_page1.json"));
  api.QueueJson(Fixture("ssm_list_command_invocations_page2.json"));

  auto invocations = SsmClient(api).ListCommandInvocations("8a2b4c6d-1e3f-4a5b-9c7d-0e2f4a6b8c01");

  ASSERT_TRUE(invocations) << invocations.error().Describe();
  ASSERT_EQ(invocations->size(), 2u);
  EXPECT_EQ((*invocations)[0].instance_id, "i-0a1b2c3d4e5f60718");
  EXPECT_EQ((*invocations)[0].status, "Success");
  EXPECT_EQ((*invocations)[0].response_code, std::optional<int>(0));
  EXPECT_EQ((*invocations)[0].standard_output, "memory image written: 4096 MiB\n");
  EXPECT_EQ((*invocations)[1].status, "Failed");
  EXPECT_EQ((*invocations)[1].response_code, std::optional<int>(2));
  EXPECT_TRUE((*invocations)[1].Finished());
  const auto calls = api.JsonCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].body["Details"], true);
  EXPECT_EQ(calls[0].body["MaxResults"], 50);
  EXPECT_EQ(calls[1].body["NextToken"], "AAEAAWqJ7s0dZ3XWl4b1pnUD8QzNqkEXAMPLE");
}

TEST(SsmClientTest, AFailedInvocationPageFailsTheList) {
  FakeAwsApi api;
  api.QueueJson(Fixture("ssm_list_command_invocations_page1.json"));
  api.QueueJsonError(Error{ErrorKind::kProvider, "bad token", "InvalidNextToken", "r", 400, false});

  auto invocations = SsmClient(api).ListCommandInvocations("c");

  ASSERT_FALSE(invocations);
  EXPECT_EQ(invocations.error().provider_code, "InvalidNextToken");
}

}  // namespace
}  // namespace cordon::aws
