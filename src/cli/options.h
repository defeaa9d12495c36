// Parsed command-line options, as plain data handed from the parser to the commands.
#pragma once

#include <string>
#include <vector>

namespace cordon::cli {

enum class OutputFormat { kText, kJson };

struct GlobalOptions {
  std::string home;  // --home, else $CORDON_HOME, else $XDG_DATA_HOME/cordon
  std::string config;
  int concurrency = 0;  // 0: from the configuration (default 16)
  std::string log_level = "warn";
  bool no_color = false;
  bool quiet = false;
  bool verbose = false;
  OutputFormat output = OutputFormat::kText;
};

// Options of plan and apply.
struct PlanArgs {
  std::string case_id;
  std::vector<std::string> targets;
  std::vector<std::string> findings;
  std::string plan_file;  // apply --plan
  std::string out;        // plan --out
  std::string region;
  std::string account;
  std::vector<std::string> responders;
  std::string assume_role;  // role ARN template with {account}, for targets in other accounts
  std::string external_id;
  std::string since;            // CloudTrail activity window start: RFC 3339, a duration, or "off"
  std::string evidence_bucket;  // overrides the configuration's
  int evidence_retention_days = 0;  // 0: the configuration's
  bool object_lock_compliance = false;
  bool yes = false;
  bool dry_run = false;
  bool delete_keys = false;
  bool contain_first = false;
  bool include_samples = false;
  std::string memory_capture_command;  // "" : the configuration's, if any
  int memory_capture_timeout = 1800;
};

// Options of release.
struct ReleaseArgs {
  std::string case_id;
  std::vector<std::string> steps;
  std::string region;
  std::string assume_role;  // as for apply: reaches the changes made in other accounts
  std::string external_id;
  bool yes = false;
  bool dry_run = false;
};

struct CaseArgs {
  std::string case_id;
};

}  // namespace cordon::cli
