// The plan: plain data that says which steps run against which targets, in what order. Produced
// by the planner, shown to the responder, stored as plan.json, and executed step by step.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "planning/target.h"

namespace cordon::planning {

// Phases in the order every playbook follows (PRODUCT.md §7).
enum class Phase { kPreserve, kIsolate, kRevoke, kMark };

const char* PhaseName(Phase phase);

// One API-level action against one target. Thread-compatible.
struct Step {
  std::string id;      // "<target key>/<action>", stable across plans of the same input
  std::string target;  // Target::Key() of the target it acts on
  Phase phase = Phase::kPreserve;
  std::string action;   // e.g. "iam.deactivate_access_keys"; the executor dispatches on it
  std::string summary;  // one line for people
  nlohmann::json params = nlohmann::json::object();
  std::vector<std::string> depends_on;  // step ids that must finish (ok) first
  bool mutating = false;                // changes the cloud (reads and captures do not)
  bool reversible = false;
  std::vector<std::string> techniques;  // ATT&CK ids answered, e.g. "T1078.004"
};

// A target with the playbook chosen for it and where it came from.
struct PlannedTarget {
  Target target;
  std::string playbook;            // e.g. "aws-iam-user"
  std::string source;              // "--target REF" or "finding <id> (<type>)"
  std::vector<std::string> notes;  // e.g. what may remain active after containment
};

// Options that change what the plan does (each comes from a flag and is recorded in the plan).
struct PlanOptions {
  bool delete_keys = false;    // delete access keys instead of deactivating them
  bool contain_first = false;  // run isolation before evidence capture (active data theft)
  bool include_samples = false;
  // EC2: a shell command run on the instance through SSM (AWS-RunShellScript) before isolation
  // to capture its memory; empty for none. `memory_capture_timeout_seconds` bounds the wait.
  std::string memory_capture_command;
  int memory_capture_timeout_seconds = 1800;
  // Start of the CloudTrail activity window (RFC 3339 UTC); empty: no activity evidence step.
  std::string activity_since;
};

struct Plan {
  int version = 1;
  std::string case_id;
  std::string created_at;  // RFC 3339 UTC
  PlanOptions options;
  std::vector<PlannedTarget> targets;
  std::vector<Step> steps;         // topologically ordered
  std::vector<std::string> notes;  // e.g. skipped sample findings, unknown types

  const Step* FindStep(const std::string& id) const;
};

nlohmann::json PlanToJson(const Plan& plan);

// The case's plan after `later` was applied on top of `earlier`: every target and step of both,
// `later`'s version where both have the same one, earlier steps first. Keeps the case's record of
// what it contains whole when apply is run again with other targets.
Plan MergePlans(const Plan& earlier, const Plan& later);

// Reads a plan written by PlanToJson. Fails with kInvalidInput naming the bad field.
Result<Plan> PlanFromJson(const nlohmann::json& json);

}  // namespace cordon::planning
