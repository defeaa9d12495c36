#include "cli/render.h"

#include <algorithm>
#include <sstream>

#include "cli/app.h"

namespace cordon::cli {
namespace {

using execution::Outcome;

std::string Paint(const Style& style, const char* code, const std::string& text) {
  if (!style.color) {
    return text;
  }
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

const char* PhaseColor(planning::Phase phase) {
  switch (phase) {
    case planning::Phase::kPreserve:
      return "36";  // cyan
    case planning::Phase::kIsolate:
      return "33";  // yellow
    case planning::Phase::kRevoke:
      return "35";  // magenta
    case planning::Phase::kMark:
      return "34";  // blue
  }
  return "0";
}

const char* OutcomeColor(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
    case Outcome::kAlreadyDone:
      return "32";
    case Outcome::kPlanned:
      return "36";
    case Outcome::kFailed:
      return "31";
    case Outcome::kUnknown:
    case Outcome::kRefused:
    case Outcome::kSkipped:
      return "33";
  }
  return "0";
}

std::string Pad(const std::string& text, size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

// The short step name after the target key, e.g. "snapshot".
std::string ShortName(const planning::Step& step) {
  auto slash = step.id.rfind('/');
  return slash == std::string::npos ? step.id : step.id.substr(slash + 1);
}

}  // namespace

std::string RenderPlanText(const planning::Plan& plan, const Style& style) {
  std::ostringstream out;
  out << "Case " << plan.case_id << ": " << plan.targets.size() << " target(s), "
      << plan.steps.size() << " step(s)\n";
  for (const auto& planned : plan.targets) {
    out << "\n"
        << Paint(style, "1", planned.target.Key()) << "  (playbook "
        << (planned.playbook.empty() ? "none" : planned.playbook) << "; from " << planned.source
        << ")\n";
    for (const auto& step : plan.steps) {
      if (step.target != planned.target.Key()) {
        continue;
      }
      out << "  " << Paint(style, PhaseColor(step.phase), Pad(PhaseName(step.phase), 9))
          << Pad(ShortName(step), 21) << step.summary;
      // Deleting is the one thing release can never undo; evidence and the shared quarantine
      // group are kept on release on purpose.
      if (step.params.value("delete", false)) {
        out << "  [irreversible: deletes]";
      } else if (step.mutating && !step.reversible) {
        out << "  [kept on release]";
      }
      out << "\n";
    }
    for (const auto& note : planned.notes) {
      out << "  note: " << note << "\n";
    }
  }
  if (!plan.notes.empty()) {
    out << "\nNotes:\n";
    for (const auto& note : plan.notes) {
      out << "  - " << note << "\n";
    }
  }
  if (plan.steps.empty()) {
    out << "\nNothing to do: the plan has no steps.\n";
  }
  return out.str();
}

Tally Count(const std::map<std::string, execution::StepResult>& results) {
  Tally tally;
  for (const auto& [id, result] : results) {
    ++tally.by_outcome[execution::OutcomeName(result.outcome)];
    ++tally.total;
  }
  return tally;
}

std::string RenderResultsText(const planning::Plan& plan,
                              const std::map<std::string, execution::StepResult>& results,
                              const Style& style, bool dry_run) {
  std::ostringstream out;
  out << (dry_run ? "Dry run" : "Results") << " for case " << plan.case_id << "\n";
  std::string current;
  for (const auto& step : plan.steps) {
    auto it = results.find(step.id);
    if (it == results.end()) {
      continue;
    }
    if (step.target != current) {
      current = step.target;
      out << "\n" << Paint(style, "1", current) << "\n";
    }
    const auto& result = it->second;
    out << "  " << Paint(style, PhaseColor(step.phase), Pad(PhaseName(step.phase), 9))
        << Pad(ShortName(step), 21)
        << Paint(style, OutcomeColor(result.outcome),
                 Pad(execution::OutcomeName(result.outcome), 13))
        << result.message << "\n";
    if (dry_run && result.detail.contains("calls")) {
      for (const auto& call : result.detail["calls"]) {
        out << "      would call " << call.value("operation", "") << " "
            << call.value("params", nlohmann::json::object()).dump() << "\n";
      }
    }
  }
  const Tally tally = Count(results);
  out << "\n" << tally.total << " step(s):";
  for (const auto& [name, count] : tally.by_outcome) {
    out << " " << count << " " << name;
  }
  out << "\n";
  return out.str();
}

nlohmann::json ResultsToJson(const planning::Plan& plan,
                             const std::map<std::string, execution::StepResult>& results) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : plan.steps) {
    auto it = results.find(step.id);
    if (it == results.end()) {
      continue;
    }
    steps.push_back({{"id", step.id},
                     {"target", step.target},
                     {"phase", planning::PhaseName(step.phase)},
                     {"action", step.action},
                     {"outcome", execution::OutcomeName(it->second.outcome)},
                     {"message", it->second.message},
                     {"detail", it->second.detail}});
  }
  const Tally tally = Count(results);
  return {{"case", plan.case_id},
          {"steps", steps},
          {"summary", tally.by_outcome},
          {"exit_code", ExitCodeForResults(results)}};
}

int ExitCodeForResults(const std::map<std::string, execution::StepResult>& results) {
  bool partial = false;
  for (const auto& [id, result] : results) {
    switch (result.outcome) {
      case Outcome::kFailed:
        return kExitStepsFailed;
      case Outcome::kUnknown:
      case Outcome::kRefused:
      case Outcome::kSkipped:
        partial = true;
        break;
      case Outcome::kOk:
      case Outcome::kAlreadyDone:
      case Outcome::kPlanned:
        break;
    }
  }
  return partial ? kExitPartial : kExitOk;
}

}  // namespace cordon::cli
