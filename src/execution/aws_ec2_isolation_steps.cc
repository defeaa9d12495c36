// The isolation steps of the EC2 playbook: the all-traffic ("untrack") group, and moving every
// interface through it onto the quarantine group.
#include <algorithm>

#include "execution/aws_json.h"
#include "execution/aws_runner.h"
#include "planning/planner.h"

namespace cordon::execution {

using nlohmann::json;

namespace {

// True when the rules let every protocol through from or to both 0.0.0.0/0 and ::/0.
bool HasAllTraffic(const std::vector<aws::IpPermission>& permissions) {
  bool v4 = false;
  bool v6 = false;
  for (const auto& permission : permissions) {
    if (permission.ip_protocol != "-1") {
      continue;
    }
    v4 = v4 || std::any_of(permission.ip_ranges.begin(), permission.ip_ranges.end(),
                           [](const auto& range) { return range.cidr_ip == "0.0.0.0/0"; });
    v6 = v6 || std::any_of(permission.ipv6_ranges.begin(), permission.ipv6_ranges.end(),
                           [](const auto& range) { return range.cidr_ipv6 == "::/0"; });
  }
  return v4 && v6;
}

// The id of cordon's group `name` in `vpc`: `known` when a step of this run set it, else looked
// up by name (the group step finished in an earlier run).
Result<std::string> GroupIdOf(const aws::Ec2Client& ec2, const std::string& known,
                              const std::string& name, const std::string& vpc) {
  if (!known.empty()) {
    return known;
  }
  auto found = ec2.FindSecurityGroups(name, vpc);
  if (!found) {
    return tl::unexpected(found.error());
  }
  if (found->empty()) {
    return Fail(ErrorKind::kNotFound, "no security group " + name + " in " + vpc);
  }
  return found->front().group_id;
}

}  // namespace

StepResult AwsStepRunner::EnsureUntrackGroup(const planning::Step& step, StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  const CapturedTarget captured = Captured(step.target);
  const std::string vpc = captured.instance->vpc_id;
  const std::string name = planning::kUntrackGroupName;
  if (vpc.empty()) {
    return {Outcome::kFailed, "instance has no VPC; EC2-Classic is not supported", {}};
  }
  // One group per VPC, shared by every instance in it: serialize find-or-create per VPC.
  const std::shared_ptr<std::mutex> vpc_lock = GroupLock("untrack:" + vpc);
  std::lock_guard guard(*vpc_lock);

  auto found = ec2.FindSecurityGroups(name, vpc);
  if (!found) {
    return {Outcome::kUnknown, "could not look for " + name + ": " + found.error().Describe(), {}};
  }
  std::string group_id;
  std::vector<aws::IpPermission> ingress;
  std::vector<aws::IpPermission> egress;
  bool created_now = false;
  if (!found->empty()) {
    group_id = found->front().group_id;
    ingress = found->front().ip_permissions;
    egress = found->front().ip_permissions_egress;
  } else {
    auto created = recorder.Mutate(
        "ec2:CreateSecurityGroup", {{"GroupName", name}, {"VpcId", vpc}}, nullptr, [&] {
          return ec2.CreateSecurityGroup(
              name, "cordon untrack: all traffic, briefly, so tracked connections end", vpc,
              {{"IR-Case", context_.case_id}, {"Name", name}});
        });
    if (created) {
      group_id = created->group_id.empty() ? "<new untrack group>" : created->group_id;
      created_now = true;
    } else {
      // A lost answer (or a duplicate) may mean the group exists now: use it if so.
      auto again = ec2.FindSecurityGroups(name, vpc);
      if (!again || again->empty()) {
        return {Outcome::kFailed, "CreateSecurityGroup: " + created.error().Describe(), {}};
      }
      group_id = again->front().group_id;
      ingress = again->front().ip_permissions;
      egress = again->front().ip_permissions_egress;
    }
  }

  const std::vector<aws::IpPermission> all = {aws::AllTrafficPermission()};
  const json request = {{"GroupId", group_id}, {"IpPermissions", {ToJson(all.front())}}};
  if (!HasAllTraffic(ingress)) {
    auto done = recorder.Mutate("ec2:AuthorizeSecurityGroupIngress", request, nullptr,
                                [&] { return ec2.AuthorizeSecurityGroupIngress(group_id, all); });
    if (!done) {
      return {Outcome::kFailed, "AuthorizeSecurityGroupIngress: " + done.error().Describe(), {}};
    }
  }
  if (!HasAllTraffic(egress)) {
    auto done = recorder.Mutate("ec2:AuthorizeSecurityGroupEgress", request, nullptr,
                                [&] { return ec2.AuthorizeSecurityGroupEgress(group_id, all); });
    if (!done) {
      return {Outcome::kFailed, "AuthorizeSecurityGroupEgress: " + done.error().Describe(), {}};
    }
  }

  // A group without both all-traffic rules would not untrack anything: confirm them.
  if (!context_.dry_run) {
    auto check = ec2.DescribeSecurityGroups({group_id});
    if (!check || check->size() != 1) {
      return {Outcome::kUnknown, "could not confirm the rules of " + group_id, {}};
    }
    if (!HasAllTraffic(check->front().ip_permissions) ||
        !HasAllTraffic(check->front().ip_permissions_egress)) {
      return {Outcome::kFailed,
              name + " group " + group_id + " does not allow all traffic both ways; refusing it",
              {}};
    }
  }
  UpdateCaptured(step.target, [&](CapturedTarget& target) { target.untrack_group_id = group_id; });
  return {Outcome::kOk,
          std::string(created_now ? "created" : "found") + " all-traffic group " + group_id +
              " in " + vpc,
          {{"group_id", group_id}, {"vpc_id", vpc}, {"created", created_now}}};
}

StepResult AwsStepRunner::IsolateInterfaces(const planning::Step& step, StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  const CapturedTarget captured = Captured(step.target);
  const std::string& vpc = captured.instance->vpc_id;
  auto quarantine = GroupIdOf(ec2, captured.quarantine_group_id, kQuarantineGroupName, vpc);
  auto untrack = GroupIdOf(ec2, captured.untrack_group_id, planning::kUntrackGroupName, vpc);
  if (!quarantine || !untrack) {
    const Error& error = !quarantine ? quarantine.error() : untrack.error();
    return {Outcome::kUnknown,
            "could not find cordon's groups in " + vpc + ": " + error.Describe(),
            {}};
  }
  // Per-interface calls: the instance-level call fails or touches only the primary interface
  // on multi-interface instances.
  std::vector<std::string> ids;
  for (const auto& interface : captured.interfaces) {
    ids.push_back(interface.network_interface_id);
  }
  auto current = ids.empty() ? Result<std::vector<aws::NetworkInterface>>{}
                             : ec2.DescribeNetworkInterfaces(ids);
  if (!current) {
    return {Outcome::kUnknown,
            "could not read the interfaces' groups: " + current.error().Describe(),
            {}};
  }

  json moved = json::array();
  int already = 0;
  auto set_groups = [&](const std::string& eni, const std::vector<std::string>& groups,
                        const json& prior, bool rollback) {
    json request = {{"NetworkInterfaceId", eni}, {"SecurityGroupIds", groups}};
    if (rollback) {
      request["rollback"] = true;
    }
    return recorder.Mutate("ec2:ModifyNetworkInterfaceAttribute", request, prior,
                           [&] { return ec2.SetNetworkInterfaceSecurityGroups(eni, groups); });
  };
  for (const auto& interface : *current) {
    const auto groups = GroupIds(interface);
    if (groups == std::vector<std::string>{*quarantine}) {
      ++already;
      continue;
    }
    const std::string& eni = interface.network_interface_id;
    // Every call saves the groups the interface had before cordon, so release restores those
    // directly and never passes through the all-traffic group.
    const json prior = {{"network_interface_id", eni}, {"groups", groups}};
    const bool on_untrack = groups == std::vector<std::string>{*untrack};
    if (!on_untrack) {
      auto done = set_groups(eni, {*untrack}, prior, false);
      if (!done) {
        return {Outcome::kFailed,
                "ModifyNetworkInterfaceAttribute " + eni + " (all-traffic group): " +
                    done.error().Describe() + "; the interface keeps its groups",
                {{"moved", moved}}};
      }
    }
    auto done = set_groups(eni, {*quarantine}, prior, false);
    if (!done) {
      // Never leave an interface open to all traffic: put its own groups back.
      std::string outcome = "it is on the all-traffic group " + *untrack + "; fix it by hand";
      if (!on_untrack) {
        auto back = set_groups(eni, groups, prior, true);
        outcome = back ? "its own groups were put back"
                       : "putting its groups back failed too (" + back.error().Describe() +
                             "): it is on the all-traffic group " + *untrack + "; fix it by hand";
      }
      return {Outcome::kFailed,
              "ModifyNetworkInterfaceAttribute " + eni +
                  " (quarantine group): " + done.error().Describe() + "; " + outcome,
              {{"moved", moved}}};
    }
    moved.push_back({{"network_interface_id", eni}, {"previous_groups", groups}});
  }
  return {Outcome::kOk,
          std::to_string(moved.size()) + " interface(s) moved through " + *untrack + " to " +
              *quarantine + (already ? ", " + std::to_string(already) + " already isolated" : ""),
          {{"moved", moved}, {"untrack_group_id", *untrack}}};
}

}  // namespace cordon::execution
