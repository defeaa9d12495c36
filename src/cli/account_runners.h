// One AWS step runner per account a plan reaches: the caller's own account with the caller's
// credentials, and, with --assume-role, every other account through the assumed role. Targets in
// another account without --assume-role go to the caller's runner, which refuses them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cli/assume_role.h"
#include "cli/aws_session.h"
#include "core/clock.h"
#include "execution/aws_activity.h"
#include "execution/aws_runner.h"
#include "journal/evidence.h"
#include "journal/journal.h"
#include "planning/plan.h"

namespace cordon::cli {

// What the runners share. `protected_principals` already holds responders and the configured
// protected principals.
struct AccountRunnerOptions {
  std::string assume_role;  // role ARN template, or "" for the caller's account only
  std::string external_id;
  std::vector<std::string> protected_principals;
  std::vector<std::string> responders;  // exempted by deny policies (aws:PrincipalArn)
};

// Thread-safe: Run may be called from every executor thread.
class AccountRunners {
 public:
  // Assumes the role in every other account of `plan` (when options.assume_role is set) and
  // asks who cordon is there. An account whose role cannot be assumed gets no runner: its steps
  // fail with that error. Each assumption is journaled as a note (never with credentials) when
  // `journal` is set. Every pointer and reference must outlive this object.
  AccountRunners(AwsSession& session, const aws::CallerIdentity& caller, const planning::Plan& plan,
                 const execution::RunContext& context, const AccountRunnerOptions& options,
                 journal::Journal* journal, journal::EvidenceStore* evidence, const Clock& clock,
                 const std::set<std::string>& completed);

  // Runs `step` with the runner of its target's account (CloudTrail activity steps with the
  // activity exporter and its short retry policy).
  execution::StepResult Run(const planning::Step& step);

 private:
  // The API for activity lookups in `account` (the caller's or one reached through the role)
  // and `region`: short retries, paced per account and region.
  aws::AwsApi& ActivityApi(const std::string& account, const std::string& region);

  const planning::Plan& plan_;
  AwsSession& session_;
  const std::string caller_account_;
  const aws::Environment env_;
  std::unique_ptr<transport::HttpTransport> http_;
  std::mutex mutex_;  // guards home_activity_apis_ and paced_
  std::map<std::string, std::unique_ptr<aws::AwsApiClient>> home_activity_apis_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<execution::PacedApi>> paced_;
  std::unique_ptr<execution::ActivityExporter> home_activity_;
  std::map<std::string, std::unique_ptr<execution::ActivityExporter>> other_activity_;
  std::map<std::string, execution::RunContext> contexts_;  // account → its context
  std::unique_ptr<CrossAccountSession> cross_;
  std::unique_ptr<execution::AwsStepRunner> home_;
  std::map<std::string, std::unique_ptr<execution::AwsStepRunner>> others_;
  std::map<std::string, std::string> failures_;  // account → why its role was not assumed
};

// The role ARNs the template names in `accounts` (never contained: they are how cordon and the
// responders reach those accounts).
std::vector<std::string> AssumedRoleArns(const std::string& role_template,
                                         const std::vector<std::string>& accounts);

// Every account of `plan`'s targets other than `caller_account`, sorted.
std::vector<std::string> OtherAccounts(const planning::Plan& plan,
                                       const std::string& caller_account);

}  // namespace cordon::cli
