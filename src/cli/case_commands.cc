// status and verify: read-only commands on an existing case.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "core/fs.h"
#include "execution/release.h"
#include "journal/case_dir.h"
#include "journal/evidence.h"
#include "journal/journal.h"
#include "journal/verify.h"
#include "planning/plan.h"

namespace cordon::cli {
namespace {

using nlohmann::json;

int InputError(const std::string& message) {
  std::fprintf(stderr, "cordon: %s\n", message.c_str());
  return kExitUsage;
}

// The phase status of a set of step outcomes: done, released, failed, unknown, refused, skipped
// or pending.
std::string PhaseStatus(const std::vector<std::string>& outcomes) {
  if (outcomes.empty()) {
    return "-";
  }
  bool pending = false;
  for (const char* worst : {"failed", "unknown", "refused", "skipped"}) {
    for (const auto& outcome : outcomes) {
      if (outcome == worst) {
        return worst;
      }
    }
  }
  for (const auto& outcome : outcomes) {
    pending = pending || outcome.empty();
  }
  if (pending) {
    return "pending";
  }
  // Steps release keeps on purpose (captures, snapshots, the shared group) stay "ok", so one
  // released step makes the phase released.
  const bool released = std::any_of(outcomes.begin(), outcomes.end(),
                                    [](const std::string& o) { return o == "released"; });
  return released ? "released" : "done";
}

}  // namespace

int RunStatusCommand(const GlobalOptions& global, const CaseArgs& args) {
  auto case_dir = ExistingCase(global, args.case_id);
  if (!case_dir) {
    return InputError(case_dir.error().message);
  }
  auto plan = CasePlan(*case_dir);
  if (!plan) {
    return InputError(plan.error().message);
  }
  auto journal = journal::Journal::Open(*case_dir, DefaultClock());
  if (!journal) {
    std::fprintf(stderr, "cordon: %s\n", journal.error().Describe().c_str());
    return journal.error().kind == ErrorKind::kCorrupt ? kExitVerifyFailed : kExitStepsFailed;
  }
  auto records = (*journal)->ReadAll();
  if (!records) {
    std::fprintf(stderr, "cordon: %s\n", records.error().Describe().c_str());
    return kExitStepsFailed;
  }

  // The newest step-level result of each step.
  std::map<std::string, std::pair<std::string, std::string>> latest;  // id -> (outcome, ts)
  for (const auto& record : *records) {
    const planning::Step* step = plan->FindStep(record.step_id);
    if (step != nullptr && record.kind == journal::RecordKind::kResult &&
        record.operation == step->action) {
      latest[record.step_id] = {record.outcome, record.ts};
    }
  }
  // A step whose changes a release undid since its last result reads "released".
  for (const auto& step_id : execution::ReleasedSteps(*records)) {
    if (auto it = latest.find(step_id); it != latest.end()) {
      it->second.first = "released";
    }
  }

  json targets = json::array();
  for (const auto& planned : plan->targets) {
    const std::string key = planned.target.Key();
    json phases = json::object();
    json steps = json::array();
    for (auto phase : {planning::Phase::kPreserve, planning::Phase::kIsolate,
                       planning::Phase::kRevoke, planning::Phase::kMark}) {
      std::vector<std::string> outcomes;
      for (const auto& step : plan->steps) {
        if (step.target != key || step.phase != phase) {
          continue;
        }
        auto it = latest.find(step.id);
        outcomes.push_back(it == latest.end() ? "" : it->second.first);
        steps.push_back({{"id", step.id},
                         {"phase", planning::PhaseName(phase)},
                         {"outcome", it == latest.end() ? "pending" : it->second.first},
                         {"at", it == latest.end() ? "" : it->second.second}});
      }
      phases[planning::PhaseName(phase)] = PhaseStatus(outcomes);
    }
    targets.push_back({{"target", key}, {"phases", phases}, {"steps", steps}});
  }
  const std::string head = records->empty() ? "" : records->back().hash;
  json out = {{"case", args.case_id},
              {"targets", targets},
              {"journal", {{"records", records->size()}, {"head", head}}}};

  if (global.output == OutputFormat::kJson) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::ostringstream text;
  text << "Case " << args.case_id << ": " << plan->targets.size() << " target(s), "
       << records->size() << " journal record(s), head " << head.substr(0, 16) << "\n\n";
  char line[256];
  std::snprintf(line, sizeof(line), "%-48s %-9s %-9s %-9s %-9s\n", "TARGET", "PRESERVE", "ISOLATE",
                "REVOKE", "MARK");
  text << line;
  for (const auto& target : targets) {
    const auto& p = target["phases"];
    std::snprintf(line, sizeof(line), "%-48s %-9s %-9s %-9s %-9s\n",
                  target["target"].get<std::string>().c_str(),
                  p["preserve"].get<std::string>().c_str(), p["isolate"].get<std::string>().c_str(),
                  p["revoke"].get<std::string>().c_str(), p["mark"].get<std::string>().c_str());
    text << line;
  }
  std::cout << text.str();
  return kExitOk;
}

int RunVerifyCommand(const GlobalOptions& global, const CaseArgs& args) {
  auto case_dir = ExistingCase(global, args.case_id);
  if (!case_dir) {
    return InputError(case_dir.error().message);
  }
  auto journal = journal::VerifyJournal(*case_dir);
  auto evidence = journal::VerifyEvidence(*case_dir);
  if (!journal || !evidence) {
    std::fprintf(stderr, "cordon: verification could not run: %s\n",
                 (!journal ? journal.error() : evidence.error()).Describe().c_str());
    return kExitVerifyFailed;
  }
  const bool ok = journal->ok && evidence->ok;
  json problems = json::array();
  for (const auto& problem : evidence->problems) {
    problems.push_back({{"file", problem.name},
                        {"problem", journal::EvidenceProblemKindName(problem.kind)},
                        {"detail", problem.detail}});
  }
  json out = {
      {"case", args.case_id},
      {"ok", ok},
      {"journal",
       {{"ok", journal->ok},
        {"records", journal->records},
        {"head", journal->head_hash},
        {"first_bad_record", journal->first_bad_seq},
        {"reason", journal->reason}}},
      {"evidence",
       {{"ok", evidence->ok}, {"files_checked", evidence->files_checked}, {"problems", problems}}}};
  if (global.output == OutputFormat::kJson) {
    std::cout << out.dump(2) << "\n";
  } else if (ok) {
    std::cout << "Case " << args.case_id << ": journal intact (" << journal->records
              << " records, head " << journal->head_hash << "); " << evidence->files_checked
              << " evidence file(s) match the manifest.\n";
  } else {
    std::cout << "Case " << args.case_id << ": VERIFICATION FAILED\n";
    if (!journal->ok) {
      std::cout << "  journal: " << journal->reason;
      if (journal->first_bad_seq > 0) {
        std::cout << " (first bad record: seq " << journal->first_bad_seq << ")";
      }
      std::cout << "\n";
    }
    for (const auto& problem : evidence->problems) {
      std::cout << "  evidence " << problem.name << ": "
                << journal::EvidenceProblemKindName(problem.kind) << " " << problem.detail << "\n";
    }
  }
  return ok ? kExitOk : kExitVerifyFailed;
}

}  // namespace cordon::cli
