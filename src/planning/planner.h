// The planner: turns targets (from references or findings) into a Plan of ordered steps,
// following the playbook of each target kind (PRODUCT.md §7). Pure: it reads no cloud state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "planning/plan.h"

namespace cordon::planning {

// One thing the responder asked to contain, with where the request came from.
struct PlanInput {
  Target target;
  std::string source;                   // e.g. "--target aws:iam-user:alice"
  std::vector<std::string> techniques;  // ATT&CK ids the source suggests
  std::vector<std::string> notes;
};

struct PlanRequest {
  std::string case_id;
  std::string created_at;  // RFC 3339 UTC
  PlanOptions options;
  std::vector<PlanInput> inputs;
  std::vector<std::string> notes;  // carried into the plan, e.g. skipped findings
};

// Builds the plan. Targets named twice are planned once (sources merged). Steps come out in
// dependency order with evidence steps of a target before its isolation steps unless
// options.contain_first. Deterministic for the same request.
Plan BuildPlan(const PlanRequest& request);

// The name of the inline policy / tag value cordon uses for a case, e.g. "cordon-deny-all-C1".
std::string DenyPolicyName(const std::string& case_id);
std::string RevokeSessionsPolicyName(const std::string& case_id);

// The security group put on every interface of an instance just before the quarantine group:
// all traffic in and out, so that established connections become untracked (one per VPC).
inline constexpr const char* kUntrackGroupName = "cordon-untrack";

// Why `command` may not be used as the memory capture command (empty, or it reads /dev/mem or
// /dev/kmem), or nullopt when it may.
std::optional<std::string> MemoryCaptureCommandProblem(const std::string& command);

}  // namespace cordon::planning
