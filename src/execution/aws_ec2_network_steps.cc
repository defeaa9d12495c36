// The EC2 playbook steps around isolation: leaving Auto Scaling, leaving load-balancer target
// groups, Elastic IPs and the instance profile.
#include <algorithm>

#include "execution/aws_runner.h"
#include "providers/aws/autoscaling_client.h"
#include "providers/aws/elbv2_client.h"

namespace cordon::execution {

using nlohmann::json;

namespace {

// Lifecycle states in which the group no longer health-checks or replaces the instance.
bool OutOfService(const std::string& state) {
  return state == "Standby" || state == "EnteringStandby" || state.rfind("Detach", 0) == 0;
}

json TargetJson(const aws::TargetDescription& target) {
  json out = {{"Id", target.id}};
  if (target.port) {
    out["Port"] = *target.port;
  }
  if (!target.availability_zone.empty()) {
    out["AvailabilityZone"] = target.availability_zone;
  }
  return out;
}

}  // namespace

// Rule: an InService instance goes to Standby; any other state (Pending, Warmed, ...) is
// detached, the only change Auto Scaling accepts outside InService. Neither lowers the desired
// capacity (ShouldDecrementDesiredCapacity=false): lowering it is refused at the minimum size,
// and the group should keep serving, so it launches a replacement.
StepResult AwsStepRunner::LeaveAutoScaling(const planning::Step& step, StepRecorder& recorder) {
  const aws::AutoScalingClient autoscaling(ApiFor(step));
  const std::string id = Captured(step.target).instance->instance_id;

  auto described = autoscaling.DescribeAutoScalingInstances({id});
  if (!described) {
    return {
        Outcome::kUnknown,
        "could not read the Auto Scaling membership of " + id + ": " + described.error().Describe(),
        {}};
  }
  if (described->empty()) {
    return {Outcome::kOk, id + " is in no Auto Scaling group", {}};
  }
  const std::string group = described->front().auto_scaling_group_name;
  const std::string state = described->front().lifecycle_state;
  if (OutOfService(state)) {
    return {Outcome::kOk,
            id + " is already " + state + " in group " + group,
            {{"group", group}, {"lifecycle_state", state}}};
  }
  auto groups = autoscaling.DescribeAutoScalingGroups({group});
  if (!groups || groups->size() != 1) {
    return {Outcome::kUnknown,
            "could not read Auto Scaling group " + group +
                (groups ? std::string(": not found") : ": " + groups.error().Describe()),
            {}};
  }
  const json prior = {{"instance_id", id},
                      {"auto_scaling_group_name", group},
                      {"lifecycle_state", state},
                      {"desired_capacity", groups->front().desired_capacity}};

  const bool standby = state == "InService";
  const std::string operation =
      standby ? "autoscaling:EnterStandby" : "autoscaling:DetachInstances";
  const json request = {{"AutoScalingGroupName", group},
                        {"InstanceIds", {id}},
                        {"ShouldDecrementDesiredCapacity", false}};
  auto done = recorder.Mutate(operation, request, prior, [&] {
    return standby ? autoscaling.EnterStandby(group, {id}, false)
                   : autoscaling.DetachInstances(group, {id}, false);
  });
  if (!done) {
    return {Outcome::kFailed,
            operation.substr(12) + " of " + id + " (" + state + ") in " + group + ": " +
                done.error().Describe(),
            {}};
  }
  std::string now = standby ? "Standby" : "detached";
  if (!context_.dry_run) {
    auto after = autoscaling.DescribeAutoScalingInstances({id});
    if (after) {
      now = after->empty() ? "detached" : after->front().lifecycle_state;
    }
  }
  return {Outcome::kOk,
          id + " left service in Auto Scaling group " + group + " (was " + state + ", now " + now +
              "); the group launches a replacement",
          {{"group", group}, {"previous_state", state}, {"state", now}}};
}

StepResult AwsStepRunner::DeregisterTargets(const planning::Step& step, StepRecorder& recorder) {
  const aws::Elbv2Client elbv2(ApiFor(step));
  const CapturedTarget captured = Captured(step.target);
  const std::string& id = captured.instance->instance_id;
  std::vector<std::string> addresses;
  for (const auto& interface : captured.interfaces) {
    addresses.push_back(interface.private_ip_address);
    addresses.insert(addresses.end(), interface.ipv6_addresses.begin(),
                     interface.ipv6_addresses.end());
  }

  auto found = elbv2.FindTargetsOfInstance(id, addresses);
  if (!found) {
    return {Outcome::kUnknown,
            "could not list the target groups of " + id + ": " + found.error().Describe(),
            {}};
  }
  json deregistered = json::array();
  int draining = 0;
  for (const auto& membership : *found) {
    // Draining: a deregistration is already under way (Auto Scaling's standby, or an earlier
    // run whose change the journal holds).
    if (membership.target.state == "draining") {
      ++draining;
      continue;
    }
    const aws::TargetDescription& target = membership.target.target;
    const json prior = {{"target_group_arn", membership.target_group_arn},
                        {"target_group_name", membership.target_group_name},
                        {"target", TargetJson(target)}};
    auto done = recorder.Mutate(
        "elasticloadbalancing:DeregisterTargets",
        {{"TargetGroupArn", membership.target_group_arn}, {"Targets", {TargetJson(target)}}}, prior,
        [&] { return elbv2.DeregisterTargets(membership.target_group_arn, {target}); });
    if (!done) {
      return {Outcome::kFailed,
              "DeregisterTargets " + membership.target_group_name + ": " + done.error().Describe(),
              {{"deregistered", deregistered}}};
    }
    deregistered.push_back(prior);
  }
  if (found->empty()) {
    return {Outcome::kOk, id + " is registered in no target group", {}};
  }
  return {Outcome::kOk,
          std::to_string(deregistered.size()) + " target registration(s) of " + id + " removed" +
              (draining ? ", " + std::to_string(draining) + " already draining" : std::string()),
          {{"deregistered", deregistered}}};
}

StepResult AwsStepRunner::DisassociateAddresses(const planning::Step& step,
                                                StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  const CapturedTarget captured = Captured(step.target);
  std::vector<std::string> interfaces;
  for (const auto& interface : captured.interfaces) {
    interfaces.push_back(interface.network_interface_id);
  }

  auto addresses = ec2.DescribeAddressesForNetworkInterfaces(interfaces);
  if (!addresses) {
    return {Outcome::kUnknown, "could not read Elastic IPs: " + addresses.error().Describe(), {}};
  }
  json removed = json::array();
  for (const auto& address : *addresses) {
    if (address.association_id.empty()) {
      continue;
    }
    const json prior = {{"allocation_id", address.allocation_id},
                        {"association_id", address.association_id},
                        {"public_ip", address.public_ip},
                        {"network_interface_id", address.network_interface_id},
                        {"private_ip_address", address.private_ip_address}};
    auto done = recorder.Mutate(
        "ec2:DisassociateAddress",
        {{"AssociationId", address.association_id}, {"PublicIp", address.public_ip}}, prior,
        [&] { return ec2.DisassociateAddress(address.association_id); });
    if (!done && done.error().kind != ErrorKind::kNotFound) {
      return {Outcome::kFailed,
              "DisassociateAddress " + address.public_ip + ": " + done.error().Describe(),
              {{"disassociated", removed}}};
    }
    removed.push_back(prior);
  }
  return {Outcome::kOk,
          removed.empty() ? "no Elastic IP on the instance's interfaces"
                          : std::to_string(removed.size()) + " Elastic IP(s) disassociated",
          {{"disassociated", removed}}};
}

StepResult AwsStepRunner::DisassociateInstanceProfile(const planning::Step& step,
                                                      StepRecorder& recorder) {
  aws::Ec2Client ec2 = Ec2For(step);
  const std::string id = Captured(step.target).instance->instance_id;

  auto associations = ec2.DescribeIamInstanceProfileAssociations(id);
  if (!associations) {
    return {Outcome::kUnknown,
            "could not read the instance profile association of " + id + ": " +
                associations.error().Describe(),
            {}};
  }
  json removed = json::array();
  for (const auto& association : *associations) {
    if (association.state != "associated" && association.state != "associating") {
      continue;
    }
    const json prior = {{"association_id", association.association_id},
                        {"instance_id", id},
                        {"instance_profile_arn", association.instance_profile_arn},
                        {"instance_profile_id", association.instance_profile_id}};
    auto done = recorder.Mutate(
        "ec2:DisassociateIamInstanceProfile",
        {{"AssociationId", association.association_id}, {"InstanceId", id}}, prior,
        [&] { return ec2.DisassociateIamInstanceProfile(association.association_id); });
    if (!done) {
      return {Outcome::kFailed,
              "DisassociateIamInstanceProfile " + association.association_id + ": " +
                  done.error().Describe(),
              {}};
    }
    removed.push_back(prior);
  }
  return {Outcome::kOk,
          removed.empty()
              ? id + " has no instance profile"
              : "instance profile " + removed.front()["instance_profile_arn"].get<std::string>() +
                    " disassociated from " + id,
          {{"disassociated", removed}}};
}

}  // namespace cordon::execution
