#include "cli/account_runners.h"

#include <algorithm>

#include "core/log.h"
#include "providers/aws/endpoints.h"
#include "transport/curl_transport.h"

namespace cordon::cli {

std::vector<std::string> AssumedRoleArns(const std::string& role_template,
                                         const std::vector<std::string>& accounts) {
  std::vector<std::string> arns;
  if (role_template.empty()) {
    return arns;
  }
  for (const auto& account : accounts) {
    arns.push_back(RoleArnForAccount(role_template, account));
  }
  return arns;
}

std::vector<std::string> OtherAccounts(const planning::Plan& plan,
                                       const std::string& caller_account) {
  std::set<std::string> accounts;
  for (const auto& planned : plan.targets) {
    const std::string& account = planned.target.account;
    if (!account.empty() && account != caller_account) {
      accounts.insert(account);
    }
  }
  return {accounts.begin(), accounts.end()};
}

AccountRunners::AccountRunners(AwsSession& session, const aws::CallerIdentity& caller,
                               const planning::Plan& plan, const execution::RunContext& context,
                               const AccountRunnerOptions& options, journal::Journal* journal,
                               journal::EvidenceStore* evidence, const Clock& clock,
                               const std::set<std::string>& completed)
    : plan_(plan),
      session_(session),
      caller_account_(caller.account),
      env_(aws::ProcessEnvironment()),
      http_(transport::MakeCurlTransport()) {
  const std::vector<std::string> others = OtherAccounts(plan, caller.account);
  std::vector<std::string> all_accounts = others;
  all_accounts.push_back(caller.account);
  // The role cordon reaches other accounts through is never contained, in any account.
  std::vector<std::string> protect = options.protected_principals;
  for (const auto& arn : AssumedRoleArns(options.assume_role, all_accounts)) {
    protect.push_back(arn);
  }

  home_ = std::make_unique<execution::AwsStepRunner>(
      [&session](const std::string& r) -> aws::AwsApi& { return session.For(r); }, plan, context,
      execution::AwsGuards{caller, session.credentials().access_key_id, protect,
                           options.responders},
      journal, evidence, clock, completed);
  contexts_[caller.account] = context;
  home_activity_ = std::make_unique<execution::ActivityExporter>(contexts_[caller.account], journal,
                                                                 evidence, clock, completed);
  if (options.assume_role.empty() || others.empty()) {
    return;
  }

  cross_ = std::make_unique<CrossAccountSession>(session.For(""), options.assume_role,
                                                 options.external_id, context.case_id,
                                                 session.For("").Region(), clock);
  for (const auto& account : others) {
    const std::string role_arn = RoleArnForAccount(options.assume_role, account);
    auto identity = cross_->Identify(account);
    nlohmann::json detail = {
        {"account", account}, {"role_arn", role_arn}, {"outcome", identity ? "ok" : "failed"}};
    if (identity) {
      detail["assumed_arn"] = identity->arn;
    } else {
      failures_[account] = identity.error().Describe();
      detail["error"] = failures_[account];
    }
    log::Info(
        "sts.assume_role",
        {{"case", context.case_id}, {"account", account}, {"outcome", identity ? "ok" : "failed"}});
    if (journal != nullptr) {
      journal::Record note;
      note.actor = caller.arn;
      note.kind = journal::RecordKind::kNote;
      note.operation = "sts.assume_role";
      note.detail = detail;
      (void)journal->Append(std::move(note));
    }
    if (!identity) {
      continue;
    }
    execution::RunContext& account_context = contexts_[account];
    account_context = context;
    account_context.actor = identity->arn;
    other_activity_[account] = std::make_unique<execution::ActivityExporter>(
        account_context, journal, evidence, clock, completed);
    CrossAccountSession* cross = cross_.get();
    others_[account] = std::make_unique<execution::AwsStepRunner>(
        [cross, account](const std::string& r) -> aws::AwsApi& { return cross->For(account, r); },
        plan, account_context,
        execution::AwsGuards{*identity, cross->AccessKeyId(account), protect, options.responders},
        journal, evidence, clock, completed);
  }
}

aws::AwsApi& AccountRunners::ActivityApi(const std::string& account, const std::string& region) {
  const std::string key = region.empty() ? session_.For("").Region() : region;
  const bool home = account.empty() || account == caller_account_;
  aws::AwsApi* inner = nullptr;
  if (!home) {
    inner = &cross_->For(account, key, execution::ActivityRetryPolicy());
  }
  std::lock_guard lock(mutex_);
  if (home) {
    auto& slot = home_activity_apis_[key];
    if (!slot) {
      slot = std::make_unique<aws::AwsApiClient>(*http_, session_.credentials(), key,
                                                 aws::EndpointResolver(env_),
                                                 execution::ActivityRetryPolicy());
    }
    inner = slot.get();
  }
  auto& paced = paced_[{home ? caller_account_ : account, key}];
  if (!paced) {
    paced = std::make_unique<execution::PacedApi>(*inner, execution::PacedApi::kLookupInterval);
  }
  return *paced;
}

execution::StepResult AccountRunners::Run(const planning::Step& step) {
  const planning::Target* target = nullptr;
  for (const auto& planned : plan_.targets) {
    if (planned.target.Key() == step.target) {
      target = &planned.target;
      break;
    }
  }
  const std::string account = target == nullptr ? "" : target->account;
  if (auto failed = failures_.find(account); failed != failures_.end()) {
    return {
        execution::Outcome::kFailed, "account " + account + " not reached: " + failed->second, {}};
  }
  const bool other = others_.count(account) != 0;
  if (step.action != "cloudtrail.export_activity" || target == nullptr) {
    return other ? others_.at(account)->Run(step) : home_->Run(step);
  }

  execution::StepResult result;
  if (other) {
    result = other_activity_.at(account)->Run(step, *target, ActivityApi(account, target->region));
  } else if (!account.empty() && account != caller_account_) {
    result = {execution::Outcome::kRefused,
              "refused: " + step.target + " is in account " + account +
                  ", but cordon's credentials are for account " + caller_account_ +
                  " (pass --assume-role to reach it)",
              {}};
  } else {
    result = home_activity_->Run(step, *target, ActivityApi(account, target->region));
  }
  log::Info("step.finished", {{"case", contexts_.at(caller_account_).case_id},
                              {"step", step.id},
                              {"outcome", execution::OutcomeName(result.outcome)},
                              {"message", result.message}});
  return result;
}

}  // namespace cordon::cli
