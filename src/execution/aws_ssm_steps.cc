// The optional memory capture of the EC2 playbook: a responder's command run on the instance
// through SSM Run Command before isolation, waited for within a bound.
#include <algorithm>
#include <chrono>
#include <thread>

#include "execution/aws_runner.h"
#include "planning/planner.h"
#include "providers/aws/ssm_client.h"

namespace cordon::execution {

using nlohmann::json;

namespace {

// How long SSM may wait for the instance's agent to pick the command up.
constexpr int kDeliveryTimeoutSeconds = 600;

json InvocationJson(const aws::CommandInvocation& invocation, const std::string& command) {
  json out = {{"command_id", invocation.command_id},
              {"instance_id", invocation.instance_id},
              {"document_name", invocation.document_name},
              {"command", command},
              {"status", invocation.status},
              {"status_details", invocation.status_details},
              {"standard_output", invocation.standard_output},
              {"standard_error", invocation.standard_error},
              {"standard_output_url", invocation.standard_output_url},
              {"standard_error_url", invocation.standard_error_url}};
  out["response_code"] = invocation.response_code ? json(*invocation.response_code) : json();
  return out;
}

}  // namespace

StepResult AwsStepRunner::CaptureMemory(const planning::Step& step, StepRecorder& recorder) {
  const std::string id = Captured(step.target).instance->instance_id;
  const std::string command = step.params.value("command", "");
  const int timeout = std::max(60, step.params.value("timeout_seconds", 1800));
  if (auto problem = planning::MemoryCaptureCommandProblem(command)) {
    return {Outcome::kRefused, "refused: " + *problem, {}};
  }
  const aws::SsmClient ssm(ApiFor(step));

  aws::SendCommandRequest request;
  request.instance_ids = {id};
  request.commands = {command};
  request.comment = ("cordon case " + context_.case_id + " memory capture").substr(0, 100);
  request.delivery_timeout_seconds = kDeliveryTimeoutSeconds;
  request.execution_timeout_seconds = timeout;
  auto sent = recorder.Mutate(
      "ssm:SendCommand",
      {{"InstanceIds", {id}},
       {"DocumentName", request.document_name},
       {"Parameters", {{"commands", {command}}, {"executionTimeout", {std::to_string(timeout)}}}},
       {"Comment", request.comment},
       {"TimeoutSeconds", kDeliveryTimeoutSeconds}},
      nullptr, [&] { return ssm.SendCommand(request); });
  if (!sent) {
    return {Outcome::kFailed, "SendCommand to " + id + ": " + sent.error().Describe(), {}};
  }
  if (context_.dry_run) {
    return {Outcome::kOk, "would run the memory capture command on " + id, {}};
  }

  // Poll until the invocation finishes or the bound passes. SSM registers the invocation a
  // moment after SendCommand, so "InvocationDoesNotExist" means not yet.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout + kDeliveryTimeoutSeconds);
  auto delay = std::chrono::seconds(1);
  aws::CommandInvocation invocation;
  invocation.status = "Pending";
  while (true) {
    auto read = ssm.GetCommandInvocation(sent->command_id, id);
    if (read) {
      invocation = *read;
      if (invocation.Finished()) {
        break;
      }
    } else if (read.error().provider_code != "InvocationDoesNotExist") {
      return {Outcome::kUnknown,
              "could not read memory capture command " + sent->command_id + ": " +
                  read.error().Describe(),
              {{"command_id", sent->command_id}}};
    }
    if (std::chrono::steady_clock::now() + delay > deadline) {
      return {Outcome::kUnknown,
              "memory capture command " + sent->command_id + " is still " + invocation.status +
                  " after the wait bound; isolation waits for it",
              {{"command_id", sent->command_id}, {"status", invocation.status}}};
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::seconds(10));
  }

  if (auto stored = StoreEvidence(step, "ssm-memory-capture-" + id + ".json",
                                  InvocationJson(invocation, command));
      !stored) {
    return {Outcome::kFailed, "could not store evidence: " + stored.error().Describe(), {}};
  }
  const json detail = {
      {"command_id", sent->command_id},
      {"status", invocation.status},
      {"response_code", invocation.response_code ? json(*invocation.response_code) : json()}};
  if (invocation.status != "Success") {
    return {Outcome::kFailed,
            "memory capture command " + sent->command_id + " ended " + invocation.status +
                "; isolation waits (re-run apply without --memory-capture-command to isolate "
                "without it)",
            detail};
  }
  return {Outcome::kOk, "memory capture command " + sent->command_id + " succeeded on " + id,
          detail};
}

}  // namespace cordon::execution
