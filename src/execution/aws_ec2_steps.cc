// The EC2 instance steps of the AWS playbook.
#include <algorithm>

#include "execution/aws_json.h"
#include "execution/aws_runner.h"
#include "planning/planner.h"

namespace cordon::execution {

using nlohmann::json;

namespace {

// The instance profile name from its ARN (arn:aws:iam::A:instance-profile/path/NAME).
std::string ProfileName(const std::string& arn) {
  auto slash = arn.rfind('/');
  return slash == std::string::npos ? arn : arn.substr(slash + 1);
}

struct FoundSnapshots {
  bool all_present = false;
  json snapshots = json::array();
};

// The snapshots this case made of `volume_ids` (found by the IR-Case tag and volume).
Result<FoundSnapshots> ExistingSnapshots(const aws::Ec2Client& ec2,
                                         const std::vector<std::string>& volume_ids,
                                         const std::string& case_id) {
  auto existing = ec2.DescribeSnapshots({{"tag:IR-Case", {case_id}}, {"volume-id", volume_ids}});
  if (!existing) {
    return tl::unexpected(existing.error());
  }
  FoundSnapshots found;
  for (const auto& snapshot : *existing) {
    found.snapshots.push_back({{"snapshot_id", snapshot.snapshot_id},
                               {"volume_id", snapshot.volume_id},
                               {"state", snapshot.state}});
  }
  found.all_present = std::all_of(volume_ids.begin(), volume_ids.end(), [&](const auto& v) {
    return std::any_of(existing->begin(), existing->end(),
                       [&](const auto& s) { return s.volume_id == v; });
  });
  return found;
}

}  // namespace

StepResult AwsStepRunner::CaptureInstance(const planning::Step& step, StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  (void)recorder;
  const planning::Target* target = FindTarget(step.target);
  if (target == nullptr) {
    return {Outcome::kFailed, "target " + step.target + " is not in the plan", {}};
  }
  const std::string& id = target->id;

  auto instances = ec2.DescribeInstances({id});
  if (!instances) {
    const bool absent = instances.error().kind == ErrorKind::kNotFound;
    return {absent ? Outcome::kFailed : Outcome::kUnknown,
            "could not read instance " + id + ": " + instances.error().Describe(),
            {}};
  }
  if (instances->size() != 1 || (*instances)[0].instance_id != id) {
    return {Outcome::kFailed, "instance " + id + " was not found", {}};
  }
  const aws::Instance& instance = instances->front();
  auto termination = ec2.DescribeDisableApiTermination(id);
  auto shutdown = ec2.DescribeInstanceInitiatedShutdownBehavior(id);
  auto interfaces = ec2.DescribeNetworkInterfacesForInstance(id);
  auto volumes = ec2.DescribeVolumesForInstance(id);
  for (const Error* error :
       {termination ? nullptr : &termination.error(), shutdown ? nullptr : &shutdown.error(),
        interfaces ? nullptr : &interfaces.error(), volumes ? nullptr : &volumes.error()}) {
    if (error != nullptr) {
      return {Outcome::kUnknown, "capture of " + id + " incomplete: " + error->Describe(), {}};
    }
  }
  // Interfaces listed on the instance but missing from the filtered read mean the read is
  // incomplete; isolating only some interfaces would leave one open.
  for (const auto& listed : instance.network_interfaces) {
    if (std::none_of(interfaces->begin(), interfaces->end(), [&](const auto& i) {
          return i.network_interface_id == listed.network_interface_id;
        })) {
      return {Outcome::kUnknown,
              "capture of " + id + " incomplete: interface " + listed.network_interface_id +
                  " is attached but was not described",
              {}};
    }
  }
  std::vector<std::string> group_ids;
  for (const auto& interface : *interfaces) {
    for (const auto& gid : GroupIds(interface)) {
      if (std::find(group_ids.begin(), group_ids.end(), gid) == group_ids.end()) {
        group_ids.push_back(gid);
      }
    }
  }
  json groups = json::array();
  if (!group_ids.empty()) {
    auto described = ec2.DescribeSecurityGroups(group_ids);
    if (!described) {
      return {Outcome::kUnknown,
              "capture of " + id + " incomplete: " + described.error().Describe(),
              {}};
    }
    for (const auto& group : *described) {
      groups.push_back(ToJson(group));
    }
  }

  json evidence = {{"instance", ToJson(instance)},
                   {"disable_api_termination", *termination},
                   {"instance_initiated_shutdown_behavior", *shutdown},
                   {"network_interfaces", json::array()},
                   {"volumes", json::array()},
                   {"security_groups", groups}};
  for (const auto& interface : *interfaces) {
    evidence["network_interfaces"].push_back(ToJson(interface));
  }
  for (const auto& volume : *volumes) {
    evidence["volumes"].push_back(ToJson(volume));
  }

  CapturedTarget captured;
  captured.instance = instance;
  captured.interfaces = *interfaces;
  captured.volumes = *volumes;
  for (const auto& entry : guards_.protected_principals) {
    if (entry == id) {
      captured.refused = true;
      captured.refusal = "refused: instance " + id + " is protected in the configuration";
    }
  }
  SetCaptured(step.target, captured);
  if (auto stored = StoreEvidence(step, "ec2-instance-" + id + ".json", evidence); !stored) {
    return {Outcome::kFailed, "could not store evidence: " + stored.error().Describe(), {}};
  }
  if (captured.refused) {
    return {Outcome::kRefused, captured.refusal, {}};
  }
  return {Outcome::kOk,
          "captured " + id + " (" + std::to_string(interfaces->size()) + " interfaces, " +
              std::to_string(volumes->size()) + " volumes, " + std::to_string(group_ids.size()) +
              " security groups)",
          {{"vpc_id", instance.vpc_id}}};
}

StepResult AwsStepRunner::ProtectInstance(const planning::Step& step, StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  const CapturedTarget captured = Captured(step.target);
  const aws::Instance& instance = *captured.instance;
  const std::string& id = instance.instance_id;

  // Re-read the attributes: they are the prior state release restores.
  auto termination = ec2.DescribeDisableApiTermination(id);
  auto shutdown = ec2.DescribeInstanceInitiatedShutdownBehavior(id);
  if (!termination || !shutdown) {
    const Error& error = !termination ? termination.error() : shutdown.error();
    return {Outcome::kUnknown, "could not read attributes of " + id + ": " + error.Describe(), {}};
  }
  json changed = json::array();
  if (!*termination) {
    auto done = recorder.Mutate("ec2:ModifyInstanceAttribute",
                                {{"InstanceId", id}, {"DisableApiTermination", true}},
                                {{"disable_api_termination", false}},
                                [&] { return ec2.SetDisableApiTermination(id, true); });
    if (!done) {
      return {Outcome::kFailed, "termination protection: " + done.error().Describe(), {}};
    }
    changed.push_back("termination protection on");
  }
  if (*shutdown != "stop") {
    auto done = recorder.Mutate("ec2:ModifyInstanceAttribute",
                                {{"InstanceId", id}, {"InstanceInitiatedShutdownBehavior", "stop"}},
                                {{"instance_initiated_shutdown_behavior", *shutdown}}, [&] {
                                  return ec2.SetInstanceInitiatedShutdownBehavior(id, "stop");
                                });
    if (!done) {
      return {Outcome::kFailed, "shutdown behaviour: " + done.error().Describe(), {}};
    }
    changed.push_back("shutdown behaviour stop");
  }
  std::vector<aws::DeleteOnTerminationSetting> devices;
  json prior_devices = json::array();
  for (const auto& device : instance.block_devices) {
    if (device.delete_on_termination) {
      devices.push_back({device.device_name, false});
      prior_devices.push_back({{"device_name", device.device_name},
                               {"volume_id", device.volume_id},
                               {"delete_on_termination", true}});
    }
  }
  if (!devices.empty()) {
    json mapping = json::array();
    for (const auto& device : devices) {
      mapping.push_back(
          {{"DeviceName", device.device_name}, {"Ebs", {{"DeleteOnTermination", false}}}});
    }
    json request = {{"InstanceId", id}, {"BlockDeviceMapping", mapping}};
    auto done =
        recorder.Mutate("ec2:ModifyInstanceAttribute", request, {{"block_devices", prior_devices}},
                        [&] { return ec2.SetDeleteOnTermination(id, devices); });
    if (!done) {
      return {Outcome::kFailed, "DeleteOnTermination: " + done.error().Describe(), {}};
    }
    changed.push_back(std::to_string(devices.size()) + " volume(s) kept on termination");
  }
  std::string message = "protected " + id;
  for (const auto& item : changed) {
    message += (item == changed.front() ? ": " : ", ") + item.get<std::string>();
  }
  if (changed.empty()) {
    message = id + " was already protected";
  }
  return {Outcome::kOk, message, {{"changed", changed}}};
}

StepResult AwsStepRunner::SnapshotVolumes(const planning::Step& step, StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  const CapturedTarget captured = Captured(step.target);
  const std::string& id = captured.instance->instance_id;
  if (captured.volumes.empty()) {
    return {Outcome::kOk, id + " has no EBS volumes to snapshot", {}};
  }
  std::vector<std::string> volume_ids;
  for (const auto& volume : captured.volumes) {
    volume_ids.push_back(volume.volume_id);
  }

  // A snapshot this case already made (an earlier or interrupted run, or an attempt whose
  // answer was lost) is never made twice.
  auto existing = ExistingSnapshots(ec2, volume_ids, context_.case_id);
  if (!existing) {
    return {Outcome::kUnknown,
            "could not look for existing snapshots: " + existing.error().Describe(),
            {}};
  }
  if (existing->all_present) {
    return {Outcome::kOk,
            "snapshots of every volume of " + id + " already exist",
            {{"snapshots", existing->snapshots}}};
  }

  aws::CreateSnapshotsRequest request;
  request.instance_id = id;
  request.description = "cordon case " + context_.case_id + ": evidence of " + id;
  request.tags = {{"IR-Case", context_.case_id},
                  {"IR-Source-Instance", id},
                  {"Name", "cordon-" + context_.case_id + "-" + id}};
  auto created = recorder.Mutate("ec2:CreateSnapshots",
                                 {{"InstanceSpecification", {{"InstanceId", id}}},
                                  {"Description", request.description},
                                  {"TagSpecifications", ToJson(request.tags)}},
                                 nullptr, [&] { return ec2.CreateSnapshots(request); });
  if (!created) {
    auto after = ExistingSnapshots(ec2, volume_ids, context_.case_id);
    if (after && after->all_present) {
      return {Outcome::kOk,
              "snapshots of every volume of " + id +
                  " were made (the create call's answer was "
                  "lost: " +
                  created.error().Describe() + ")",
              {{"snapshots", after->snapshots}}};
    }
    return {Outcome::kFailed, "CreateSnapshots: " + created.error().Describe(), {}};
  }
  json snapshots = json::array();
  for (const auto& snapshot : created->snapshots) {
    snapshots.push_back({{"snapshot_id", snapshot.snapshot_id}, {"volume_id", snapshot.volume_id}});
  }
  return {Outcome::kOk,
          std::to_string(created->snapshots.size()) + " snapshot(s) of " + id + " started",
          {{"snapshots", snapshots}, {"request_id", created->request_id}}};
}

StepResult AwsStepRunner::EnsureQuarantineGroup(const planning::Step& step,
                                                StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  CapturedTarget captured = Captured(step.target);
  const std::string vpc = captured.instance->vpc_id;
  if (vpc.empty()) {
    return {Outcome::kFailed, "instance has no VPC; EC2-Classic is not supported", {}};
  }

  // One group per VPC, shared by every instance in it: serialize find-or-create per VPC.
  std::shared_ptr<std::mutex> vpc_lock;
  {
    std::lock_guard lock(mutex_);
    auto& slot = group_locks_[vpc];
    if (!slot) {
      slot = std::make_shared<std::mutex>();
    }
    vpc_lock = slot;
  }
  std::lock_guard guard(*vpc_lock);

  auto found = ec2.FindSecurityGroups(kQuarantineGroupName, vpc);
  if (!found) {
    return {Outcome::kUnknown,
            "could not look for the quarantine group: " + found.error().Describe(),
            {}};
  }
  std::string group_id;
  std::vector<aws::IpPermission> egress;
  bool created_now = false;
  if (!found->empty()) {
    group_id = found->front().group_id;
    egress = found->front().ip_permissions_egress;
  } else {
    auto created = recorder.Mutate(
        "ec2:CreateSecurityGroup", {{"GroupName", kQuarantineGroupName}, {"VpcId", vpc}}, nullptr,
        [&] {
          return ec2.CreateSecurityGroup(
              kQuarantineGroupName, "cordon quarantine: no inbound, no outbound traffic", vpc,
              {{"IR-Case", context_.case_id}, {"Name", kQuarantineGroupName}});
        });
    if (created) {
      group_id = created->group_id.empty() ? "<new quarantine group>" : created->group_id;
      created_now = true;
      // A new group allows all outbound IPv4 traffic by default; remove that rule.
      aws::IpPermission all_ipv4;
      all_ipv4.ip_protocol = "-1";
      all_ipv4.ip_ranges.push_back({"0.0.0.0/0", ""});
      egress.push_back(all_ipv4);
    } else {
      // A lost answer (or a duplicate) may mean the group exists now: use it if so.
      auto again = ec2.FindSecurityGroups(kQuarantineGroupName, vpc);
      if (!again || again->empty()) {
        return {Outcome::kFailed, "CreateSecurityGroup: " + created.error().Describe(), {}};
      }
      group_id = again->front().group_id;
      egress = again->front().ip_permissions_egress;
    }
  }

  if (!egress.empty()) {
    json rules = json::array();
    for (const auto& permission : egress) {
      rules.push_back(ToJson(permission));
    }
    auto revoked = recorder.Mutate(
        "ec2:RevokeSecurityGroupEgress", {{"GroupId", group_id}, {"IpPermissions", rules}},
        {{"egress", rules}}, [&] { return ec2.RevokeSecurityGroupEgress(group_id, egress); });
    if (!revoked) {
      return {Outcome::kFailed, "RevokeSecurityGroupEgress: " + revoked.error().Describe(), {}};
    }
  }

  // Confirm the group really has no rules before any interface is moved into it.
  if (!context_.dry_run) {
    auto check = ec2.DescribeSecurityGroups({group_id});
    if (!check || check->size() != 1) {
      return {Outcome::kUnknown, "could not confirm the quarantine group " + group_id, {}};
    }
    const auto& group = check->front();
    if (!group.ip_permissions.empty() || !group.ip_permissions_egress.empty()) {
      return {Outcome::kFailed,
              "quarantine group " + group_id + " still has rules; refusing to use it",
              {}};
    }
  }
  UpdateCaptured(step.target,
                 [&](CapturedTarget& target) { target.quarantine_group_id = group_id; });
  return {Outcome::kOk,
          std::string(created_now ? "created" : "found") + " quarantine group " + group_id +
              " in " + vpc + " (no ingress, no egress)",
          {{"group_id", group_id}, {"vpc_id", vpc}, {"created", created_now}}};
}

StepResult AwsStepRunner::RevokeInstanceRoleSessions(const planning::Step& step,
                                                     StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string& profile_arn = captured.instance->iam_instance_profile_arn;
  if (profile_arn.empty()) {
    return {Outcome::kOk, "no instance profile: no role sessions to revoke", {}};
  }
  auto profile = iam_.GetInstanceProfile(ProfileName(profile_arn));
  if (!profile) {
    return {Outcome::kUnknown,
            "could not read instance profile " + profile_arn + ": " + profile.error().Describe(),
            {}};
  }
  const std::string policy_name =
      step.params.value("policy_name", planning::RevokeSessionsPolicyName(context_.case_id));
  json roles = json::array();
  std::string message;
  for (const auto& role : profile->roles) {
    if (auto refusal = GuardPrincipal(role.arn, role.role_name); !refusal.empty()) {
      return {Outcome::kRefused, refusal, {}};
    }
    StepResult result = DenyOlderSessions(role.role_name, policy_name, recorder);
    if (result.outcome != Outcome::kOk) {
      return result;
    }
    roles.push_back(result.detail);
    message += (message.empty() ? "" : "; ") + result.message;
  }
  if (roles.empty()) {
    return {Outcome::kOk, "instance profile has no role", {}};
  }
  return {Outcome::kOk, message, {{"roles", roles}}};
}

StepResult AwsStepRunner::TagInstance(const planning::Step& step, StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  const CapturedTarget captured = Captured(step.target);
  const std::string& id = captured.instance->instance_id;
  const std::vector<aws::Tag> tags = {{"IR-Case", context_.case_id}, {"IR-Status", "contained"}};
  json prior = json::object();
  for (const auto& tag : captured.instance->tags) {
    if (tag.key == "IR-Case" || tag.key == "IR-Status") {
      prior[tag.key] = tag.value;
    }
  }
  auto tagged = recorder.Mutate("ec2:CreateTags", {{"ResourceIds", {id}}, {"Tags", ToJson(tags)}},
                                {{"tags", prior}}, [&] { return ec2.CreateTags({id}, tags); });
  if (!tagged) {
    return {Outcome::kFailed, "CreateTags: " + tagged.error().Describe(), {}};
  }
  return {
      Outcome::kOk, "tagged " + id + " IR-Case=" + context_.case_id + " IR-Status=contained", {}};
}

}  // namespace cordon::execution
