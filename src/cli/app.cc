#include "cli/app.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"

namespace cordon::cli {
namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  everything done\n"
    "  1  one or more steps failed\n"
    "  2  usage or input error (nothing changed)\n"
    "  3  partially contained (steps skipped as UNKNOWN or refused by a guard)\n"
    "  4  journal verification failed\n";

void AddGlobalOptions(CLI::App& app, GlobalOptions& global) {
  app.add_option("--home", global.home,
                 "Case storage folder (env CORDON_HOME; default $XDG_DATA_HOME/cordon)");
  app.add_option("--config", global.config,
                 "TOML configuration file (env CORDON_CONFIG; default "
                 "$XDG_CONFIG_HOME/cordon/config.toml)");
  app.add_option("--concurrency", global.concurrency, "Steps run at once (default 16)")
      ->check(CLI::Range(1, 1024));
  app.add_option("--log-level", global.log_level, "Diagnostics on stderr")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
  app.add_flag("--no-color", global.no_color, "No colour in text output (also NO_COLOR)");
  app.add_flag("--quiet", global.quiet, "Print only errors and the final summary");
  app.add_flag("--verbose", global.verbose, "Print every API call (log level info)");
}

void AddOutputOption(CLI::App& command, std::string& output) {
  command.add_option("--output", output, "Output format: text for people, json for machines")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
}

void AddTargetOptions(CLI::App& command, PlanArgs& args) {
  command.add_option("--case", args.case_id, "Case id ([A-Za-z0-9._-]{1,64})")->required();
  command.add_option("--target", args.targets,
                     "Target reference, repeatable: arn:aws:iam::ACCOUNT:user/NAME, "
                     "aws:iam-user:NAME, aws:access-key:AKIA..., aws:iam-role:NAME, "
                     "aws:ec2-instance:i-...");
  command.add_option("--finding", args.findings,
                     "Finding file, repeatable: GuardDuty (API Findings[], EventBridge event, "
                     "or a bare finding) or Security Hub ASFF (one, a list, Findings[], or "
                     "EventBridge detail.findings[])");
  command.add_option("--region", args.region, "Region for short references (default AWS_REGION)");
  command.add_option("--account", args.account, "Account for short references");
  command.add_option("--responder", args.responders,
                     "Responder principal ARN that deny policies exempt, repeatable");
  command.add_option("--assume-role", args.assume_role,
                     "Reach targets in other accounts through this role, e.g. "
                     "'arn:aws:iam::{account}:role/IR-Responder' (STS AssumeRole, session "
                     "cordon-<case>)");
  command.add_option("--external-id", args.external_id, "External id for --assume-role");
  command.add_option("--since", args.since,
                     "CloudTrail activity exported as evidence from: an RFC 3339 time, a "
                     "duration (48h, 7d; default 7d, env CORDON_ACTIVITY_SINCE) or off");
  command.add_flag("--delete-keys", args.delete_keys,
                   "Delete access keys instead of deactivating them (irreversible)");
  command.add_flag("--contain-first", args.contain_first,
                   "Isolate before capturing evidence (active data theft); journaled");
  command.add_flag("--include-samples", args.include_samples,
                   "Also contain targets of sample and archived findings");
  command.add_option("--memory-capture-command", args.memory_capture_command,
                     "EC2: capture memory before isolation by running this shell command on the "
                     "instance through SSM (e.g. 'avml /var/tmp/memory.lime'; config key "
                     "memory_capture_command)");
  command
      .add_option("--memory-capture-timeout", args.memory_capture_timeout,
                  "Seconds the memory capture command may run (default 1800)")
      ->check(CLI::Range(60, 86400));
}

}  // namespace

int Run(int argc, char** argv) {
  GlobalOptions global;
  PlanArgs plan_args;
  PlanArgs apply_args;
  ReleaseArgs release_args;
  CaseArgs status_args;
  CaseArgs verify_args;
  std::string output = "text";

  CLI::App app{
      "cordon: contain cloud security incidents, evidence first, with a hash-chained "
      "journal of every step."};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  AddGlobalOptions(app, global);

  CLI::App* plan = app.add_subcommand("plan", "Show what containment would do, changing nothing");
  AddTargetOptions(*plan, plan_args);
  plan->add_option("--out", plan_args.out, "Write the plan as JSON to this file");
  AddOutputOption(*plan, output);

  CLI::App* apply = app.add_subcommand("apply", "Contain: run the plan and journal every step");
  AddTargetOptions(*apply, apply_args);
  apply->add_option("--plan", apply_args.plan_file, "A plan written by 'cordon plan --out'");
  apply->add_option("--evidence-bucket", apply_args.evidence_bucket,
                    "Upload the evidence to this bucket with versioning and Object Lock (config "
                    "evidence_bucket, env CORDON_EVIDENCE_BUCKET)");
  apply
      ->add_option("--evidence-retention-days", apply_args.evidence_retention_days,
                   "Object Lock retention of uploaded evidence (default 90)")
      ->check(CLI::Range(1, 36500));
  apply->add_flag("--object-lock-compliance", apply_args.object_lock_compliance,
                  "Lock uploaded evidence in COMPLIANCE mode (nobody, not even root, can shorten "
                  "it) instead of GOVERNANCE");
  apply->add_flag("--yes", apply_args.yes, "Do not ask for confirmation");
  apply->add_flag("--dry-run", apply_args.dry_run,
                  "Read current state and print the exact API calls, changing nothing");
  AddOutputOption(*apply, output);

  CLI::App* release = app.add_subcommand(
      "release", "Undo the reversible changes of a case, newest first, journaling each undo");
  release->add_option("--case", release_args.case_id, "Case id")->required();
  release->add_option("--step", release_args.steps,
                      "Release only this step id (repeatable), e.g. aws:iam-user:NAME/deny-policy");
  release->add_option("--region", release_args.region,
                      "Default region for targets without one (default AWS_REGION)");
  release->add_option("--assume-role", release_args.assume_role,
                      "Undo changes in other accounts through this role, as for apply");
  release->add_option("--external-id", release_args.external_id, "External id for --assume-role");
  release->add_flag("--yes", release_args.yes, "Do not ask for confirmation");
  release->add_flag("--dry-run", release_args.dry_run, "Print the undo calls, changing nothing");
  AddOutputOption(*release, output);

  CLI::App* status = app.add_subcommand("status", "Show a case's targets and step outcomes");
  status->add_option("--case", status_args.case_id, "Case id")->required();
  AddOutputOption(*status, output);

  CLI::App* verify =
      app.add_subcommand("verify", "Check the journal's hash chain and the evidence hashes");
  verify->add_option("--case", verify_args.case_id, "Case id")->required();
  AddOutputOption(*verify, output);

  for (CLI::App* command : {plan, apply, release, status, verify}) {
    command->footer(kExitCodes);
    command->fallthrough();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "cordon: %s\nRun 'cordon --help' or 'cordon COMMAND --help'.\n", e.what());
    return kExitUsage;
  }

  global.output = output == "json" ? OutputFormat::kJson : OutputFormat::kText;
  if (plan->parsed()) {
    return RunPlanCommand(global, plan_args);
  }
  if (apply->parsed()) {
    return RunApplyCommand(global, apply_args);
  }
  if (release->parsed()) {
    return RunReleaseCommand(global, release_args);
  }
  if (status->parsed()) {
    return RunStatusCommand(global, status_args);
  }
  return RunVerifyCommand(global, verify_args);
}

}  // namespace cordon::cli
