#include "cli/commands.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "cli/account_runners.h"
#include "cli/app.h"
#include "cli/aws_session.h"
#include "cli/evidence_upload.h"
#include "cli/inputs.h"
#include "cli/prompt.h"
#include "cli/render.h"
#include "core/fs.h"
#include "core/log.h"
#include "execution/aws_runner.h"
#include "execution/release.h"
#include "execution/responders.h"
#include "journal/case_dir.h"
#include "journal/case_lock.h"
#include "journal/evidence.h"
#include "journal/journal.h"

namespace cordon::cli {
namespace {

// Asks on the terminal; false unless the answer is yes.
bool Confirm(const planning::Plan& plan) {
  char question[256];
  std::snprintf(question, sizeof(question), "Apply %zu step(s) to %zu target(s) for case %s?",
                plan.steps.size(), plan.targets.size(), plan.case_id.c_str());
  return AskYes(question);
}

// Steps a previous run of the case finished: a step-level result record with outcome ok, and
// no release undid the step's changes since (a released step is contained again).
Result<std::set<std::string>> CompletedSteps(const journal::Journal& journal,
                                             const planning::Plan& plan) {
  auto records = journal.ReadAll();
  if (!records) {
    return tl::unexpected(records.error());
  }
  std::set<std::string> done;
  for (const auto& record : *records) {
    const planning::Step* step = plan.FindStep(record.step_id);
    if (step != nullptr && record.kind == journal::RecordKind::kResult &&
        record.operation == step->action && record.outcome == journal::kOutcomeOk) {
      done.insert(record.step_id);
    }
  }
  for (const auto& step_id : execution::ReleasedSteps(*records)) {
    done.erase(step_id);
  }
  return done;
}

journal::Record StepRecord(const planning::Step& step, const std::string& actor,
                           journal::RecordKind kind) {
  journal::Record record;
  record.actor = actor;
  record.step_id = step.id;
  record.kind = kind;
  record.target = step.target;
  record.operation = step.action;
  return record;
}

std::string OutcomeForJournal(execution::Outcome outcome) {
  switch (outcome) {
    case execution::Outcome::kOk:
    case execution::Outcome::kAlreadyDone:
    case execution::Outcome::kPlanned:
      return std::string(journal::kOutcomeOk);
    case execution::Outcome::kFailed:
      return std::string(journal::kOutcomeFailed);
    case execution::Outcome::kUnknown:
      return std::string(journal::kOutcomeUnknown);
    case execution::Outcome::kRefused:
      return std::string(journal::kOutcomeRefused);
    case execution::Outcome::kSkipped:
      return std::string(journal::kOutcomeSkipped);
  }
  return std::string(journal::kOutcomeFailed);
}

void PrintResults(const GlobalOptions& global, const EnvLookup& env, const planning::Plan& plan,
                  const std::map<std::string, execution::StepResult>& results, bool dry_run) {
  if (global.output == OutputFormat::kJson) {
    nlohmann::json out = ResultsToJson(plan, results);
    out["dry_run"] = dry_run;
    std::cout << out.dump(2) << "\n";
    return;
  }
  const std::string text = RenderResultsText(plan, results, StyleFor(global, env), dry_run);
  if (global.quiet) {
    // Only the closing summary line.
    const size_t last = text.rfind('\n', text.size() - 2);
    std::cout << (last == std::string::npos ? text : text.substr(last + 1));
    return;
  }
  std::cout << text;
}

// The flags, with the configuration's memory capture command when no flag names one.
PlanArgs WithConfig(PlanArgs args, const Config& config) {
  // --contain-first runs no memory capture; a configured command does not make it an error.
  if (args.memory_capture_command.empty() && args.plan_file.empty() && !args.contain_first) {
    args.memory_capture_command = config.memory_capture_command;
  }
  return args;
}

}  // namespace

int RunPlanCommand(const GlobalOptions& global, const PlanArgs& args) {
  ApplyLogLevel(global);
  const EnvLookup env = ProcessEnv();
  // Read to report a broken configuration now rather than at apply time.
  auto config = LoadConfig(global.config, env);
  if (!config) {
    return InputError(config.error());
  }
  if (auto checked = CheckAccountOptions(args); !checked) {
    return InputError(checked.error());
  }
  auto plan = PlanFromArgs(WithConfig(args, *config), env, DefaultClock());
  if (!plan) {
    return InputError(plan.error());
  }
  const nlohmann::json json = PlanToJson(*plan);
  if (!args.out.empty()) {
    if (auto written = WriteFileAtomic(args.out, json.dump(2) + "\n", 0600); !written) {
      return InputError(written.error());
    }
  }
  if (global.output == OutputFormat::kJson) {
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << RenderPlanText(*plan, StyleFor(global, env));
  }
  return kExitOk;
}

int RunApplyCommand(const GlobalOptions& global, const PlanArgs& args) {
  ApplyLogLevel(global);
  const EnvLookup env = ProcessEnv();
  const Clock& clock = DefaultClock();

  // Everything the user gave is checked before any API call.
  auto config = LoadConfig(global.config, env);
  if (!config) {
    return InputError(config.error());
  }
  if (auto checked = CheckAccountOptions(args); !checked) {
    return InputError(checked.error());
  }
  auto plan = PlanFromArgs(WithConfig(args, *config), env, clock);
  if (!plan) {
    return InputError(plan.error());
  }
  auto home = ResolveHome(global, env);
  if (!home) {
    return InputError(home.error());
  }
  auto case_dir = journal::CaseDir::At(*home, args.case_id);
  if (!case_dir) {
    return InputError(case_dir.error());
  }
  auto session = AwsSession::Prepare(args.region, *plan);
  if (!session) {
    return InputError(session.error());
  }

  // With --output json, stdout carries JSON only; the plan shown for confirmation goes to stderr.
  std::ostream& shown = global.output == OutputFormat::kJson ? std::cerr : std::cout;
  if (plan->steps.empty()) {
    if (global.output == OutputFormat::kJson) {
      std::cout << PlanToJson(*plan).dump(2) << "\n";
    } else {
      std::cout << RenderPlanText(*plan, StyleFor(global, env));
    }
    return kExitOk;
  }
  if (!args.yes && !args.dry_run) {
    shown << RenderPlanText(*plan, StyleFor(global, env)) << std::flush;
    if (!CanAsk()) {
      std::fprintf(stderr,
                   "cordon: refusing to apply without confirmation: no terminal to ask on. "
                   "Pass --yes to apply, or --dry-run to see the API calls.\n");
      return kExitUsage;
    }
    if (!Confirm(*plan)) {
      std::fprintf(stderr, "cordon: not confirmed; nothing changed.\n");
      return kExitUsage;
    }
  }

  AwsSession& cloud = **session;
  auto caller = cloud.Identify();
  if (!caller) {
    std::fprintf(stderr,
                 "cordon: cannot establish the caller identity (STS GetCallerIdentity): "
                 "%s\nNothing changed.\n",
                 caller.error().Describe().c_str());
    return kExitStepsFailed;
  }
  std::vector<std::string> responders = config->responders;
  responders.insert(responders.end(), args.responders.begin(), args.responders.end());
  // A deny-all bucket policy must never lock out cordon itself: refuse before any change.
  if (auto refusal = execution::BucketLockoutRefusal(*plan, caller->arn, responders,
                                                     aws::IamClient(cloud.For("")));
      !refusal.empty()) {
    std::fprintf(stderr, "cordon: refusing to apply: %s\n", refusal.c_str());
    return kExitUsage;
  }

  std::unique_ptr<journal::Journal> journal;
  std::unique_ptr<journal::EvidenceStore> evidence;
  std::set<std::string> completed;
  std::error_code no_journal;
  if (args.dry_run && std::filesystem::exists(case_dir->journal_db(), no_journal)) {
    // A dry run reads what an earlier run finished, to show what would still happen.
    auto opened = journal::Journal::Open(*case_dir, clock);
    if (opened) {
      completed = CompletedSteps(**opened, *plan).value_or(std::set<std::string>{});
    }
  }
  std::optional<journal::CaseLock> case_lock;
  if (!args.dry_run) {
    auto locked = journal::CaseLock::Acquire(*case_dir);
    if (!locked) {
      std::fprintf(stderr, "cordon: %s\nNothing changed.\n", locked.error().Describe().c_str());
      return locked.error().kind == ErrorKind::kConflict ? kExitUsage : kExitStepsFailed;
    }
    case_lock = std::move(*locked);
    auto opened = journal::Journal::Open(*case_dir, clock);
    if (!opened) {
      std::fprintf(stderr, "cordon: cannot open the journal of case %s: %s\n", args.case_id.c_str(),
                   opened.error().Describe().c_str());
      return opened.error().kind == ErrorKind::kCorrupt ? kExitVerifyFailed : kExitStepsFailed;
    }
    journal = std::move(*opened);
    evidence = std::make_unique<journal::EvidenceStore>(*case_dir);
    auto done = CompletedSteps(*journal, *plan);
    if (!done) {
      std::fprintf(stderr, "cordon: cannot read the journal: %s\n",
                   done.error().Describe().c_str());
      return kExitStepsFailed;
    }
    completed = std::move(*done);
    const std::string plan_text = PlanToJson(*plan).dump(2) + "\n";
    // The case's plan.json keeps every target the case ever contained, so status and release
    // still see the ones an earlier apply handled.
    planning::Plan case_plan = *plan;
    if (auto earlier = CasePlan(*case_dir); earlier) {
      case_plan = planning::MergePlans(*earlier, *plan);
    }
    const std::string case_plan_text = PlanToJson(case_plan).dump(2) + "\n";
    if (auto written = WriteFileAtomic(case_dir->plan_json(), case_plan_text, 0600); !written) {
      std::fprintf(stderr, "cordon: %s\n", written.error().Describe().c_str());
      return kExitStepsFailed;
    }
    journal::Record start;
    start.actor = caller->arn;
    start.kind = journal::RecordKind::kNote;
    start.operation = "apply.start";
    start.detail = {{"plan_sha256", Sha256Hex(plan_text)},
                    {"steps", plan->steps.size()},
                    {"targets", plan->targets.size()},
                    {"already_done", completed.size()},
                    {"contain_first", plan->options.contain_first},
                    {"delete_keys", plan->options.delete_keys},
                    {"memory_capture_command", plan->options.memory_capture_command},
                    {"caller", {{"arn", caller->arn}, {"account", caller->account}}}};
    if (auto appended = journal->Append(std::move(start)); !appended) {
      std::fprintf(stderr, "cordon: cannot write the journal: %s\nNothing changed.\n",
                   appended.error().Describe().c_str());
      return kExitStepsFailed;
    }
  }

  execution::RunContext context{args.case_id, caller->arn, args.dry_run};
  // Responders are never contained: their sessions and keys are how the incident is handled.
  std::vector<std::string> protected_principals = config->protected_principals;
  for (const auto& list : {config->responders, args.responders}) {
    protected_principals.insert(protected_principals.end(), list.begin(), list.end());
  }
  AccountRunners runner(cloud, *caller, *plan, context,
                        {args.assume_role, args.external_id, protected_principals, responders},
                        journal.get(), evidence.get(), clock, completed);

  auto handler = [&](const planning::Step& step) -> execution::StepResult {
    if (step.mutating && completed.count(step.id) != 0) {
      return {execution::Outcome::kAlreadyDone, "done by an earlier run of this case", {}};
    }
    if (journal) {
      auto intent = StepRecord(step, caller->arn, journal::RecordKind::kIntent);
      intent.detail = {{"summary", step.summary}, {"phase", planning::PhaseName(step.phase)}};
      if (auto appended = journal->Append(std::move(intent)); !appended) {
        return {execution::Outcome::kFailed,
                "journal write failed, step not run: " + appended.error().Describe(),
                {}};
      }
    }
    return runner.Run(step);
  };
  auto on_done = [&](const planning::Step& step, const execution::StepResult& result) {
    if (!journal || result.outcome == execution::Outcome::kAlreadyDone) {
      return;
    }
    auto record = StepRecord(step, caller->arn, journal::RecordKind::kResult);
    record.outcome = OutcomeForJournal(result.outcome);
    record.detail = {{"message", result.message}, {"result", result.detail}};
    if (auto appended = journal->Append(std::move(record)); !appended) {
      log::Error("journal.write_failed",
                 {{"case", args.case_id}, {"step", step.id}, {"error", appended.error().message}});
    }
  };

  const int concurrency = global.concurrency > 0 ? global.concurrency : config->concurrency;
  auto results = execution::RunPlan(*plan, handler, {concurrency}, on_done);
  const EvidenceUploadOutcome upload =
      UploadEvidenceIfAsked(cloud, *config, args, *case_dir, context, journal.get(), clock);

  if (journal) {
    journal::Record finish;
    finish.actor = caller->arn;
    finish.kind = journal::RecordKind::kNote;
    finish.operation = "apply.finish";
    finish.detail = {{"summary", Count(results).by_outcome},
                     {"exit_code", ExitCodeForResults(results)}};
    if (auto appended = journal->Append(std::move(finish)); !appended) {
      log::Error("journal.write_failed",
                 {{"case", args.case_id}, {"error", appended.error().message}});
    }
  }
  PrintResults(global, env, *plan, results, args.dry_run);
  if (!upload.line.empty()) {
    std::fprintf(global.output == OutputFormat::kJson ? stderr : stdout, "%s\n",
                 upload.line.c_str());
  }
  return upload.failed ? kExitStepsFailed : ExitCodeForResults(results);
}

}  // namespace cordon::cli
