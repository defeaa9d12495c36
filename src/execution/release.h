// Release: undoes the reversible changes a case made, newest first, from the prior state the
// journal saved with each change (PRODUCT.md §2.2, `cordon release`). Every undo is itself
// journaled (intent and result, step id "release/<seq of the undone intent>"), so a second
// release finds nothing left to do and changes nothing.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "execution/aws_runner.h"
#include "execution/step_recorder.h"
#include "journal/journal.h"
#include "planning/plan.h"

namespace cordon::execution {

// What release did, or would do, with one change the case made.
enum class ReleaseStatus {
  kUndone,        // restored now (or, in a dry run, would be)
  kAlready,       // an earlier release restored it
  kKept,          // kept on purpose: evidence, the shared quarantine group
  kIrreversible,  // cannot be undone (a deleted access key)
  kFailed,        // the undo call failed; the change stays in force
};

const char* ReleaseStatusName(ReleaseStatus status);

struct ReleaseItem {
  std::int64_t seq = 0;  // the intent record of the change
  std::string step_id;   // the step that made the change
  std::string target;
  std::string operation;  // the change's operation, e.g. "iam:UpdateAccessKey"
  ReleaseStatus status = ReleaseStatus::kUndone;
  std::string message;
  nlohmann::json calls = nlohmann::json::array();  // the undo calls made (or planned)
};

struct ReleaseOptions {
  std::set<std::string> steps;  // release only these step ids; empty for every step
  bool dry_run = false;         // plan the undo calls without making them
};

// The changes `records` hold that release would consider, newest first: intent records of API
// calls whose result was not a failure (a missing result may have happened and is included).
// Filtered to `options.steps` when it is not empty.
std::vector<journal::Record> ReleasableChanges(const std::vector<journal::Record>& records,
                                               const ReleaseOptions& options);

// The plan steps whose changes a release undid after their last successful result, in a
// journal read in seq order: a later apply runs them again, and status shows them released.
std::set<std::string> ReleasedSteps(const std::vector<journal::Record>& records);

// Undoes AWS changes through the clients `apis` gives. Thread-compatible: one release at a time.
class AwsReleaser {
 public:
  // `journal` may be null only for a dry run. `plan` gives each target's region.
  AwsReleaser(AwsApiSource apis, const planning::Plan& plan, RunContext context,
              journal::Journal* journal);

  // Releases every change in `records` (a whole journal, read before this call) that the
  // options select, newest first, and says what happened to each.
  std::vector<ReleaseItem> Release(const std::vector<journal::Record>& records,
                                   const ReleaseOptions& options);

 private:
  struct Undone {
    ReleaseStatus status = ReleaseStatus::kUndone;
    std::string message;
  };

  ReleaseItem Undo(const journal::Record& change);
  Undone UndoIam(const journal::Record& change, const nlohmann::json& request,
                 const nlohmann::json& prior, StepRecorder& recorder);
  Undone UndoEc2(const journal::Record& change, const nlohmann::json& request,
                 const nlohmann::json& prior, StepRecorder& recorder);
  // release_network.cc: Auto Scaling, ELBv2, SSM, and the EC2 network changes (Elastic IPs,
  // instance profile, the all-traffic group); nullopt when `change` is none of those.
  std::optional<Undone> UndoNetwork(const journal::Record& change, const nlohmann::json& request,
                                    const nlohmann::json& prior, StepRecorder& recorder);
  Undone UndoAutoScaling(const journal::Record& change, const nlohmann::json& prior,
                         StepRecorder& recorder);
  Undone UndoAddress(const journal::Record& change, const nlohmann::json& prior,
                     StepRecorder& recorder);
  Undone UndoInstanceProfile(const journal::Record& change, const nlohmann::json& prior,
                             StepRecorder& recorder);
  // In release_s3_lambda.cc.
  Undone UndoS3(const journal::Record& change, const nlohmann::json& request,
                const nlohmann::json& prior, StepRecorder& recorder);
  Undone UndoLambda(const journal::Record& change, const nlohmann::json& request,
                    const nlohmann::json& prior, StepRecorder& recorder);
  std::string RegionOf(const std::string& target_key) const;
  // The step of another change that put inline policy `name` on `owner` and stays in force
  // after this release, if any.
  std::optional<std::string> PolicyStillNeeded(const journal::Record& change,
                                               const std::string& owner,
                                               const std::string& name) const;

  AwsApiSource apis_;
  const planning::Plan& plan_;
  const RunContext context_;
  journal::Journal* journal_;
  std::vector<journal::Record> staying_;  // set by Release for the run in progress
};

}  // namespace cordon::execution
