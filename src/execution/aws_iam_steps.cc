// The IAM user, access key and role steps of the AWS playbooks.
#include <algorithm>

#include "execution/aws_json.h"
#include "execution/aws_runner.h"
#include "planning/planner.h"

namespace cordon::execution {

using nlohmann::json;

StepResult AwsStepRunner::CaptureUser(const planning::Step& step, StepRecorder& recorder) {
  (void)recorder;
  const planning::Target* target = FindTarget(step.target);
  if (target == nullptr) {
    return {Outcome::kFailed, "target " + step.target + " is not in the plan", {}};
  }

  // An access key names its owner only indirectly; ask IAM who owns it.
  std::string user_name = target->id;
  if (target->kind == planning::TargetKind::kAwsAccessKey) {
    if (target->id == guards_.caller_access_key_id) {
      CapturedTarget refused;
      refused.refused = true;
      refused.refusal =
          "refused: access key " + target->id + " is the key cordon itself signs with";
      SetCaptured(step.target, refused);
      return {Outcome::kRefused, refused.refusal, {}};
    }
    user_name = target->owner;
    if (user_name.empty()) {
      auto owner = iam_.GetAccessKeyLastUsed(target->id);
      if (!owner) {
        // Like a missing user or instance: an access key IAM does not know is a failure.
        const bool absent = owner.error().kind == ErrorKind::kNotFound;
        return {absent ? Outcome::kFailed : Outcome::kUnknown,
                "could not look up the owner of access key " + target->id + ": " +
                    owner.error().Describe(),
                {}};
      }
      user_name = owner->user_name;
    }
  }

  auto user = iam_.GetUser(user_name);
  if (!user) {
    const bool absent = user.error().kind == ErrorKind::kNotFound;
    return {absent ? Outcome::kFailed : Outcome::kUnknown,
            "could not read IAM user " + user_name + ": " + user.error().Describe(),
            {}};
  }
  auto keys = iam_.ListAccessKeys(user_name);
  auto inline_names = iam_.ListUserPolicies(user_name);
  auto attached = iam_.ListAttachedUserPolicies(user_name);
  auto groups = iam_.ListGroupsForUser(user_name);
  auto login = iam_.GetLoginProfile(user_name);
  auto mfa = iam_.ListMfaDevices(user_name);
  for (const Error* error :
       {keys ? nullptr : &keys.error(), inline_names ? nullptr : &inline_names.error(),
        attached ? nullptr : &attached.error(), groups ? nullptr : &groups.error(),
        login ? nullptr : &login.error(), mfa ? nullptr : &mfa.error()}) {
    if (error != nullptr) {
      return {Outcome::kUnknown,
              "capture of IAM user " + user_name + " incomplete: " + error->Describe(),
              {}};
    }
  }
  json inline_policies = json::array();
  for (const auto& name : *inline_names) {
    auto policy = iam_.GetUserPolicy(user_name, name);
    if (!policy) {
      return {Outcome::kUnknown,
              "capture of IAM user " + user_name + " incomplete: " + policy.error().Describe(),
              {}};
    }
    inline_policies.push_back(
        {{"policy_name", name}, {"document", PolicyJson(policy->policy_document)}});
  }

  json evidence = {{"user", ToJson(*user)}, {"inline_policies", inline_policies}};
  for (const auto& key : *keys) {
    evidence["access_keys"].push_back(ToJson(key));
  }
  for (const auto& policy : *attached) {
    evidence["attached_policies"].push_back(
        {{"policy_name", policy.policy_name}, {"policy_arn", policy.policy_arn}});
  }
  for (const auto& group : *groups) {
    evidence["groups"].push_back({{"group_name", group.group_name}, {"arn", group.arn}});
  }
  evidence["login_profile"] =
      *login ? json{{"create_date", (*login)->create_date},
                    {"password_reset_required", (*login)->password_reset_required}}
             : json(nullptr);
  for (const auto& device : *mfa) {
    evidence["mfa_devices"].push_back(
        {{"serial_number", device.serial_number}, {"enable_date", device.enable_date}});
  }

  CapturedTarget captured;
  captured.user_name = user_name;
  captured.user_arn = user->arn;
  captured.access_keys = *keys;
  captured.inline_policies = *inline_names;
  captured.tags = user->tags;
  // A temporary key (ASIA…) is never listed among a user's keys: it was minted from one of
  // them, and the deny-all policy is what bounds it. A long-term key must be the user's own.
  const bool temporary_key = target->id.rfind("ASIA", 0) == 0;
  if (target->kind == planning::TargetKind::kAwsAccessKey && !temporary_key &&
      std::none_of(keys->begin(), keys->end(),
                   [&](const auto& k) { return k.access_key_id == target->id; })) {
    return {Outcome::kUnknown,
            "access key " + target->id + " is not among the keys of " + user_name,
            {}};
  }
  captured.refusal = GuardPrincipal(user->arn, user_name);
  captured.refused = !captured.refusal.empty();
  SetCaptured(step.target, captured);

  if (auto stored = StoreEvidence(step, "iam-user-" + user_name + ".json", evidence); !stored) {
    return {Outcome::kFailed, "could not store evidence: " + stored.error().Describe(), {}};
  }
  if (captured.refused) {
    return {Outcome::kRefused, captured.refusal, {{"user", user_name}}};
  }
  return {Outcome::kOk,
          "captured IAM user " + user_name + " (" + std::to_string(keys->size()) +
              " access keys, " + std::to_string(inline_names->size()) + " inline policies)",
          {{"user", user_name}, {"arn", user->arn}}};
}

StepResult AwsStepRunner::DeactivateKeys(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const bool delete_keys = step.params.value("delete", false);
  int changed = 0;
  int already = 0;
  json keys = json::array();
  for (const auto& key : captured.access_keys) {
    const json prior = {{"access_key_id", key.access_key_id}, {"status", key.status}};
    if (!delete_keys && key.status == "Inactive") {
      ++already;
      continue;
    }
    Result<aws::MutationResult> done =
        delete_keys
            ? recorder.Mutate(
                  "iam:DeleteAccessKey",
                  {{"UserName", captured.user_name}, {"AccessKeyId", key.access_key_id}}, prior,
                  [&] { return iam_.DeleteAccessKey(captured.user_name, key.access_key_id); })
            : recorder.Mutate("iam:UpdateAccessKey",
                              {{"UserName", captured.user_name},
                               {"AccessKeyId", key.access_key_id},
                               {"Status", "Inactive"}},
                              prior, [&] {
                                return iam_.UpdateAccessKey(captured.user_name, key.access_key_id,
                                                            aws::AccessKeyStatus::kInactive);
                              });
    if (!done) {
      return {Outcome::kFailed,
              std::string(delete_keys ? "DeleteAccessKey " : "UpdateAccessKey ") +
                  key.access_key_id + ": " + done.error().Describe(),
              {{"keys", keys}}};
    }
    ++changed;
    keys.push_back({{"access_key_id", key.access_key_id}, {"request_id", done->request_id}});
  }
  return {Outcome::kOk,
          std::to_string(changed) + " access key(s) " + (delete_keys ? "deleted" : "deactivated") +
              (already ? ", " + std::to_string(already) + " already inactive" : ""),
          {{"keys", keys}}};
}

StepResult AwsStepRunner::PutUserDenyPolicy(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string policy_name =
      step.params.value("policy_name", planning::DenyPolicyName(context_.case_id));
  const json policy = {
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Sid", "CordonDenyAll"}, {"Effect", "Deny"}, {"Action", "*"}, {"Resource", "*"}}}}};

  json prior = {{"policy_name", policy_name}, {"document", nullptr}};
  if (std::find(captured.inline_policies.begin(), captured.inline_policies.end(), policy_name) !=
      captured.inline_policies.end()) {
    auto existing = iam_.GetUserPolicy(captured.user_name, policy_name);
    if (!existing) {
      return {Outcome::kUnknown,
              "could not read " + policy_name + ": " + existing.error().Describe(),
              {}};
    }
    if (PolicyJson(existing->policy_document) == policy) {
      return {Outcome::kOk, "deny-all policy " + policy_name + " already attached", {}};
    }
    prior["document"] = PolicyJson(existing->policy_document);
  }

  auto put = recorder.Mutate(
      "iam:PutUserPolicy",
      {{"UserName", captured.user_name}, {"PolicyName", policy_name}, {"PolicyDocument", policy}},
      prior, [&] { return iam_.PutUserPolicy(captured.user_name, policy_name, policy.dump()); });
  if (!put) {
    return {Outcome::kFailed, "PutUserPolicy: " + put.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "inline deny-all policy " + policy_name + " attached to " + captured.user_name,
          {{"policy_name", policy_name}, {"request_id", put->request_id}}};
}

StepResult AwsStepRunner::TagUser(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::vector<aws::Tag> tags = {{"IR-Case", context_.case_id}, {"IR-Status", "contained"}};
  json prior = json::object();
  for (const auto& tag : captured.tags) {
    if (tag.key == "IR-Case" || tag.key == "IR-Status") {
      prior[tag.key] = tag.value;
    }
  }
  auto tagged =
      recorder.Mutate("iam:TagUser", {{"UserName", captured.user_name}, {"Tags", ToJson(tags)}},
                      {{"tags", prior}}, [&] { return iam_.TagUser(captured.user_name, tags); });
  if (!tagged) {
    return {Outcome::kFailed, "TagUser: " + tagged.error().Describe(), {}};
  }
  return {Outcome::kOk, "tagged " + captured.user_name + " IR-Case=" + context_.case_id, {}};
}

StepResult AwsStepRunner::CaptureRole(const planning::Step& step, StepRecorder& recorder) {
  (void)recorder;
  const planning::Target* target = FindTarget(step.target);
  if (target == nullptr) {
    return {Outcome::kFailed, "target " + step.target + " is not in the plan", {}};
  }
  auto role = iam_.GetRole(target->id);
  if (!role) {
    const bool absent = role.error().kind == ErrorKind::kNotFound;
    return {absent ? Outcome::kFailed : Outcome::kUnknown,
            "could not read IAM role " + target->id + ": " + role.error().Describe(),
            {}};
  }
  auto inline_names = iam_.ListRolePolicies(target->id);
  auto attached = iam_.ListAttachedRolePolicies(target->id);
  if (!inline_names || !attached) {
    const Error& error = !inline_names ? inline_names.error() : attached.error();
    return {Outcome::kUnknown,
            "capture of IAM role " + target->id + " incomplete: " + error.Describe(),
            {}};
  }
  json evidence = {{"role", ToJson(*role)},
                   {"inline_policies", json::array()},
                   {"attached_policies", json::array()}};
  for (const auto& name : *inline_names) {
    auto policy = iam_.GetRolePolicy(target->id, name);
    if (!policy) {
      return {Outcome::kUnknown,
              "capture of IAM role " + target->id + " incomplete: " + policy.error().Describe(),
              {}};
    }
    evidence["inline_policies"].push_back(
        {{"policy_name", name}, {"document", PolicyJson(policy->policy_document)}});
  }
  for (const auto& policy : *attached) {
    evidence["attached_policies"].push_back(
        {{"policy_name", policy.policy_name}, {"policy_arn", policy.policy_arn}});
  }

  CapturedTarget captured;
  captured.role_name = role->role_name;
  captured.trust_policy = role->assume_role_policy_document;
  captured.inline_policies = *inline_names;
  captured.refusal = GuardPrincipal(role->arn, role->role_name);
  captured.refused = !captured.refusal.empty();
  SetCaptured(step.target, captured);
  if (auto stored = StoreEvidence(step, "iam-role-" + role->role_name + ".json", evidence);
      !stored) {
    return {Outcome::kFailed, "could not store evidence: " + stored.error().Describe(), {}};
  }
  if (captured.refused) {
    return {Outcome::kRefused, captured.refusal, {{"role", role->role_name}}};
  }
  return {Outcome::kOk, "captured IAM role " + role->role_name, {{"arn", role->arn}}};
}

StepResult AwsStepRunner::RevokeRoleSessions(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  return DenyOlderSessions(
      captured.role_name,
      step.params.value("policy_name", planning::RevokeSessionsPolicyName(context_.case_id)),
      recorder);
}

StepResult AwsStepRunner::DenyTrustPolicy(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  // Principal "*" covers every account, service and federated identity. IAM rejects a trust
  // policy with an empty Statement list, so the Deny is the one statement.
  const json policy = {
      {"Version", "2012-10-17"},
      {"Statement",
       {{{"Sid", "CordonDenyEveryone"},
         {"Effect", "Deny"},
         {"Principal", "*"},
         {"Action",
          {"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
           "sts:TagSession", "sts:SetSourceIdentity"}}}}}};
  const json current = PolicyJson(captured.trust_policy);
  if (current == policy) {
    return {Outcome::kOk, "trust policy of " + captured.role_name + " already denies everyone", {}};
  }
  auto updated = recorder.Mutate(
      "iam:UpdateAssumeRolePolicy", {{"RoleName", captured.role_name}, {"PolicyDocument", policy}},
      {{"document", current}},
      [&] { return iam_.UpdateAssumeRolePolicy(captured.role_name, policy.dump()); });
  if (!updated) {
    return {Outcome::kFailed, "UpdateAssumeRolePolicy: " + updated.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "trust policy of " + captured.role_name + " denies every principal (original saved)",
          {{"request_id", updated->request_id}}};
}

}  // namespace cordon::execution
