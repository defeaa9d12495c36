// Typed Lambda calls over the REST-JSON protocol: the reads that capture a function and the
// changes that contain it (reserved concurrency, event-source mappings).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/aws_types.h"

namespace cordon::aws {

// A function's configuration as cordon reads it, spelled as Lambda spells it; every field the
// response leaves out is empty. `raw` is the whole response object, for the capture.
// Thread-compatible values.
struct LambdaFunctionConfiguration {
  std::string function_name;
  std::string function_arn;
  std::string role;  // the execution role's ARN
  std::string runtime;
  std::string handler;
  std::string state;  // "Active", "Pending", ...
  std::string last_update_status;
  std::string last_modified;
  std::string version;
  std::string revision_id;
  std::string dead_letter_target_arn;  // DeadLetterConfig.TargetArn
  nlohmann::json raw;
};

// An event-source mapping. `state` is "Creating", "Enabling", "Enabled", "Disabling",
// "Disabled", "Updating" or "Deleting"; `raw` is the whole object as returned.
struct EventSourceMapping {
  std::string uuid;
  std::string event_source_arn;
  std::string function_arn;
  std::string state;
  std::string state_transition_reason;
  std::optional<int> batch_size;
  nlohmann::json raw;
};

// A function's resource-based policy.
struct FunctionPolicy {
  std::string policy;  // JSON text, as Lambda returns it
  std::string revision_id;
};

// Where asynchronous invocations go after their retries (GetFunctionEventInvokeConfig).
struct EventInvokeConfig {
  std::string on_failure_destination;  // ARN, or empty
  std::string on_success_destination;  // ARN, or empty
  std::optional<int> maximum_retry_attempts;
  std::optional<int> maximum_event_age_in_seconds;
  nlohmann::json raw;
};

// A cheap, copyable handle on the Lambda API of one region; it holds only a reference to `api`,
// which must outlive it. Thread-safe (no mutable state; `api` is thread-safe).
//
// `function` is a name, an ARN or a partial ARN (sent percent-encoded in the path); an empty
// one, or an empty mapping UUID, is kInvalidInput before anything is sent. Provider errors come
// back as the AwsApi mapped them: ResourceNotFoundException is kNotFound, except where a comment
// says it means "none". A response missing a required member (a name, ARN or UUID) is kProvider.
// URIs follow the botocore model (2015-03-31 for functions and mappings, 2017-10-31 to put or
// delete concurrency, 2019-09-30 to read it, 2019-09-25 for the event-invoke config).
class LambdaClient {
 public:
  explicit LambdaClient(AwsApi& api) : api_(&api) {}

  // GetFunctionConfiguration of $LATEST.
  Result<LambdaFunctionConfiguration> GetFunctionConfiguration(const std::string& function) const;

  // GetFunctionConcurrency: the reserved concurrency, or nullopt when none is set (which is not
  // 0: 0 means the function cannot run at all).
  Result<std::optional<int>> GetFunctionConcurrency(const std::string& function) const;
  // PutFunctionConcurrency: reserves `reserved` (0 stops every invocation). Negative numbers are
  // kInvalidInput.
  Result<MutationResult> PutFunctionConcurrency(const std::string& function, int reserved) const;
  // DeleteFunctionConcurrency: removes the reservation (the function shares the account pool).
  Result<MutationResult> DeleteFunctionConcurrency(const std::string& function) const;

  // ListEventSourceMappings of the function, following NextMarker to the last page; a page that
  // fails fails the whole list.
  Result<std::vector<EventSourceMapping>> ListEventSourceMappings(
      const std::string& function) const;
  Result<EventSourceMapping> GetEventSourceMapping(const std::string& uuid) const;
  // UpdateEventSourceMapping: sets Enabled and nothing else; returns the mapping as Lambda
  // answered (usually still "Disabling" or "Enabling": poll GetEventSourceMapping).
  Result<EventSourceMapping> UpdateEventSourceMapping(const std::string& uuid, bool enabled) const;

  // GetPolicy: nullopt for ResourceNotFoundException, which Lambda also answers for a function
  // that does not exist (read the configuration first to tell the two apart).
  Result<std::optional<FunctionPolicy>> GetPolicy(const std::string& function) const;
  // GetFunctionEventInvokeConfig: nullopt when the function has none (ResourceNotFoundException,
  // with the same caveat as GetPolicy).
  Result<std::optional<EventInvokeConfig>> GetFunctionEventInvokeConfig(
      const std::string& function) const;

 private:
  // A REST-JSON call whose 2xx body is parsed as a JSON object.
  Result<JsonResponse> Call(const RestRequest& request) const;
  // Call, with ResourceNotFoundException as nullopt.
  Result<std::optional<JsonResponse>> CallOptional(const RestRequest& request) const;

  AwsApi* api_;
};

}  // namespace cordon::aws
