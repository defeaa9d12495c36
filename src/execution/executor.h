// The executor: runs a plan's steps on a pool of threads. Steps of different targets run
// concurrently; a step starts only after every step it depends on has succeeded.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "planning/plan.h"

namespace cordon::execution {

enum class Outcome {
  kOk,           // done now
  kAlreadyDone,  // done by an earlier run of the same case; not repeated
  kPlanned,      // dry run: what would be done was recorded, nothing changed
  kFailed,       // the provider or cordon failed the step
  kUnknown,      // a read failed or was cut short: the resource's state is unknown
  kRefused,      // a safety guard refused the step
  kSkipped,      // not run because a step it depends on did not succeed
};

const char* OutcomeName(Outcome outcome);

// True when dependents may run after a step ended this way.
bool AllowsDependents(Outcome outcome);

struct StepResult {
  Outcome outcome = Outcome::kOk;
  std::string message;  // one line for people; never holds secrets
  nlohmann::json detail = nlohmann::json::object();
};

// Runs one step; called concurrently from worker threads, so it must be thread-safe.
using StepHandler = std::function<StepResult(const planning::Step&)>;

struct ExecutorOptions {
  int concurrency = 16;  // worker threads; at least 1
};

// Runs every step of `plan` (already topologically ordered) and returns each step's result by
// id. A step whose dependency did not allow dependents is not handed to `handler`; it gets
// kSkipped with the reason. `on_done`, when set, is called (serialized) after each step.
std::map<std::string, StepResult> RunPlan(
    const planning::Plan& plan, const StepHandler& handler, const ExecutorOptions& options,
    const std::function<void(const planning::Step&, const StepResult&)>& on_done = {});

}  // namespace cordon::execution
