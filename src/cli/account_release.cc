#include "cli/account_release.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "cli/assume_role.h"

namespace cordon::cli {
namespace {

// The options that select only the steps of targets in `account` among those `options` selects.
execution::ReleaseOptions ForAccount(const planning::Plan& plan, const std::string& account,
                                     const std::string& caller_account,
                                     const execution::ReleaseOptions& options) {
  std::map<std::string, std::string> account_of;
  for (const auto& planned : plan.targets) {
    account_of[planned.target.Key()] =
        planned.target.account.empty() ? caller_account : planned.target.account;
  }
  execution::ReleaseOptions selected = options;
  selected.steps.clear();
  for (const auto& step : plan.steps) {
    const bool chosen = options.steps.empty() || options.steps.count(step.id) != 0;
    if (chosen && account_of[step.target] == account) {
      selected.steps.insert(step.id);
    }
  }
  return selected;
}

// Every change of `selected` reported as failed with `why`.
std::vector<execution::ReleaseItem> NotReached(const std::vector<journal::Record>& records,
                                               const execution::ReleaseOptions& selected,
                                               const std::string& why) {
  std::vector<execution::ReleaseItem> items;
  for (const auto& change : execution::ReleasableChanges(records, selected)) {
    execution::ReleaseItem item;
    item.seq = change.seq;
    item.step_id = change.step_id;
    item.target = change.target;
    item.operation = change.operation;
    item.status = execution::ReleaseStatus::kFailed;
    item.message = why;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::vector<execution::ReleaseItem> ReleaseAcrossAccounts(
    AwsSession& session, const aws::CallerIdentity& caller, const planning::Plan& plan,
    const execution::RunContext& context, journal::Journal* writer,
    const std::vector<journal::Record>& records, const execution::ReleaseOptions& options,
    const std::string& assume_role, const std::string& external_id) {
  std::set<std::string> accounts = {caller.account};
  for (const auto& planned : plan.targets) {
    if (!planned.target.account.empty()) {
      accounts.insert(planned.target.account);
    }
  }

  std::vector<execution::ReleaseItem> items;
  std::unique_ptr<CrossAccountSession> cross;
  for (const auto& account : accounts) {
    const execution::ReleaseOptions selected = ForAccount(plan, account, caller.account, options);
    if (selected.steps.empty()) {
      continue;  // an empty set would select every step
    }
    std::vector<execution::ReleaseItem> done;
    if (account == caller.account) {
      execution::AwsReleaser releaser(
          [&session](const std::string& r) -> aws::AwsApi& { return session.For(r); }, plan,
          context, writer);
      done = releaser.Release(records, selected);
    } else if (assume_role.empty()) {
      done = NotReached(records, selected,
                        "in account " + account +
                            ", which cordon's credentials do not reach: pass --assume-role");
    } else {
      if (!cross) {
        cross = std::make_unique<CrossAccountSession>(session.For(""), assume_role, external_id,
                                                      context.case_id, session.For("").Region());
      }
      auto identity = cross->Identify(account);
      if (!identity) {
        done = NotReached(records, selected, identity.error().Describe());
      } else {
        execution::RunContext account_context = context;
        account_context.actor = identity->arn;
        CrossAccountSession* reach = cross.get();
        execution::AwsReleaser releaser(
            [reach, account](const std::string& r) -> aws::AwsApi& {
              return reach->For(account, r);
            },
            plan, account_context, writer);
        done = releaser.Release(records, selected);
      }
    }
    items.insert(items.end(), done.begin(), done.end());
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.seq > b.seq; });
  return items;
}

}  // namespace cordon::cli
