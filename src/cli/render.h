// Output for people (aligned text, optional colour) and machines (JSON with stable names).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "execution/executor.h"
#include "planning/plan.h"

namespace cordon::cli {

struct Style {
  bool color = false;
};

std::string RenderPlanText(const planning::Plan& plan, const Style& style);

// Counts of step outcomes, in the order of execution::Outcome.
struct Tally {
  std::map<std::string, int> by_outcome;  // outcome name -> steps
  int total = 0;
};

Tally Count(const std::map<std::string, execution::StepResult>& results);

std::string RenderResultsText(const planning::Plan& plan,
                              const std::map<std::string, execution::StepResult>& results,
                              const Style& style, bool dry_run);

nlohmann::json ResultsToJson(const planning::Plan& plan,
                             const std::map<std::string, execution::StepResult>& results);

// The exit code for a finished run (PRODUCT.md §3): 1 if any step failed, else 3 if any step
// ended unknown, refused or skipped, else 0.
int ExitCodeForResults(const std::map<std::string, execution::StepResult>& results);

}  // namespace cordon::cli
