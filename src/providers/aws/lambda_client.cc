#include "providers/aws/lambda_client.h"

#include <limits>
#include <utility>

#include "providers/aws/json_reader.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kService = "lambda";
constexpr char kJsonContentType[] = "application/json";
// The most ListEventSourceMappings returns per page.
constexpr char kPageSize[] = "100";

std::string Operation(std::string_view name) { return "lambda:" + std::string(name); }

Status CheckNonEmpty(const std::string& value, std::string_view what) {
  if (value.empty()) {
    return Fail(ErrorKind::kInvalidInput, "a Lambda " + std::string(what) + " must not be empty");
  }
  return {};
}

RestRequest Request(std::string method, std::string operation, std::string path) {
  RestRequest request;
  request.method = std::move(method);
  request.operation = std::move(operation);
  request.path = std::move(path);
  return request;
}

std::string FunctionPath(std::string_view version, const std::string& function,
                         std::string_view suffix) {
  return "/" + std::string(version) + "/functions/" + PathEncode(function, /*keep_slash=*/false) +
         std::string(suffix);
}

std::string MappingPath(const std::string& uuid) {
  return "/2015-03-31/event-source-mappings/" + PathEncode(uuid, /*keep_slash=*/false);
}

std::optional<int> ToInt(JsonReader& in, std::optional<std::int64_t> value, std::string_view key) {
  if (!value) {
    return std::nullopt;
  }
  if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
    in.Problem(std::string(key) + " is out of range");
    return std::nullopt;
  }
  return static_cast<int>(*value);
}

EventSourceMapping ParseMapping(JsonReader& in, const nlohmann::json& object) {
  EventSourceMapping mapping;
  mapping.uuid = in.Required(object, "UUID", "event-source mapping");
  mapping.event_source_arn = in.String(object, "EventSourceArn");
  mapping.function_arn = in.String(object, "FunctionArn");
  mapping.state = in.String(object, "State");
  mapping.state_transition_reason = in.String(object, "StateTransitionReason");
  mapping.batch_size = ToInt(in, in.Int(object, "BatchSize"), "BatchSize");
  mapping.raw = object;
  return mapping;
}

}  // namespace

Result<JsonResponse> LambdaClient::Call(const RestRequest& request) const {
  auto response = api_->Rest(kService, request);
  if (!response) {
    return Fail(response.error());
  }
  auto body = ParseJsonBody(*response, Operation(request.operation));
  if (!body) {
    return Fail(body.error());
  }
  return JsonResponse{std::move(*body), response->request_id};
}

Result<std::optional<JsonResponse>> LambdaClient::CallOptional(const RestRequest& request) const {
  auto response = Call(request);
  if (response) {
    return std::optional<JsonResponse>(std::move(*response));
  }
  if (response.error().provider_code == "ResourceNotFoundException") {
    return std::optional<JsonResponse>();
  }
  return Fail(response.error());
}

Result<LambdaFunctionConfiguration> LambdaClient::GetFunctionConfiguration(
    const std::string& function) const {
  if (auto valid = CheckNonEmpty(function, "function name"); !valid) {
    return Fail(valid.error());
  }
  auto response = Call(Request("GET", "GetFunctionConfiguration",
                               FunctionPath("2015-03-31", function, "/configuration")));
  if (!response) {
    return Fail(response.error());
  }
  JsonReader in(Operation("GetFunctionConfiguration"), response->request_id);
  const nlohmann::json& body = response->body;
  LambdaFunctionConfiguration config;
  config.function_name = in.Required(body, "FunctionName", "function");
  config.function_arn = in.Required(body, "FunctionArn", "function");
  config.role = in.String(body, "Role");
  config.runtime = in.String(body, "Runtime");
  config.handler = in.String(body, "Handler");
  config.state = in.String(body, "State");
  config.last_update_status = in.String(body, "LastUpdateStatus");
  config.last_modified = in.String(body, "LastModified");
  config.version = in.String(body, "Version");
  config.revision_id = in.String(body, "RevisionId");
  config.dead_letter_target_arn = in.String(in.Object(body, "DeadLetterConfig"), "TargetArn");
  config.raw = body;
  return in.Finish(std::move(config));
}

Result<std::optional<int>> LambdaClient::GetFunctionConcurrency(const std::string& function) const {
  if (auto valid = CheckNonEmpty(function, "function name"); !valid) {
    return Fail(valid.error());
  }
  auto response = Call(Request("GET", "GetFunctionConcurrency",
                               FunctionPath("2019-09-30", function, "/concurrency")));
  if (!response) {
    return Fail(response.error());
  }
  JsonReader in(Operation("GetFunctionConcurrency"), response->request_id);
  const std::optional<int> reserved = ToInt(
      in, in.Int(response->body, "ReservedConcurrentExecutions"), "ReservedConcurrentExecutions");
  return in.Finish(reserved);
}

Result<MutationResult> LambdaClient::PutFunctionConcurrency(const std::string& function,
                                                            int reserved) const {
  if (auto valid = CheckNonEmpty(function, "function name"); !valid) {
    return Fail(valid.error());
  }
  if (reserved < 0) {
    return Fail(ErrorKind::kInvalidInput, "reserved concurrency cannot be negative");
  }
  RestRequest request = Request("PUT", "PutFunctionConcurrency",
                                FunctionPath("2017-10-31", function, "/concurrency"));
  request.headers.emplace_back("Content-Type", kJsonContentType);
  request.body = nlohmann::json{{"ReservedConcurrentExecutions", reserved}}.dump();
  auto response = Call(request);
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<MutationResult> LambdaClient::DeleteFunctionConcurrency(const std::string& function) const {
  if (auto valid = CheckNonEmpty(function, "function name"); !valid) {
    return Fail(valid.error());
  }
  auto response = Call(Request("DELETE", "DeleteFunctionConcurrency",
                               FunctionPath("2017-10-31", function, "/concurrency")));
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<std::vector<EventSourceMapping>> LambdaClient::ListEventSourceMappings(
    const std::string& function) const {
  if (auto valid = CheckNonEmpty(function, "function name"); !valid) {
    return Fail(valid.error());
  }
  auto fetch_page = [&](const std::string& marker) -> Result<JsonPage<EventSourceMapping>> {
    RestRequest request =
        Request("GET", "ListEventSourceMappings", "/2015-03-31/event-source-mappings");
    request.query = {{"FunctionName", function}, {"MaxItems", kPageSize}};
    if (!marker.empty()) {
      request.query.emplace_back("Marker", marker);
    }
    auto response = Call(request);
    if (!response) {
      return Fail(response.error());
    }
    JsonReader in(Operation("ListEventSourceMappings"), response->request_id);
    JsonPage<EventSourceMapping> page;
    for (const nlohmann::json& item : in.Array(response->body, "EventSourceMappings")) {
      page.items.push_back(ParseMapping(in, item));
    }
    page.next_token = in.String(response->body, "NextMarker");
    page.request_id = response->request_id;
    return in.Finish(std::move(page));
  };
  return CollectPages<EventSourceMapping>("ListEventSourceMappings", fetch_page);
}

Result<EventSourceMapping> LambdaClient::GetEventSourceMapping(const std::string& uuid) const {
  if (auto valid = CheckNonEmpty(uuid, "event-source mapping UUID"); !valid) {
    return Fail(valid.error());
  }
  auto response = Call(Request("GET", "GetEventSourceMapping", MappingPath(uuid)));
  if (!response) {
    return Fail(response.error());
  }
  JsonReader in(Operation("GetEventSourceMapping"), response->request_id);
  EventSourceMapping mapping = ParseMapping(in, response->body);
  return in.Finish(std::move(mapping));
}

Result<EventSourceMapping> LambdaClient::UpdateEventSourceMapping(const std::string& uuid,
                                                                  bool enabled) const {
  if (auto valid = CheckNonEmpty(uuid, "event-source mapping UUID"); !valid) {
    return Fail(valid.error());
  }
  RestRequest request = Request("PUT", "UpdateEventSourceMapping", MappingPath(uuid));
  request.headers.emplace_back("Content-Type", kJsonContentType);
  request.body = nlohmann::json{{"Enabled", enabled}}.dump();
  auto response = Call(request);
  if (!response) {
    return Fail(response.error());
  }
  JsonReader in(Operation("UpdateEventSourceMapping"), response->request_id);
  EventSourceMapping mapping = ParseMapping(in, response->body);
  return in.Finish(std::move(mapping));
}

Result<std::optional<FunctionPolicy>> LambdaClient::GetPolicy(const std::string& function) const {
  if (auto valid = CheckNonEmpty(function, "function name"); !valid) {
    return Fail(valid.error());
  }
  auto response =
      CallOptional(Request("GET", "GetPolicy", FunctionPath("2015-03-31", function, "/policy")));
  if (!response) {
    return Fail(response.error());
  }
  if (!*response) {
    return std::optional<FunctionPolicy>();
  }
  JsonReader in(Operation("GetPolicy"), (*response)->request_id);
  FunctionPolicy policy{in.Required((*response)->body, "Policy", "response"),
                        in.String((*response)->body, "RevisionId")};
  return in.Finish(std::optional<FunctionPolicy>(std::move(policy)));
}

Result<std::optional<EventInvokeConfig>> LambdaClient::GetFunctionEventInvokeConfig(
    const std::string& function) const {
  if (auto valid = CheckNonEmpty(function, "function name"); !valid) {
    return Fail(valid.error());
  }
  auto response =
      CallOptional(Request("GET", "GetFunctionEventInvokeConfig",
                           FunctionPath("2019-09-25", function, "/event-invoke-config")));
  if (!response) {
    return Fail(response.error());
  }
  if (!*response) {
    return std::optional<EventInvokeConfig>();
  }
  JsonReader in(Operation("GetFunctionEventInvokeConfig"), (*response)->request_id);
  const nlohmann::json& body = (*response)->body;
  const nlohmann::json& destinations = in.Object(body, "DestinationConfig");
  EventInvokeConfig config;
  config.on_failure_destination = in.String(in.Object(destinations, "OnFailure"), "Destination");
  config.on_success_destination = in.String(in.Object(destinations, "OnSuccess"), "Destination");
  config.maximum_retry_attempts =
      ToInt(in, in.Int(body, "MaximumRetryAttempts"), "MaximumRetryAttempts");
  config.maximum_event_age_in_seconds =
      ToInt(in, in.Int(body, "MaximumEventAgeInSeconds"), "MaximumEventAgeInSeconds");
  config.raw = body;
  return in.Finish(std::optional<EventInvokeConfig>(std::move(config)));
}

}  // namespace cordon::aws
