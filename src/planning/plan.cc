#include "planning/plan.h"

#include <algorithm>
#include <array>
#include <utility>

#include "planning/target_ref.h"

namespace cordon::planning {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<Phase, const char*>, 4> kPhaseNames = {{
    {Phase::kPreserve, "preserve"},
    {Phase::kIsolate, "isolate"},
    {Phase::kRevoke, "revoke"},
    {Phase::kMark, "mark"},
}};

tl::unexpected<Error> BadField(const std::string& field, const std::string& expected) {
  return Fail(ErrorKind::kInvalidInput, "invalid plan: field \"" + field +
                                            "\" is missing or malformed; expected " + expected);
}

json TargetToJson(const Target& target) {
  json out = {{"kind", TargetKindName(target.kind)}, {"id", target.id}, {"key", target.Key()}};
  if (!target.account.empty()) {
    out["account"] = target.account;
  }
  if (!target.region.empty()) {
    out["region"] = target.region;
  }
  if (!target.owner.empty()) {
    out["owner"] = target.owner;
  }
  return out;
}

std::string OptionalString(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<Target> TargetFromJson(const json& in, const std::string& path) {
  if (!in.is_object() || !in.contains("kind") || !in["kind"].is_string()) {
    return BadField(path + ".kind", "a target kind such as \"aws:iam-user\"");
  }
  auto kind = TargetKindFromName(in["kind"].get<std::string>());
  if (!kind) {
    return BadField(path + ".kind", "a known target kind such as \"aws:ec2-instance\"");
  }
  if (!in.contains("id") || !in["id"].is_string() || in["id"].get<std::string>().empty()) {
    return BadField(path + ".id", "a non-empty resource id");
  }
  Target target;
  target.kind = *kind;
  target.id = in["id"].get<std::string>();
  target.account = OptionalString(in, "account");
  target.region = OptionalString(in, "region");
  target.owner = OptionalString(in, "owner");
  // An edited plan must not steer requests: account and region reach endpoints and ARNs.
  if (!target.account.empty() && !IsAccountId(target.account)) {
    return BadField(path + ".account", "a 12-digit AWS account id");
  }
  if (!target.region.empty() && !IsRegion(target.region)) {
    return BadField(path + ".region", "a region like us-east-1");
  }
  return target;
}

Result<std::vector<std::string>> StringList(const json& in, const char* key,
                                            const std::string& path) {
  std::vector<std::string> out;
  auto it = in.find(key);
  if (it == in.end()) {
    return out;
  }
  if (!it->is_array()) {
    return BadField(path + "." + key, "an array of strings");
  }
  for (const auto& item : *it) {
    if (!item.is_string()) {
      return BadField(path + "." + key, "an array of strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<Phase> PhaseFromName(const std::string& name, const std::string& path) {
  for (const auto& [phase, n] : kPhaseNames) {
    if (name == n) {
      return phase;
    }
  }
  return BadField(path, "one of preserve, isolate, revoke, mark");
}

Result<Step> StepFromJson(const json& in, const std::string& path) {
  for (const char* key : {"id", "target", "phase", "action"}) {
    if (!in.contains(key) || !in[key].is_string() || in[key].get<std::string>().empty()) {
      return BadField(path + "." + key, "a non-empty string");
    }
  }
  Step step;
  step.id = in["id"].get<std::string>();
  step.target = in["target"].get<std::string>();
  auto phase = PhaseFromName(in["phase"].get<std::string>(), path + ".phase");
  if (!phase) {
    return Fail(phase.error());
  }
  step.phase = *phase;
  step.action = in["action"].get<std::string>();
  step.summary = OptionalString(in, "summary");
  step.params = in.value("params", json::object());
  step.mutating = in.value("mutating", false);
  step.reversible = in.value("reversible", false);
  auto deps = StringList(in, "depends_on", path);
  auto techniques = StringList(in, "techniques", path);
  if (!deps || !techniques) {
    return Fail(!deps ? deps.error() : techniques.error());
  }
  step.depends_on = std::move(*deps);
  step.techniques = std::move(*techniques);
  return step;
}

}  // namespace

const char* PhaseName(Phase phase) {
  for (const auto& [p, name] : kPhaseNames) {
    if (p == phase) {
      return name;
    }
  }
  return "preserve";
}

const Step* Plan::FindStep(const std::string& id) const {
  for (const auto& step : steps) {
    if (step.id == id) {
      return &step;
    }
  }
  return nullptr;
}

Plan MergePlans(const Plan& earlier, const Plan& later) {
  Plan merged = later;
  merged.targets.clear();
  merged.steps.clear();
  merged.notes = earlier.notes;
  for (const auto& note : later.notes) {
    if (std::find(merged.notes.begin(), merged.notes.end(), note) == merged.notes.end()) {
      merged.notes.push_back(note);
    }
  }
  auto later_target = [&](const std::string& key) -> const PlannedTarget* {
    for (const auto& planned : later.targets) {
      if (planned.target.Key() == key) {
        return &planned;
      }
    }
    return nullptr;
  };
  for (const auto& planned : earlier.targets) {
    const PlannedTarget* newer = later_target(planned.target.Key());
    merged.targets.push_back(newer != nullptr ? *newer : planned);
  }
  for (const auto& planned : later.targets) {
    if (std::none_of(earlier.targets.begin(), earlier.targets.end(), [&](const PlannedTarget& t) {
          return t.target.Key() == planned.target.Key();
        })) {
      merged.targets.push_back(planned);
    }
  }
  for (const auto& step : earlier.steps) {
    const Step* newer = later.FindStep(step.id);
    merged.steps.push_back(newer != nullptr ? *newer : step);
  }
  for (const auto& step : later.steps) {
    if (earlier.FindStep(step.id) == nullptr) {
      merged.steps.push_back(step);
    }
  }
  return merged;
}

json PlanToJson(const Plan& plan) {
  json targets = json::array();
  for (const auto& planned : plan.targets) {
    targets.push_back({{"target", TargetToJson(planned.target)},
                       {"playbook", planned.playbook},
                       {"source", planned.source},
                       {"notes", planned.notes}});
  }
  json steps = json::array();
  for (const auto& step : plan.steps) {
    steps.push_back({{"id", step.id},
                     {"target", step.target},
                     {"phase", PhaseName(step.phase)},
                     {"action", step.action},
                     {"summary", step.summary},
                     {"params", step.params},
                     {"depends_on", step.depends_on},
                     {"mutating", step.mutating},
                     {"reversible", step.reversible},
                     {"techniques", step.techniques}});
  }
  return {{"version", plan.version},
          {"case", plan.case_id},
          {"created_at", plan.created_at},
          {"options",
           {{"delete_keys", plan.options.delete_keys},
            {"contain_first", plan.options.contain_first},
            {"include_samples", plan.options.include_samples},
            {"memory_capture_command", plan.options.memory_capture_command},
            {"memory_capture_timeout_seconds", plan.options.memory_capture_timeout_seconds}}},
          {"targets", targets},
          {"steps", steps},
          {"notes", plan.notes}};
}

namespace {

Result<Plan> PlanFromJsonUnchecked(const json& in) {
  if (!in.is_object()) {
    return BadField("(root)", "a JSON object written by \"cordon plan --out\"");
  }
  if (in.value("version", 0) != 1) {
    return BadField("version", "1");
  }
  Plan plan;
  plan.case_id = OptionalString(in, "case");
  plan.created_at = OptionalString(in, "created_at");
  const json options = in.value("options", json::object());
  plan.options.delete_keys = options.value("delete_keys", false);
  plan.options.contain_first = options.value("contain_first", false);
  plan.options.include_samples = options.value("include_samples", false);
  plan.options.memory_capture_command = options.value("memory_capture_command", "");
  plan.options.memory_capture_timeout_seconds =
      options.value("memory_capture_timeout_seconds", 1800);

  const json targets = in.value("targets", json::array());
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string path = "targets[" + std::to_string(i) + "]";
    auto target = TargetFromJson(targets[i].value("target", json()), path + ".target");
    if (!target) {
      return Fail(target.error());
    }
    auto notes = StringList(targets[i], "notes", path);
    if (!notes) {
      return Fail(notes.error());
    }
    plan.targets.push_back({*target, OptionalString(targets[i], "playbook"),
                            OptionalString(targets[i], "source"), std::move(*notes)});
  }
  const json steps = in.value("steps", json::array());
  for (size_t i = 0; i < steps.size(); ++i) {
    auto step = StepFromJson(steps[i], "steps[" + std::to_string(i) + "]");
    if (!step) {
      return Fail(step.error());
    }
    plan.steps.push_back(std::move(*step));
  }
  auto notes = StringList(in, "notes", "(root)");
  if (!notes) {
    return Fail(notes.error());
  }
  plan.notes = std::move(*notes);
  return plan;
}

}  // namespace

Result<Plan> PlanFromJson(const json& in) {
  try {
    return PlanFromJsonUnchecked(in);
  } catch (const json::exception& e) {
    // A field of the wrong JSON type; nlohmann names it in its message.
    return Fail(ErrorKind::kInvalidInput, std::string("invalid plan: ") + e.what());
  }
}

}  // namespace cordon::planning
