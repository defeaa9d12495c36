// Typed SSM Run Command calls over the JSON 1.1 protocol: sending a shell command to instances
// (cordon's optional memory capture) and polling its invocations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"

namespace cordon::aws {

// What to run. Thread-compatible value.
struct SendCommandRequest {
  std::vector<std::string> instance_ids;  // 1 to 50
  std::string document_name = "AWS-RunShellScript";
  std::vector<std::string> commands;  // the document's "commands" parameter; at least one
  std::string comment;                // at most 100 characters; e.g. the case id
  // TimeoutSeconds: how long SSM waits for the instance to start the command (30 to 2592000).
  std::optional<int> delivery_timeout_seconds;
  // The document's "executionTimeout" parameter: how long the command may run once started
  // (AWS-RunShellScript defaults to 3600, too short for a large memory image).
  std::optional<int> execution_timeout_seconds;
  // Where SSM writes the full output (the API returns only the first 24000 characters).
  std::string output_s3_bucket;
  std::string output_s3_key_prefix;
};

// A command SSM accepted.
struct SentCommand {
  std::string command_id;
  std::string status;  // "Pending" at first
  std::string request_id;
};

// One instance's run of a command. `status` is "Pending", "InProgress", "Delayed", "Success",
// "Cancelled", "TimedOut", "Failed" or "Cancelling".
struct CommandInvocation {
  std::string command_id;
  std::string instance_id;
  std::string document_name;
  std::string comment;
  std::string status;
  std::string status_details;
  std::optional<int> response_code;  // the command's exit code, once it ran
  // The first 24000 characters of the output (from ListCommandInvocations: the first plugin's
  // Output, at most 2500 characters).
  std::string standard_output;
  std::string standard_error;  // the first 8000 characters; GetCommandInvocation only
  std::string standard_output_url;
  std::string standard_error_url;

  // True once the status can no longer change (Success, Cancelled, TimedOut, Failed).
  bool Finished() const;
};

// A cheap, copyable handle on the SSM API of one region; it holds only a reference to `api`,
// which must outlive it. Thread-safe (no mutable state; `api` is thread-safe).
//
// Arguments SSM would reject (no instance, more than 50, no command, a comment over 100
// characters, a timeout out of range, an empty id) are kInvalidInput before anything is sent.
// Provider errors come back as the AwsApi mapped them; an invocation that is not registered yet
// fails with provider code "InvocationDoesNotExist" (SSM registers invocations a moment after
// SendCommand, so a poller should treat it as pending for a bounded time).
class SsmClient {
 public:
  explicit SsmClient(AwsApi& api) : api_(&api) {}

  // SendCommand: runs `request.commands` on the instances through the document. Starts work on
  // the instances; it cannot be undone, only cancelled.
  Result<SentCommand> SendCommand(const SendCommandRequest& request) const;

  // GetCommandInvocation of the command on one instance (the document's first plugin).
  Result<CommandInvocation> GetCommandInvocation(const std::string& command_id,
                                                 const std::string& instance_id) const;

  // ListCommandInvocations of the command on every instance (with Details, so the exit code and
  // output of the first plugin are read), following NextToken to the last page; a page that
  // fails fails the whole list.
  Result<std::vector<CommandInvocation>> ListCommandInvocations(
      const std::string& command_id) const;

 private:
  AwsApi* api_;
};

}  // namespace cordon::aws
