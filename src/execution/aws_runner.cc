#include "execution/aws_runner.h"

#include <algorithm>

#include "core/log.h"
#include "execution/aws_json.h"

namespace cordon::execution {
namespace {

// The role name in an assumed-role session ARN (arn:aws:sts::A:assumed-role/ROLE/SESSION), or "".
std::string AssumedRoleName(const std::string& arn) {
  const std::string marker = ":assumed-role/";
  auto at = arn.find(marker);
  if (at == std::string::npos) {
    return "";
  }
  auto start = at + marker.size();
  auto end = arn.find('/', start);
  return arn.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The last path segment of an IAM ARN (user/path/NAME → NAME).
std::string ArnName(const std::string& arn) {
  auto slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

}  // namespace

AwsStepRunner::AwsStepRunner(AwsApiSource apis, const planning::Plan& plan, RunContext context,
                             AwsGuards guards, journal::Journal* journal,
                             journal::EvidenceStore* evidence, const Clock& clock,
                             std::set<std::string> completed)
    : apis_(std::move(apis)),
      iam_(apis_("")),
      plan_(plan),
      context_(std::move(context)),
      guards_(std::move(guards)),
      journal_(journal),
      evidence_(evidence),
      clock_(clock),
      completed_(std::move(completed)) {}

StepResult AwsStepRunner::Run(const planning::Step& step) {
  using Handler = StepResult (AwsStepRunner::*)(const planning::Step&, StepRecorder&);
  static const std::map<std::string, Handler> kHandlers = {
      {"iam.capture_user", &AwsStepRunner::CaptureUser},
      {"iam.deactivate_access_keys", &AwsStepRunner::DeactivateKeys},
      {"iam.put_user_deny_policy", &AwsStepRunner::PutUserDenyPolicy},
      {"iam.tag_user", &AwsStepRunner::TagUser},
      {"iam.capture_role", &AwsStepRunner::CaptureRole},
      {"iam.revoke_role_sessions", &AwsStepRunner::RevokeRoleSessions},
      {"iam.deny_trust_policy", &AwsStepRunner::DenyTrustPolicy},
      {"ec2.capture_instance", &AwsStepRunner::CaptureInstance},
      {"ec2.protect_instance", &AwsStepRunner::ProtectInstance},
      {"ec2.snapshot_volumes", &AwsStepRunner::SnapshotVolumes},
      {"ec2.ensure_quarantine_group", &AwsStepRunner::EnsureQuarantineGroup},
      {"ec2.isolate_interfaces", &AwsStepRunner::IsolateInterfaces},
      {"ec2.revoke_instance_role_sessions", &AwsStepRunner::RevokeInstanceRoleSessions},
      {"ec2.tag_instance", &AwsStepRunner::TagInstance},
      {"autoscaling.leave_group", &AwsStepRunner::LeaveAutoScaling},
      {"elbv2.deregister_targets", &AwsStepRunner::DeregisterTargets},
      {"ec2.ensure_untrack_group", &AwsStepRunner::EnsureUntrackGroup},
      {"ec2.disassociate_addresses", &AwsStepRunner::DisassociateAddresses},
      {"ec2.disassociate_instance_profile", &AwsStepRunner::DisassociateInstanceProfile},
      {"ssm.capture_memory", &AwsStepRunner::CaptureMemory},
      {"s3.capture_bucket", &AwsStepRunner::CaptureBucket},
      {"s3.enable_versioning", &AwsStepRunner::EnableVersioning},
      {"s3.block_public_access", &AwsStepRunner::BlockPublicAccess},
      {"s3.deny_bucket_policy", &AwsStepRunner::DenyBucketPolicy},
      {"s3.tag_bucket", &AwsStepRunner::TagBucket},
      {"lambda.capture_function", &AwsStepRunner::CaptureFunction},
      {"lambda.stop_invocations", &AwsStepRunner::StopInvocations},
      {"lambda.disable_event_source_mappings", &AwsStepRunner::DisableEventSourceMappings},
      {"lambda.revoke_execution_role_sessions", &AwsStepRunner::RevokeExecutionRoleSessions},
  };
  auto it = kHandlers.find(step.action);
  if (it == kHandlers.end()) {
    return {Outcome::kFailed, "no handler for action " + step.action, {}};
  }

  // Credentials reach one account; a same-named resource there is not the one asked for.
  const planning::Target* target = FindTarget(step.target);
  if (target != nullptr && !target->account.empty() && !guards_.caller.account.empty() &&
      target->account != guards_.caller.account) {
    return {Outcome::kRefused,
            "refused: " + step.target + " is in account " + target->account +
                ", but cordon's credentials are for account " + guards_.caller.account,
            {}};
  }

  StepRecorder recorder(step, context_, journal_);
  StepResult result = (this->*(it->second))(step, recorder);
  if (context_.dry_run && step.mutating && result.outcome == Outcome::kOk) {
    // Say what would be done, not what a real run would have reported.
    result.outcome = Outcome::kPlanned;
    const size_t calls = recorder.planned_calls().size();
    result.message = calls == 0 ? "nothing to change: " + result.message
                                : "would make " + std::to_string(calls) + " call(s)";
  }
  if (context_.dry_run && !recorder.planned_calls().empty()) {
    result.detail["calls"] = recorder.planned_calls();
  }
  log::Info("step.finished", {{"case", context_.case_id},
                              {"step", step.id},
                              {"outcome", OutcomeName(result.outcome)},
                              {"message", result.message}});
  return result;
}

std::string AwsStepRunner::GuardPrincipal(const std::string& arn, const std::string& name) const {
  const std::string& caller = guards_.caller.arn;
  if (!arn.empty() && arn == caller) {
    return "refused: " + arn + " is the identity cordon itself runs as (" + caller + ")";
  }
  const std::string caller_role = AssumedRoleName(caller);
  if (!caller_role.empty() && arn.find(":role/") != std::string::npos &&
      ArnName(arn) == caller_role) {
    return "refused: cordon runs as a session of role " + caller_role +
           "; containing it would lock the responder out";
  }
  const bool is_role = arn.find(":role/") != std::string::npos;
  for (const auto& entry : guards_.protected_principals) {
    // A responder named by its session ARN protects its role.
    const std::string entry_role = AssumedRoleName(entry);
    if ((!arn.empty() && entry == arn) || (!name.empty() && entry == name) ||
        (is_role && !entry_role.empty() && entry_role == ArnName(arn))) {
      return "refused: " + (arn.empty() ? name : arn) +
             " is a responder or a protected principal in the configuration";
    }
  }
  return "";
}

Status AwsStepRunner::StoreEvidence(const planning::Step& step, const std::string& name,
                                    const nlohmann::json& content) {
  if (context_.dry_run || evidence_ == nullptr || completed_.count(step.id) != 0) {
    return {};
  }
  auto entry = evidence_->Put(journal::EvidenceFileName(name), content.dump(2) + "\n");
  if (!entry) {
    return tl::unexpected(entry.error());
  }
  journal::Record record;
  record.actor = context_.actor;
  record.step_id = step.id;
  record.kind = journal::RecordKind::kEvidence;
  record.target = step.target;
  record.operation = "evidence.store";
  record.detail = {{"file", entry->name}, {"sha256", entry->sha256}, {"size", entry->size}};
  auto appended = journal_->Append(std::move(record));
  if (!appended) {
    return tl::unexpected(appended.error());
  }
  return {};
}

CapturedTarget AwsStepRunner::Captured(const std::string& target_key) {
  std::lock_guard lock(mutex_);
  return captured_[target_key];
}

void AwsStepRunner::SetCaptured(const std::string& target_key, CapturedTarget captured) {
  std::lock_guard lock(mutex_);
  captured_[target_key] = std::move(captured);
}

aws::Ec2Client AwsStepRunner::Ec2For(const planning::Step& step) {
  const planning::Target* target = FindTarget(step.target);
  return aws::Ec2Client(apis_(target == nullptr ? "" : target->region));
}

void AwsStepRunner::UpdateCaptured(const std::string& target_key,
                                   const std::function<void(CapturedTarget&)>& change) {
  std::lock_guard lock(mutex_);
  change(captured_[target_key]);
}

aws::AwsApi& AwsStepRunner::ApiFor(const planning::Step& step) {
  const planning::Target* target = FindTarget(step.target);
  return apis_(target == nullptr ? "" : target->region);
}

std::shared_ptr<std::mutex> AwsStepRunner::GroupLock(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto& slot = group_locks_[key];
  if (!slot) {
    slot = std::make_shared<std::mutex>();
  }
  return slot;
}

const planning::Target* AwsStepRunner::FindTarget(const std::string& key) const {
  for (const auto& planned : plan_.targets) {
    if (planned.target.Key() == key) {
      return &planned.target;
    }
  }
  return nullptr;
}

StepResult AwsStepRunner::DenyOlderSessions(const std::string& role_name,
                                            const std::string& policy_name,
                                            StepRecorder& recorder) {
  // IAM compares whole seconds; "YYYY-MM-DDTHH:MM:SSZ" is the form its examples use.
  std::string cutoff = FormatRfc3339Millis(clock_.Now());
  cutoff = cutoff.substr(0, 19) + "Z";
  const nlohmann::json policy = {
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Sid", "CordonRevokeOlderSessions"},
         {"Effect", "Deny"},
         {"Action", "*"},
         {"Resource", "*"},
         {"Condition", {{"DateLessThan", {{"aws:TokenIssueTime", cutoff}}}}}}}}};

  // The prior state is the policy of the same name, if any (release restores or deletes it).
  nlohmann::json prior = nullptr;
  auto existing = iam_.GetRolePolicy(role_name, policy_name);
  if (existing) {
    prior = {{"policy_name", policy_name}, {"document", PolicyJson(existing->policy_document)}};
  } else if (existing.error().kind != ErrorKind::kNotFound) {
    return {Outcome::kUnknown, "could not read role policy: " + existing.error().Describe(), {}};
  } else {
    prior = {{"policy_name", policy_name}, {"document", nullptr}};
  }

  auto put = recorder.Mutate(
      "iam:PutRolePolicy",
      {{"RoleName", role_name}, {"PolicyName", policy_name}, {"PolicyDocument", policy}}, prior,
      [&] { return iam_.PutRolePolicy(role_name, policy_name, policy.dump()); });
  if (!put) {
    return {Outcome::kFailed, "PutRolePolicy on " + role_name + ": " + put.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "sessions of role " + role_name + " issued before " + cutoff + " are denied",
          {{"role", role_name}, {"cutoff", cutoff}, {"request_id", put->request_id}}};
}

}  // namespace cordon::execution
