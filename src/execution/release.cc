#include "execution/release.h"

#include <algorithm>
#include <map>

#include "core/log.h"
#include "execution/aws_json.h"
#include "providers/aws/ec2_client.h"
#include "providers/aws/iam_client.h"

namespace cordon::execution {
namespace {

using nlohmann::json;

constexpr std::string_view kReleasePrefix = "release/";

bool IsApiOperation(const journal::Record& record) {
  // API calls are "service:Action"; step-level records carry the step's action ("iam.x").
  return record.operation.find(':') != std::string::npos;
}

bool IsReleaseRecord(const journal::Record& record) {
  return record.step_id.rfind(kReleasePrefix, 0) == 0;
}

// Seqs of changes an earlier release restored: its result records that ended ok.
std::set<std::int64_t> ReleasedSeqs(const std::vector<journal::Record>& records) {
  std::set<std::int64_t> released;
  for (const auto& record : records) {
    if (record.kind != journal::RecordKind::kResult || !IsReleaseRecord(record) ||
        record.outcome != journal::kOutcomeOk) {
      continue;
    }
    const std::string seq = record.step_id.substr(kReleasePrefix.size());
    released.insert(std::stoll(seq));
  }
  return released;
}

json ParsedOrNull(const std::string& text) {
  if (text.empty()) {
    return nullptr;
  }
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(nullptr) : parsed;
}

const std::vector<aws::Tag> kReleasedTags = {{"IR-Status", "released"}};

}  // namespace

const char* ReleaseStatusName(ReleaseStatus status) {
  switch (status) {
    case ReleaseStatus::kUndone:
      return "undone";
    case ReleaseStatus::kAlready:
      return "already_released";
    case ReleaseStatus::kKept:
      return "kept";
    case ReleaseStatus::kIrreversible:
      return "irreversible";
    case ReleaseStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::vector<journal::Record> ReleasableChanges(const std::vector<journal::Record>& records,
                                               const ReleaseOptions& options) {
  std::vector<journal::Record> changes;
  for (size_t i = 0; i < records.size(); ++i) {
    const journal::Record& intent = records[i];
    if (intent.kind != journal::RecordKind::kIntent || !IsApiOperation(intent) ||
        IsReleaseRecord(intent)) {
      continue;
    }
    if (!options.steps.empty() && options.steps.count(intent.step_id) == 0) {
      continue;
    }
    // A call that failed changed nothing. A call without a result (the run was killed) may have
    // happened, and undoing it restores a state that then already holds, so it is included.
    bool failed = false;
    for (size_t j = i + 1; j < records.size(); ++j) {
      const journal::Record& result = records[j];
      if (result.kind == journal::RecordKind::kResult && result.step_id == intent.step_id &&
          result.operation == intent.operation && result.request_digest == intent.request_digest) {
        failed = result.outcome != journal::kOutcomeOk;
        break;
      }
    }
    if (!failed) {
      changes.push_back(intent);
    }
  }
  std::sort(changes.begin(), changes.end(),
            [](const journal::Record& a, const journal::Record& b) { return a.seq > b.seq; });
  return changes;
}

std::set<std::string> ReleasedSteps(const std::vector<journal::Record>& records) {
  std::map<std::int64_t, std::string> intent_step;
  std::set<std::string> released;
  for (const auto& record : records) {
    if (record.step_id.empty() || (record.kind != journal::RecordKind::kIntent &&
                                   record.kind != journal::RecordKind::kResult)) {
      continue;
    }
    if (!IsReleaseRecord(record)) {
      if (record.kind == journal::RecordKind::kIntent) {
        intent_step[record.seq] = record.step_id;
      } else if (record.outcome == journal::kOutcomeOk) {
        released.erase(record.step_id);  // done again after an earlier release
      }
      continue;
    }
    if (record.kind != journal::RecordKind::kResult || record.outcome != journal::kOutcomeOk) {
      continue;
    }
    auto undone = intent_step.find(std::stoll(record.step_id.substr(kReleasePrefix.size())));
    if (undone != intent_step.end()) {
      released.insert(undone->second);
    }
  }
  return released;
}

AwsReleaser::AwsReleaser(AwsApiSource apis, const planning::Plan& plan, RunContext context,
                         journal::Journal* journal)
    : apis_(std::move(apis)), plan_(plan), context_(std::move(context)), journal_(journal) {}

std::optional<std::string> AwsReleaser::PolicyStillNeeded(const journal::Record& change,
                                                          const std::string& owner,
                                                          const std::string& name) const {
  for (const auto& other : staying_) {
    if (other.seq == change.seq || other.operation != change.operation ||
        !other.detail.is_object()) {
      continue;
    }
    const json request = other.detail.value("request", json::object());
    if (Str(request, "PolicyName") == name &&
        (Str(request, "RoleName") == owner || Str(request, "UserName") == owner)) {
      return other.step_id;
    }
  }
  return std::nullopt;
}

std::vector<ReleaseItem> AwsReleaser::Release(const std::vector<journal::Record>& records,
                                              const ReleaseOptions& options) {
  const std::set<std::int64_t> released = ReleasedSeqs(records);
  // The changes that stay in force after this release: not released before, not selected now.
  std::set<std::int64_t> selected;
  for (const auto& change : ReleasableChanges(records, options)) {
    selected.insert(change.seq);
  }
  staying_.clear();
  for (const auto& change : ReleasableChanges(records, ReleaseOptions{})) {
    if (released.count(change.seq) == 0 && selected.count(change.seq) == 0) {
      staying_.push_back(change);
    }
  }
  std::vector<ReleaseItem> items;
  for (const auto& change : ReleasableChanges(records, options)) {
    if (released.count(change.seq) != 0) {
      items.push_back({change.seq, change.step_id, change.target, change.operation,
                       ReleaseStatus::kAlready, "restored by an earlier release", json::array()});
      continue;
    }
    items.push_back(Undo(change));
    log::Info("release.item", {{"case", context_.case_id},
                               {"step", change.step_id},
                               {"resource", change.target},
                               {"outcome", ReleaseStatusName(items.back().status)}});
  }
  return items;
}

ReleaseItem AwsReleaser::Undo(const journal::Record& change) {
  ReleaseItem item{change.seq, change.step_id, change.target, change.operation,
                   {},         std::string(),  json::array()};
  planning::Step step;
  step.id = std::string(kReleasePrefix) + std::to_string(change.seq);
  step.target = change.target;
  step.phase = planning::Phase::kRevoke;
  step.action = "release";
  step.mutating = true;
  StepRecorder recorder(step, context_, journal_);

  const json request =
      change.detail.is_object() ? change.detail.value("request", json::object()) : json::object();
  const json prior = ParsedOrNull(change.prior_state);
  Undone undone;
  if (auto network = UndoNetwork(change, request, prior, recorder)) {
    undone = *network;
  } else if (change.operation.rfind("iam:", 0) == 0) {
    undone = UndoIam(change, request, prior, recorder);
  } else if (change.operation.rfind("ec2:", 0) == 0) {
    undone = UndoEc2(change, request, prior, recorder);
  } else if (change.operation.rfind("s3:", 0) == 0) {
    undone = UndoS3(change, request, prior, recorder);
  } else if (change.operation.rfind("lambda:", 0) == 0) {
    undone = UndoLambda(change, request, prior, recorder);
  } else {
    undone = {ReleaseStatus::kFailed, "cordon knows no undo for " + change.operation};
  }
  item.status = undone.status;
  item.message = undone.message;
  item.calls = recorder.planned_calls();
  return item;
}

AwsReleaser::Undone AwsReleaser::UndoIam(const journal::Record& change, const json& request,
                                         const json& prior, StepRecorder& recorder) {
  aws::IamClient iam(apis_(""));
  const std::string& op = change.operation;

  if (op == "iam:UpdateAccessKey") {
    const std::string user = Str(request, "UserName");
    const std::string key = Str(request, "AccessKeyId");
    if (Str(prior, "status") != "Active") {
      return {ReleaseStatus::kUndone, "access key " + key + " was not active before; left as is"};
    }
    auto done = recorder.Mutate(
        "iam:UpdateAccessKey",
        {{"UserName", user}, {"AccessKeyId", key}, {"Status", "Active"}, {"undoes", change.seq}},
        {{"status", "Inactive"}},
        [&] { return iam.UpdateAccessKey(user, key, aws::AccessKeyStatus::kActive); });
    if (!done) {
      return {ReleaseStatus::kFailed, "UpdateAccessKey " + key + ": " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "access key " + key + " of " + user + " active again"};
  }
  if (op == "iam:DeleteAccessKey") {
    return {ReleaseStatus::kIrreversible,
            "access key " + Str(request, "AccessKeyId") +
                " was deleted (--delete-keys); issue a new key if the user needs one"};
  }
  if (op == "iam:PutUserPolicy" || op == "iam:PutRolePolicy") {
    const bool user_policy = op == "iam:PutUserPolicy";
    const std::string owner = Str(request, user_policy ? "UserName" : "RoleName");
    const std::string name = Str(request, "PolicyName");
    // Targets of one case can share a role and with it cordon's inline policy: it stays while
    // another change that put it stays in force, and it is never "restored" to cordon's own.
    if (auto holder = PolicyStillNeeded(change, owner, name)) {
      return {ReleaseStatus::kKept, "inline policy " + name + " of " + owner + " kept: step " +
                                        *holder + " still needs it"};
    }
    json document = prior.is_object() ? prior.value("document", json()) : json();
    if (name.rfind("cordon-", 0) == 0) {
      document = nullptr;
    }
    if (document.is_null()) {
      const std::string action = user_policy ? "iam:DeleteUserPolicy" : "iam:DeleteRolePolicy";
      auto done =
          recorder.Mutate(action,
                          {{user_policy ? "UserName" : "RoleName", owner},
                           {"PolicyName", name},
                           {"undoes", change.seq}},
                          {{"policy_name", name}, {"document", request["PolicyDocument"]}}, [&] {
                            return user_policy ? iam.DeleteUserPolicy(owner, name)
                                               : iam.DeleteRolePolicy(owner, name);
                          });
      if (!done && done.error().kind != ErrorKind::kNotFound) {
        return {ReleaseStatus::kFailed, action + " " + name + ": " + done.error().Describe()};
      }
      if (!done) {
        // E.g. two targets of the case share a role and the other undo removed it first.
        return {ReleaseStatus::kAlready, "inline policy " + name + " of " + owner + " was gone"};
      }
      return {ReleaseStatus::kUndone, "inline policy " + name + " removed from " + owner};
    }
    const std::string text = document.is_string() ? document.get<std::string>() : document.dump();
    auto done =
        recorder.Mutate(op,
                        {{user_policy ? "UserName" : "RoleName", owner},
                         {"PolicyName", name},
                         {"PolicyDocument", document},
                         {"undoes", change.seq}},
                        {{"policy_name", name}, {"document", request["PolicyDocument"]}}, [&] {
                          return user_policy ? iam.PutUserPolicy(owner, name, text)
                                             : iam.PutRolePolicy(owner, name, text);
                        });
    if (!done) {
      return {ReleaseStatus::kFailed, op + " " + name + ": " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "inline policy " + name + " of " + owner + " restored"};
  }
  if (op == "iam:UpdateAssumeRolePolicy") {
    const std::string role = Str(request, "RoleName");
    const json document = prior.is_object() ? prior.value("document", json()) : json();
    if (!document.is_object()) {
      return {ReleaseStatus::kFailed, "no saved trust policy for role " + role};
    }
    auto done = recorder.Mutate(
        op, {{"RoleName", role}, {"PolicyDocument", document}, {"undoes", change.seq}},
        {{"document", request["PolicyDocument"]}},
        [&] { return iam.UpdateAssumeRolePolicy(role, document.dump()); });
    if (!done) {
      return {ReleaseStatus::kFailed,
              "UpdateAssumeRolePolicy " + role + ": " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "trust policy of role " + role + " restored"};
  }
  if (op == "iam:TagUser") {
    const std::string user = Str(request, "UserName");
    auto done = recorder.Mutate(
        "iam:TagUser",
        {{"UserName", user}, {"Tags", {{"IR-Status", "released"}}}, {"undoes", change.seq}}, prior,
        [&] { return iam.TagUser(user, kReleasedTags); });
    if (!done) {
      return {ReleaseStatus::kFailed, "TagUser " + user + ": " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, user + " tagged IR-Status=released (IR-Case kept)"};
  }
  return {ReleaseStatus::kFailed, "cordon knows no undo for " + op};
}

AwsReleaser::Undone AwsReleaser::UndoEc2(const journal::Record& change, const json& request,
                                         const json& prior, StepRecorder& recorder) {
  aws::Ec2Client ec2(apis_(RegionOf(change.target)));
  const std::string& op = change.operation;

  if (op == "ec2:ModifyInstanceAttribute") {
    const std::string id = Str(request, "InstanceId");
    if (request.contains("DisableApiTermination")) {
      const bool before = prior.value("disable_api_termination", false);
      auto done = recorder.Mutate(
          op, {{"InstanceId", id}, {"DisableApiTermination", before}, {"undoes", change.seq}},
          {{"disable_api_termination", true}},
          [&] { return ec2.SetDisableApiTermination(id, before); });
      if (!done) {
        return {ReleaseStatus::kFailed, "termination protection: " + done.error().Describe()};
      }
      return {ReleaseStatus::kUndone, "termination protection of " + id + " restored"};
    }
    if (request.contains("InstanceInitiatedShutdownBehavior")) {
      const std::string before = Str(prior, "instance_initiated_shutdown_behavior");
      auto done = recorder.Mutate(op,
                                  {{"InstanceId", id},
                                   {"InstanceInitiatedShutdownBehavior", before},
                                   {"undoes", change.seq}},
                                  {{"instance_initiated_shutdown_behavior", "stop"}}, [&] {
                                    return ec2.SetInstanceInitiatedShutdownBehavior(id, before);
                                  });
      if (!done) {
        return {ReleaseStatus::kFailed, "shutdown behaviour: " + done.error().Describe()};
      }
      return {ReleaseStatus::kUndone, "shutdown behaviour of " + id + " back to " + before};
    }
    std::vector<aws::DeleteOnTerminationSetting> devices;
    for (const auto& device : prior.value("block_devices", json::array())) {
      devices.push_back({Str(device, "device_name"), device.value("delete_on_termination", true)});
    }
    auto done = recorder.Mutate(op,
                                {{"InstanceId", id},
                                 {"BlockDeviceMapping", prior.value("block_devices", json())},
                                 {"undoes", change.seq}},
                                {{"delete_on_termination", false}},
                                [&] { return ec2.SetDeleteOnTermination(id, devices); });
    if (!done) {
      return {ReleaseStatus::kFailed, "DeleteOnTermination: " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "DeleteOnTermination of " + std::to_string(devices.size()) +
                                        " volume(s) of " + id + " restored"};
  }
  if (op == "ec2:ModifyNetworkInterfaceAttribute") {
    const std::string eni = Str(request, "NetworkInterfaceId");
    std::vector<std::string> groups;
    for (const auto& group : prior.value("groups", json::array())) {
      groups.push_back(group.get<std::string>());
    }
    if (groups.empty()) {
      return {ReleaseStatus::kFailed, "no saved security groups for " + eni};
    }
    auto done = recorder.Mutate(
        op, {{"NetworkInterfaceId", eni}, {"SecurityGroupIds", groups}, {"undoes", change.seq}},
        {{"groups", request.value("SecurityGroupIds", json::array())}},
        [&] { return ec2.SetNetworkInterfaceSecurityGroups(eni, groups); });
    if (!done) {
      return {ReleaseStatus::kFailed,
              "ModifyNetworkInterfaceAttribute " + eni + ": " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "security groups of " + eni + " restored"};
  }
  if (op == "ec2:CreateTags") {
    std::vector<std::string> ids;
    for (const auto& id : request.value("ResourceIds", json::array())) {
      ids.push_back(id.get<std::string>());
    }
    auto done = recorder.Mutate(
        op, {{"ResourceIds", ids}, {"Tags", {{"IR-Status", "released"}}}, {"undoes", change.seq}},
        prior, [&] { return ec2.CreateTags(ids, kReleasedTags); });
    if (!done) {
      return {ReleaseStatus::kFailed, "CreateTags: " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "tagged IR-Status=released (IR-Case kept)"};
  }
  if (op == "ec2:CreateSnapshots") {
    return {ReleaseStatus::kKept, "snapshots are evidence; kept"};
  }
  if (op == "ec2:CreateSecurityGroup" || op == "ec2:RevokeSecurityGroupEgress") {
    return {ReleaseStatus::kKept,
            "the quarantine group is shared by the VPC's contained instances; kept (delete it by "
            "hand once no interface uses it)"};
  }
  return {ReleaseStatus::kFailed, "cordon knows no undo for " + op};
}

std::string AwsReleaser::RegionOf(const std::string& target_key) const {
  for (const auto& planned : plan_.targets) {
    if (planned.target.Key() == target_key) {
      return planned.target.region;
    }
  }
  return "";
}

}  // namespace cordon::execution
