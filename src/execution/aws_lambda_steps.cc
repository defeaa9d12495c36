// The Lambda function steps of the AWS playbook: capture, reserved concurrency 0, event-source
// mappings disabled (never deleted), and the execution role's older sessions revoked.
#include <algorithm>
#include <thread>

#include "execution/aws_json.h"
#include "execution/aws_runner.h"
#include "planning/planner.h"

namespace cordon::execution {

using nlohmann::json;

namespace {

// Where asynchronous events go once they can no longer run, as one sentence.
std::string AsyncDestination(const aws::LambdaFunctionConfiguration& config,
                             const std::optional<aws::EventInvokeConfig>& invoke) {
  std::vector<std::string> places;
  if (invoke && !invoke->on_failure_destination.empty()) {
    places.push_back("the on-failure destination " + invoke->on_failure_destination);
  }
  if (!config.dead_letter_target_arn.empty()) {
    places.push_back("the dead-letter queue " + config.dead_letter_target_arn);
  }
  const std::string age = invoke && invoke->maximum_event_age_in_seconds
                              ? std::to_string(*invoke->maximum_event_age_in_seconds) + " s"
                              : "6 hours (the default)";
  std::string sentence = "asynchronous events are throttled and retried for up to " + age + ", ";
  if (places.empty()) {
    return sentence +
           "then lost: the function has no dead-letter queue and no on-failure "
           "destination";
  }
  sentence += "then go to " + places.front();
  for (size_t i = 1; i < places.size(); ++i) {
    sentence += " and " + places[i];
  }
  return sentence;
}

bool CountsAsEnabled(const std::string& state) {
  return state == "Enabled" || state == "Enabling" || state == "Creating" || state == "Updating";
}

// Polls until every mapping in `pending` reports Disabled, sleeping with backoff within the
// budget of `wait`. kOk with detail waited_ms; kFailed when the budget runs out; kUnknown when a
// read fails.
StepResult WaitUntilDisabled(const aws::LambdaClient& lambda, std::vector<std::string> pending,
                             const WaitPolicy& wait) {
  std::chrono::milliseconds waited{0};
  std::chrono::milliseconds delay = wait.first_delay;
  std::string last_state;
  while (true) {
    for (auto it = pending.begin(); it != pending.end();) {
      auto mapping = lambda.GetEventSourceMapping(*it);
      if (!mapping) {
        return {Outcome::kUnknown,
                "could not read mapping " + *it + ": " + mapping.error().Describe(),
                {}};
      }
      if (mapping->state == "Disabled") {
        it = pending.erase(it);
      } else {
        last_state = mapping->state;
        ++it;
      }
    }
    if (pending.empty()) {
      return {Outcome::kOk, "", {{"waited_ms", waited.count()}}};
    }
    if (waited >= wait.budget) {
      return {Outcome::kFailed,
              "mapping " + pending.front() + " still reports " + last_state + " after " +
                  std::to_string(waited.count() / 1000) +
                  " s; disabling was requested and may still complete",
              {{"pending", pending}}};
    }

    const auto pause = std::min(delay, wait.budget - waited);
    if (wait.sleep) {
      wait.sleep(pause);
    } else {
      std::this_thread::sleep_for(pause);
    }
    waited += pause;
    delay = std::min(delay * 2, wait.max_delay);
  }
}

}  // namespace

aws::LambdaClient AwsStepRunner::LambdaFor(const planning::Step& step) {
  const planning::Target* target = FindTarget(step.target);
  return aws::LambdaClient(apis_(target == nullptr ? "" : target->region));
}

StepResult AwsStepRunner::CaptureFunction(const planning::Step& step, StepRecorder& recorder) {
  (void)recorder;
  const planning::Target* target = FindTarget(step.target);
  if (target == nullptr) {
    return {Outcome::kFailed, "target " + step.target + " is not in the plan", {}};
  }
  const std::string& name = target->id;
  const aws::LambdaClient lambda = LambdaFor(step);

  auto config = lambda.GetFunctionConfiguration(name);
  if (!config) {
    const bool absent = config.error().kind == ErrorKind::kNotFound;
    return {absent ? Outcome::kFailed : Outcome::kUnknown,
            "could not read function " + name + ": " + config.error().Describe(),
            {}};
  }
  auto concurrency = lambda.GetFunctionConcurrency(name);
  auto mappings = lambda.ListEventSourceMappings(name);
  auto policy = lambda.GetPolicy(name);
  auto invoke = lambda.GetFunctionEventInvokeConfig(name);
  for (const Error* error :
       {concurrency ? nullptr : &concurrency.error(), mappings ? nullptr : &mappings.error(),
        policy ? nullptr : &policy.error(), invoke ? nullptr : &invoke.error()}) {
    if (error != nullptr) {
      return {Outcome::kUnknown,
              "capture of function " + name + " incomplete: " + error->Describe(),
              {}};
    }
  }

  // Environment values often hold credentials: keep the names, never the values (STYLE.md).
  json configuration = config->raw;
  if (configuration.contains("Environment") && configuration["Environment"].is_object()) {
    json& variables = configuration["Environment"]["Variables"];
    if (variables.is_object()) {
      for (auto& [key, value] : variables.items()) {
        (void)key;
        value = "[redacted]";
      }
    }
  }
  json evidence = {
      {"configuration", configuration},
      {"reserved_concurrent_executions", *concurrency ? json(**concurrency) : json(nullptr)},
      {"event_source_mappings", json::array()},
      {"resource_policy", *policy ? PolicyJson((*policy)->policy) : json(nullptr)},
      {"event_invoke_config", *invoke ? (*invoke)->raw : json(nullptr)}};
  for (const auto& mapping : *mappings) {
    evidence["event_source_mappings"].push_back(mapping.raw);
  }

  CapturedTarget captured;
  captured.function = *config;
  captured.reserved_concurrency = *concurrency;
  captured.mappings = *mappings;
  captured.async_destination = AsyncDestination(*config, *invoke);
  for (const auto& entry : guards_.protected_principals) {
    if (entry == name || entry == config->function_arn) {
      captured.refused = true;
      captured.refusal = "refused: function " + name + " is protected in the configuration";
    }
  }
  SetCaptured(step.target, captured);
  if (auto stored = StoreEvidence(step, "lambda-function-" + name + ".json", evidence); !stored) {
    return {Outcome::kFailed, "could not store evidence: " + stored.error().Describe(), {}};
  }
  if (captured.refused) {
    return {Outcome::kRefused, captured.refusal, {}};
  }
  return {Outcome::kOk,
          "captured function " + name + " (reserved concurrency " +
              (*concurrency ? std::to_string(**concurrency) : std::string("none")) + ", " +
              std::to_string(mappings->size()) + " event-source mapping(s), resource policy " +
              (*policy ? "yes" : "none") + ")",
          {{"function_arn", config->function_arn}, {"role", config->role}}};
}

StepResult AwsStepRunner::StopInvocations(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string& name = captured.function->function_name;
  if (captured.reserved_concurrency == 0) {
    return {Outcome::kOk,
            "reserved concurrency of " + name + " was already 0; " + captured.async_destination,
            {}};
  }
  const aws::LambdaClient lambda = LambdaFor(step);
  const json prior = {{"reserved_concurrent_executions", captured.reserved_concurrency
                                                             ? json(*captured.reserved_concurrency)
                                                             : json(nullptr)}};
  auto done = recorder.Mutate("lambda:PutFunctionConcurrency",
                              {{"FunctionName", name}, {"ReservedConcurrentExecutions", 0}}, prior,
                              [&] { return lambda.PutFunctionConcurrency(name, 0); });
  if (!done) {
    return {Outcome::kFailed, "PutFunctionConcurrency: " + done.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "reserved concurrency of " + name + " set to 0 (was " +
              (captured.reserved_concurrency ? std::to_string(*captured.reserved_concurrency)
                                             : std::string("none")) +
              "); " + captured.async_destination,
          {{"request_id", done->request_id}, {"async_events", captured.async_destination}}};
}

StepResult AwsStepRunner::DisableEventSourceMappings(const planning::Step& step,
                                                     StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const aws::LambdaClient lambda = LambdaFor(step);
  std::vector<std::string> pending;
  int already = 0;
  for (const auto& mapping : captured.mappings) {
    if (mapping.state == "Disabled") {
      ++already;
      continue;
    }
    if (mapping.state == "Disabling") {
      pending.push_back(mapping.uuid);
      continue;
    }
    if (!CountsAsEnabled(mapping.state)) {
      continue;  // "Deleting": going away on its own
    }
    auto done = recorder.Mutate(
        "lambda:UpdateEventSourceMapping", {{"UUID", mapping.uuid}, {"Enabled", false}},
        {{"uuid", mapping.uuid}, {"state", mapping.state}, {"enabled", true}},
        [&]() -> Result<aws::MutationResult> {
          // The mapping's answer carries no request id of its own.
          auto updated = lambda.UpdateEventSourceMapping(mapping.uuid, false);
          if (!updated) {
            return Fail(updated.error());
          }
          return aws::MutationResult{};
        });
    if (!done) {
      return {Outcome::kFailed,
              "UpdateEventSourceMapping " + mapping.uuid + ": " + done.error().Describe(),
              {}};
    }
    pending.push_back(mapping.uuid);
  }
  const size_t requested = pending.size();
  if (context_.dry_run) {
    return {Outcome::kOk, std::to_string(requested) + " mapping(s) to disable", {}};
  }

  StepResult waited = WaitUntilDisabled(lambda, pending, wait_);
  if (waited.outcome != Outcome::kOk) {
    return waited;
  }
  return {Outcome::kOk,
          std::to_string(requested) + " event-source mapping(s) disabled" +
              (already ? ", " + std::to_string(already) + " already disabled" : "") +
              " (not deleted: queued records wait in their source)",
          {{"disabled", requested}, {"waited_ms", waited.detail["waited_ms"]}}};
}

StepResult AwsStepRunner::RevokeExecutionRoleSessions(const planning::Step& step,
                                                      StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string& role_arn = captured.function->role;
  if (role_arn.empty()) {
    return {Outcome::kOk, "the function has no execution role", {}};
  }
  // A role's ARN may carry a path (role/service-role/NAME); the name is the last segment.
  const std::string role_name = role_arn.substr(role_arn.rfind('/') + 1);
  if (auto refusal = GuardPrincipal(role_arn, role_name); !refusal.empty()) {
    return {Outcome::kRefused, refusal, {}};
  }
  return DenyOlderSessions(
      role_name,
      step.params.value("policy_name", planning::RevokeSessionsPolicyName(context_.case_id)),
      recorder);
}

}  // namespace cordon::execution
