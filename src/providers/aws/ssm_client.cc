#include "providers/aws/ssm_client.h"

#include <limits>
#include <utility>

#include "providers/aws/json_reader.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kService = "ssm";
constexpr int kPageSize = 50;  // the most ListCommandInvocations returns per page
constexpr size_t kMaxInstances = 50;
constexpr size_t kMaxComment = 100;
constexpr int kMinDeliveryTimeout = 30;
constexpr int kMaxDeliveryTimeout = 2592000;

Status CheckSendCommand(const SendCommandRequest& request) {
  auto invalid = [](const std::string& why) {
    return Fail(ErrorKind::kInvalidInput, "SSM SendCommand: " + why + "; nothing was sent");
  };
  if (request.instance_ids.empty() || request.instance_ids.size() > kMaxInstances) {
    return invalid("between 1 and 50 instance ids are needed");
  }
  for (const std::string& id : request.instance_ids) {
    if (id.empty()) {
      return invalid("an instance id is empty");
    }
  }
  if (request.document_name.empty()) {
    return invalid("no document name");
  }
  if (request.commands.empty()) {
    return invalid("no command to run");
  }
  if (request.comment.size() > kMaxComment) {
    return invalid("the comment is longer than 100 characters");
  }
  if (request.delivery_timeout_seconds &&
      (*request.delivery_timeout_seconds < kMinDeliveryTimeout ||
       *request.delivery_timeout_seconds > kMaxDeliveryTimeout)) {
    return invalid("the delivery timeout must be 30 to 2592000 seconds");
  }
  if (request.execution_timeout_seconds && *request.execution_timeout_seconds < 1) {
    return invalid("the execution timeout must be at least one second");
  }
  return {};
}

nlohmann::json SendCommandBody(const SendCommandRequest& request) {
  nlohmann::json parameters = nlohmann::json::object();
  parameters["commands"] = request.commands;
  if (request.execution_timeout_seconds) {
    // Document parameters are lists of strings, numbers included.
    parameters["executionTimeout"] =
        nlohmann::json::array({std::to_string(*request.execution_timeout_seconds)});
  }
  nlohmann::json body = nlohmann::json::object();
  body["InstanceIds"] = request.instance_ids;
  body["DocumentName"] = request.document_name;
  body["Parameters"] = std::move(parameters);
  if (!request.comment.empty()) {
    body["Comment"] = request.comment;
  }
  if (request.delivery_timeout_seconds) {
    body["TimeoutSeconds"] = *request.delivery_timeout_seconds;
  }
  if (!request.output_s3_bucket.empty()) {
    body["OutputS3BucketName"] = request.output_s3_bucket;
  }
  if (!request.output_s3_key_prefix.empty()) {
    body["OutputS3KeyPrefix"] = request.output_s3_key_prefix;
  }
  return body;
}

std::optional<int> ResponseCode(JsonReader& in, const nlohmann::json& object) {
  const std::optional<std::int64_t> code = in.Int(object, "ResponseCode");
  if (!code) {
    return std::nullopt;
  }
  if (*code < std::numeric_limits<int>::min() || *code > std::numeric_limits<int>::max()) {
    in.Problem("ResponseCode is out of range");
    return std::nullopt;
  }
  return static_cast<int>(*code);
}

CommandInvocation ParseListed(JsonReader& in, const nlohmann::json& item) {
  CommandInvocation invocation;
  invocation.command_id = in.Required(item, "CommandId", "invocation");
  invocation.instance_id = in.Required(item, "InstanceId", "invocation");
  invocation.document_name = in.String(item, "DocumentName");
  invocation.comment = in.String(item, "Comment");
  invocation.status = in.Required(item, "Status", "invocation");
  invocation.status_details = in.String(item, "StatusDetails");
  invocation.standard_output_url = in.String(item, "StandardOutputUrl");
  invocation.standard_error_url = in.String(item, "StandardErrorUrl");
  const nlohmann::json& plugins = in.Array(item, "CommandPlugins");
  if (!plugins.empty()) {
    invocation.response_code = ResponseCode(in, plugins.front());
    invocation.standard_output = in.String(plugins.front(), "Output");
  }
  return invocation;
}

}  // namespace

bool CommandInvocation::Finished() const {
  return status == "Success" || status == "Cancelled" || status == "TimedOut" || status == "Failed";
}

Result<SentCommand> SsmClient::SendCommand(const SendCommandRequest& request) const {
  if (auto valid = CheckSendCommand(request); !valid) {
    return Fail(valid.error());
  }
  auto response = api_->Json(kService, "SendCommand", SendCommandBody(request));
  if (!response) {
    return Fail(response.error());
  }
  JsonReader in("ssm:SendCommand", response->request_id);
  const nlohmann::json& command = in.Object(response->body, "Command");
  SentCommand sent{in.Required(command, "CommandId", "command"), in.String(command, "Status"),
                   response->request_id};
  return in.Finish(std::move(sent));
}

Result<CommandInvocation> SsmClient::GetCommandInvocation(const std::string& command_id,
                                                          const std::string& instance_id) const {
  if (command_id.empty() || instance_id.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "SSM GetCommandInvocation needs a command id and an instance id");
  }
  const nlohmann::json body = {{"CommandId", command_id}, {"InstanceId", instance_id}};
  auto response = api_->Json(kService, "GetCommandInvocation", body);
  if (!response) {
    return Fail(response.error());
  }
  JsonReader in("ssm:GetCommandInvocation", response->request_id);
  const nlohmann::json& result = response->body;
  CommandInvocation invocation;
  invocation.command_id = in.Required(result, "CommandId", "invocation");
  invocation.instance_id = in.Required(result, "InstanceId", "invocation");
  invocation.document_name = in.String(result, "DocumentName");
  invocation.comment = in.String(result, "Comment");
  invocation.status = in.Required(result, "Status", "invocation");
  invocation.status_details = in.String(result, "StatusDetails");
  invocation.response_code = ResponseCode(in, result);
  invocation.standard_output = in.String(result, "StandardOutputContent");
  invocation.standard_error = in.String(result, "StandardErrorContent");
  invocation.standard_output_url = in.String(result, "StandardOutputUrl");
  invocation.standard_error_url = in.String(result, "StandardErrorUrl");
  return in.Finish(std::move(invocation));
}

Result<std::vector<CommandInvocation>> SsmClient::ListCommandInvocations(
    const std::string& command_id) const {
  if (command_id.empty()) {
    return Fail(ErrorKind::kInvalidInput, "SSM ListCommandInvocations needs a command id");
  }
  auto fetch_page = [&](const std::string& token) -> Result<JsonPage<CommandInvocation>> {
    nlohmann::json body = {{"CommandId", command_id}, {"Details", true}, {"MaxResults", kPageSize}};
    if (!token.empty()) {
      body["NextToken"] = token;
    }
    auto response = api_->Json(kService, "ListCommandInvocations", body);
    if (!response) {
      return Fail(response.error());
    }
    JsonReader in("ssm:ListCommandInvocations", response->request_id);
    JsonPage<CommandInvocation> page;
    for (const nlohmann::json& item : in.Array(response->body, "CommandInvocations")) {
      page.items.push_back(ParseListed(in, item));
    }
    page.next_token = in.String(response->body, "NextToken");
    page.request_id = response->request_id;
    return in.Finish(std::move(page));
  };
  return CollectPages<CommandInvocation>("ListCommandInvocations", fetch_page);
}

}  // namespace cordon::aws
