// release: undo the reversible changes of a case, newest first, journaling every undo.
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/account_release.h"
#include "cli/app.h"
#include "cli/assume_role.h"
#include "cli/aws_session.h"
#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/prompt.h"
#include "execution/release.h"
#include "journal/case_lock.h"
#include "journal/journal.h"

namespace cordon::cli {
namespace {

using nlohmann::json;

json ItemsToJson(const std::string& case_id, const std::vector<execution::ReleaseItem>& items,
                 bool dry_run) {
  json out = json::array();
  for (const auto& item : items) {
    out.push_back({{"seq", item.seq},
                   {"step", item.step_id},
                   {"target", item.target},
                   {"operation", item.operation},
                   {"status", execution::ReleaseStatusName(item.status)},
                   {"message", item.message},
                   {"calls", item.calls}});
  }
  return {{"case", case_id}, {"dry_run", dry_run}, {"items", out}};
}

std::string ItemsToText(const std::string& case_id,
                        const std::vector<execution::ReleaseItem>& items, bool dry_run) {
  std::ostringstream text;
  text << (dry_run ? "Release dry run" : "Release") << " of case " << case_id << ": "
       << items.size() << " change(s), newest first\n";
  std::map<std::string, int> counts;
  for (const auto& item : items) {
    const std::string status = execution::ReleaseStatusName(item.status);
    ++counts[status];
    char line[160];
    std::snprintf(line, sizeof(line), "  %-6lld %-16s %-38s ", static_cast<long long>(item.seq),
                  status.c_str(), item.operation.c_str());
    text << line << item.message << "\n";
    for (const auto& call : item.calls) {
      text << "         would call " << call.value("operation", "") << " "
           << call.value("params", json::object()).dump() << "\n";
    }
  }
  text << "\n";
  for (const auto& [status, count] : counts) {
    text << count << " " << status << "  ";
  }
  text << "\n";
  return text.str();
}

Status CheckSteps(const planning::Plan& plan, const std::set<std::string>& steps) {
  for (const auto& id : steps) {
    if (plan.FindStep(id) == nullptr) {
      return Fail(ErrorKind::kInvalidInput,
                  "--step " + id + ": no such step in case " + plan.case_id +
                      "; expected a step id as 'cordon status --case " + plan.case_id +
                      " --output json' lists them, e.g. aws:iam-user:NAME/deactivate-keys");
    }
  }
  return {};
}

journal::Record RunNote(const std::string& actor, const std::string& operation, json detail) {
  journal::Record note;
  note.actor = actor;
  note.kind = journal::RecordKind::kNote;
  note.operation = operation;
  note.detail = std::move(detail);
  return note;
}

}  // namespace

int RunReleaseCommand(const GlobalOptions& global, const ReleaseArgs& args) {
  ApplyLogLevel(global);
  auto case_dir = ExistingCase(global, args.case_id);
  if (!case_dir) {
    return InputError(case_dir.error());
  }
  auto plan = CasePlan(*case_dir);
  if (!plan) {
    return InputError(plan.error());
  }
  execution::ReleaseOptions options;
  options.steps = {args.steps.begin(), args.steps.end()};
  options.dry_run = args.dry_run;
  if (auto checked = CheckSteps(*plan, options.steps); !checked) {
    return InputError(checked.error());
  }
  if (!args.assume_role.empty()) {
    if (auto checked = ValidateAssumeRoleTemplate(args.assume_role); !checked) {
      return InputError(checked.error());
    }
  }
  std::optional<journal::CaseLock> case_lock;
  if (!options.dry_run) {
    auto locked = journal::CaseLock::Acquire(*case_dir);
    if (!locked) {
      std::fprintf(stderr, "cordon: %s\nNothing changed.\n", locked.error().Describe().c_str());
      return locked.error().kind == ErrorKind::kConflict ? kExitUsage : kExitStepsFailed;
    }
    case_lock = std::move(*locked);
  }
  auto opened = journal::Journal::Open(*case_dir, DefaultClock());
  if (!opened) {
    std::fprintf(stderr, "cordon: %s\n", opened.error().Describe().c_str());
    return opened.error().kind == ErrorKind::kCorrupt ? kExitVerifyFailed : kExitStepsFailed;
  }
  std::unique_ptr<journal::Journal> journal = std::move(*opened);
  auto records = journal->ReadAll();
  if (!records) {
    std::fprintf(stderr, "cordon: %s\n", records.error().Describe().c_str());
    return kExitStepsFailed;
  }
  auto session = AwsSession::Prepare(args.region, *plan);
  if (!session) {
    return InputError(session.error());
  }

  const size_t changes = execution::ReleasableChanges(*records, options).size();
  if (!args.yes && !args.dry_run) {
    if (!CanAsk()) {
      std::fprintf(stderr,
                   "cordon: refusing to release without confirmation: no terminal to ask on. "
                   "Pass --yes to release, or --dry-run to see the API calls.\n");
      return kExitUsage;
    }
    if (!AskYes("Undo " + std::to_string(changes) + " change(s) of case " + args.case_id + "?")) {
      std::fprintf(stderr, "cordon: not confirmed; nothing changed.\n");
      return kExitUsage;
    }
  }
  auto caller = (*session)->Identify();
  if (!caller) {
    std::fprintf(stderr,
                 "cordon: cannot establish the caller identity (STS GetCallerIdentity): %s\n"
                 "Nothing changed.\n",
                 caller.error().Describe().c_str());
    return kExitStepsFailed;
  }

  execution::RunContext context{args.case_id, caller->arn, args.dry_run};
  journal::Journal* writer = args.dry_run ? nullptr : journal.get();
  if (writer != nullptr) {
    auto started = writer->Append(
        RunNote(caller->arn, "release.start", {{"changes", changes}, {"steps", args.steps}}));
    if (!started) {
      std::fprintf(stderr, "cordon: cannot write the journal: %s\nNothing changed.\n",
                   started.error().Describe().c_str());
      return kExitStepsFailed;
    }
  }
  const auto items = ReleaseAcrossAccounts(**session, *caller, *plan, context, writer, *records,
                                           options, args.assume_role, args.external_id);

  bool failed = false;
  for (const auto& item : items) {
    failed = failed || item.status == execution::ReleaseStatus::kFailed;
  }
  if (writer != nullptr) {
    const json summary = ItemsToJson(args.case_id, items, false);
    (void)writer->Append(RunNote(caller->arn, "release.finish",
                                 {{"items", summary["items"].size()}, {"failed", failed}}));
  }
  if (global.output == OutputFormat::kJson) {
    std::cout << ItemsToJson(args.case_id, items, args.dry_run).dump(2) << "\n";
  } else {
    std::cout << ItemsToText(args.case_id, items, args.dry_run);
  }
  return failed ? kExitStepsFailed : kExitOk;
}

}  // namespace cordon::cli
