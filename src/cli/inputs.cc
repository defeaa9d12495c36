#include "cli/inputs.h"

#include "cli/activity_window.h"
#include "core/fs.h"
#include "journal/case_dir.h"
#include "planning/findings.h"
#include "planning/planner.h"
#include "planning/target_ref.h"

namespace cordon::cli {
namespace {

std::string DefaultRegion(const PlanArgs& args, const EnvLookup& env) {
  if (!args.region.empty()) {
    return args.region;
  }
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto value = env(name); value && !value->empty()) {
      return *value;
    }
  }
  return "";
}

// A plan file is reviewed and then applied, so it must be exactly what cordon plans for its
// targets and options: an edited dependency could skip evidence-first, an edited action could
// run one kind's step on another kind's target, and a cycle would never finish.
Status CheckPlanIsCordons(const planning::Plan& plan) {
  planning::PlanRequest request;
  request.case_id = plan.case_id;
  request.created_at = plan.created_at;
  request.options = plan.options;
  for (const auto& planned : plan.targets) {
    if (auto problem = planning::TargetIdProblem(planned.target.kind, planned.target.id)) {
      return Fail(ErrorKind::kInvalidInput,
                  "target " + planned.target.Key() + " is malformed: " + *problem);
    }
    request.inputs.push_back({planned.target, planned.source, {}, {}});
  }
  const planning::Plan expected = planning::BuildPlan(request);
  auto shape = [](const planning::Step& step) {
    return nlohmann::json{{"id", step.id},
                          {"target", step.target},
                          {"phase", PhaseName(step.phase)},
                          {"action", step.action},
                          {"params", step.params},
                          {"depends_on", step.depends_on},
                          {"mutating", step.mutating},
                          {"reversible", step.reversible}};
  };
  for (size_t i = 0; i < std::max(plan.steps.size(), expected.steps.size()); ++i) {
    if (i >= plan.steps.size() || i >= expected.steps.size() ||
        shape(plan.steps[i]) != shape(expected.steps[i])) {
      const std::string id = i < plan.steps.size() ? plan.steps[i].id : expected.steps[i].id;
      return Fail(ErrorKind::kInvalidInput,
                  "step " + std::to_string(i) + " (" + id +
                      ") is not what cordon plans for these targets and options (was the file "
                      "edited?)");
    }
  }
  return {};
}

Result<planning::Plan> LoadPlanFile(const PlanArgs& args) {
  auto text = ReadFile(args.plan_file);
  if (!text) {
    return Fail(ErrorKind::kInvalidInput, "--plan " + args.plan_file + ": " + text.error().message);
  }
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (json.is_discarded()) {
    return Fail(ErrorKind::kInvalidInput, "--plan " + args.plan_file +
                                              " is not JSON; expected a file written by "
                                              "'cordon plan --out'");
  }
  auto plan = planning::PlanFromJson(json);
  if (!plan) {
    return Fail(ErrorKind::kInvalidInput, "--plan " + args.plan_file + ": " + plan.error().message);
  }
  if (!plan->case_id.empty() && plan->case_id != args.case_id) {
    return Fail(ErrorKind::kInvalidInput, "--plan " + args.plan_file + " was made for case " +
                                              plan->case_id + ", not --case " + args.case_id);
  }
  plan->case_id = args.case_id;
  const std::string& memory = plan->options.memory_capture_command;
  if (!memory.empty()) {
    if (auto problem = planning::MemoryCaptureCommandProblem(memory)) {
      return Fail(ErrorKind::kInvalidInput, "--plan " + args.plan_file + ": " + *problem);
    }
  }
  if (auto checked = CheckPlanIsCordons(*plan); !checked) {
    return Fail(ErrorKind::kInvalidInput, "--plan " + args.plan_file + ": " +
                                              checked.error().message +
                                              "; expected a file written by 'cordon plan --out'");
  }
  return plan;
}

Status AddFindings(const std::string& file, const planning::FindingOptions& options,
                   planning::PlanRequest& request) {
  auto text = ReadFile(file);
  if (!text) {
    return Fail(ErrorKind::kInvalidInput, "--finding " + file + ": " + text.error().message);
  }
  auto set = planning::ParseFindings(*text, options);
  if (!set) {
    return Fail(ErrorKind::kInvalidInput, "--finding " + file + ": " + set.error().message);
  }
  for (const auto& finding : set->findings) {
    const std::string source = "finding " + finding.id + " (" + finding.type + ")";
    for (const auto& note : finding.notes) {
      request.notes.push_back(source + ": " + note);
    }
    for (const auto& target : finding.targets) {
      request.inputs.push_back({target, source, finding.techniques, {}});
    }
  }
  return {};
}

}  // namespace

Result<std::filesystem::path> ResolveHome(const GlobalOptions& global, const EnvLookup& env) {
  if (!global.home.empty()) {
    return std::filesystem::path(global.home);
  }
  if (auto home = env("CORDON_HOME"); home && !home->empty()) {
    return std::filesystem::path(*home);
  }
  if (auto data = env("XDG_DATA_HOME"); data && !data->empty()) {
    return std::filesystem::path(*data) / "cordon";
  }
  if (auto home = env("HOME"); home && !home->empty()) {
    return std::filesystem::path(*home) / ".local/share/cordon";
  }
  return Fail(ErrorKind::kInvalidInput,
              "no cordon home: pass --home DIR or set CORDON_HOME (or HOME)");
}

Result<journal::CaseDir> ExistingCase(const GlobalOptions& global, const std::string& case_id) {
  auto home = ResolveHome(global, ProcessEnv());
  if (!home) {
    return tl::unexpected(home.error());
  }
  auto case_dir = journal::CaseDir::At(*home, case_id);
  if (!case_dir) {
    return tl::unexpected(case_dir.error());
  }
  std::error_code error;
  const bool exists = std::filesystem::exists(case_dir->journal_db(), error);
  if (error) {
    return Fail(ErrorKind::kInvalidInput, "cannot read case \"" + case_id + "\" under " +
                                              home->string() + ": " + error.message() +
                                              "; check --home and the folder's permissions");
  }
  if (!exists) {
    return Fail(ErrorKind::kInvalidInput, "no case \"" + case_id + "\" under " + home->string() +
                                              " (no journal.db); check --case and --home");
  }
  return case_dir;
}

Result<planning::Plan> CasePlan(const journal::CaseDir& case_dir) {
  auto text = ReadFile(case_dir.plan_json());
  if (!text) {
    return Fail(
        ErrorKind::kInvalidInput,
        "case " + case_dir.case_id() + " has no readable plan.json: " + text.error().message);
  }
  auto plan = planning::PlanFromJson(nlohmann::json::parse(*text, nullptr, false));
  if (!plan) {
    return Fail(
        ErrorKind::kInvalidInput,
        "case " + case_dir.case_id() + " has no readable plan.json: " + plan.error().message);
  }
  return plan;
}

Result<planning::Plan> PlanFromArgs(const PlanArgs& args, const EnvLookup& env,
                                    const Clock& clock) {
  if (auto valid = journal::ValidateCaseId(args.case_id); !valid) {
    return Fail(valid.error());
  }
  if (!args.plan_file.empty()) {
    if (!args.targets.empty() || !args.findings.empty()) {
      return Fail(ErrorKind::kInvalidInput, "--plan cannot be combined with --target or --finding");
    }
    return LoadPlanFile(args);
  }
  if (args.targets.empty() && args.findings.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "nothing to contain: give at least one --target REF or --finding FILE");
  }

  planning::PlanRequest request;
  request.case_id = args.case_id;
  request.created_at = FormatRfc3339Millis(clock.Now());
  request.options.delete_keys = args.delete_keys;
  request.options.contain_first = args.contain_first;
  request.options.include_samples = args.include_samples;
  request.options.memory_capture_command = args.memory_capture_command;
  request.options.memory_capture_timeout_seconds = args.memory_capture_timeout;
  if (!args.memory_capture_command.empty()) {
    if (auto problem = planning::MemoryCaptureCommandProblem(args.memory_capture_command)) {
      return Fail(ErrorKind::kInvalidInput, "--memory-capture-command: " + *problem);
    }
    if (args.contain_first) {
      return Fail(ErrorKind::kInvalidInput,
                  "--memory-capture-command cannot be combined with --contain-first: the capture "
                  "needs the instance's network (SSM), which isolation cuts");
    }
  }
  auto since = ActivitySince(args.since, env, clock.Now());
  if (!since) {
    return Fail(since.error());
  }
  request.options.activity_since = *since;

  const planning::RefDefaults defaults{DefaultRegion(args, env), args.account};
  for (const auto& ref : args.targets) {
    auto target = planning::ParseTargetRef(ref, defaults);
    if (!target) {
      return Fail(ErrorKind::kInvalidInput, "--target: " + target.error().message);
    }
    request.inputs.push_back({*target, "--target " + ref, {}, {}});
  }
  planning::FindingOptions finding_options;
  finding_options.include_samples = args.include_samples;
  for (const auto& file : args.findings) {
    if (auto added = AddFindings(file, finding_options, request); !added) {
      return Fail(added.error());
    }
  }
  return planning::BuildPlan(request);
}

}  // namespace cordon::cli
