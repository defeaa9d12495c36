// Release of the EC2 playbook's changes around isolation: back into Auto Scaling and the target
// groups, Elastic IPs and the instance profile re-associated.
#include <string>
#include <vector>

#include "execution/aws_json.h"
#include "execution/release.h"
#include "planning/planner.h"
#include "providers/aws/autoscaling_client.h"
#include "providers/aws/ec2_client.h"
#include "providers/aws/elbv2_client.h"

namespace cordon::execution {
namespace {

using nlohmann::json;

}  // namespace

std::optional<AwsReleaser::Undone> AwsReleaser::UndoNetwork(const journal::Record& change,
                                                            const json& request, const json& prior,
                                                            StepRecorder& recorder) {
  const std::string& op = change.operation;
  const json saved = prior.is_object() ? prior : json::object();
  if (op == "autoscaling:EnterStandby" || op == "autoscaling:DetachInstances") {
    return UndoAutoScaling(change, saved, recorder);
  }
  if (op == "ec2:DisassociateAddress") {
    return UndoAddress(change, saved, recorder);
  }
  if (op == "ec2:DisassociateIamInstanceProfile") {
    return UndoInstanceProfile(change, saved, recorder);
  }
  if (op == "elasticloadbalancing:DeregisterTargets") {
    const std::string arn = Str(saved, "target_group_arn");
    const json target = saved.value("target", json::object());
    aws::TargetDescription description{Str(target, "Id"), std::nullopt,
                                       Str(target, "AvailabilityZone")};
    if (target.contains("Port") && target["Port"].is_number_integer()) {
      description.port = target["Port"].get<int>();
    }
    if (arn.empty() || description.id.empty()) {
      return Undone{ReleaseStatus::kFailed, "no saved target group registration"};
    }
    const aws::Elbv2Client elbv2(apis_(RegionOf(change.target)));
    auto done = recorder.Mutate(
        "elasticloadbalancing:RegisterTargets",
        {{"TargetGroupArn", arn}, {"Targets", {target}}, {"undoes", change.seq}},
        {{"registered", false}}, [&] { return elbv2.RegisterTargets(arn, {description}); });
    if (!done) {
      return Undone{ReleaseStatus::kFailed, "RegisterTargets: " + done.error().Describe()};
    }
    return Undone{
        ReleaseStatus::kUndone,
        description.id + " registered again in " + Str(saved, "target_group_name") + " (port " +
            (description.port ? std::to_string(*description.port) : std::string("of the group")) +
            ")"};
  }
  if (op == "ssm:SendCommand") {
    return Undone{ReleaseStatus::kKept, "the memory capture ran; its output is evidence"};
  }
  const bool untrack_group = (op == "ec2:CreateSecurityGroup" &&
                              Str(request, "GroupName") == planning::kUntrackGroupName) ||
                             op == "ec2:AuthorizeSecurityGroupIngress" ||
                             op == "ec2:AuthorizeSecurityGroupEgress";
  if (untrack_group) {
    return Undone{ReleaseStatus::kKept,
                  std::string("the all-traffic group ") + planning::kUntrackGroupName +
                      " is shared by the VPC's contained instances and used by no interface "
                      "after isolation; kept (delete it by hand when no longer needed)"};
  }
  return std::nullopt;
}

AwsReleaser::Undone AwsReleaser::UndoAutoScaling(const journal::Record& change, const json& prior,
                                                 StepRecorder& recorder) {
  const aws::AutoScalingClient autoscaling(apis_(RegionOf(change.target)));
  const std::string id = Str(prior, "instance_id");
  const std::string group = Str(prior, "auto_scaling_group_name");
  if (id.empty() || group.empty()) {
    return {ReleaseStatus::kFailed, "no saved Auto Scaling group"};
  }
  auto current = autoscaling.DescribeAutoScalingInstances({id});
  if (!current) {
    return {ReleaseStatus::kFailed, "could not read the Auto Scaling membership of " + id + ": " +
                                        current.error().Describe()};
  }
  const std::string state = current->empty() ? "" : current->front().lifecycle_state;
  const std::string now_in = current->empty() ? "" : current->front().auto_scaling_group_name;
  const std::string capacity =
      "; the group's desired capacity went up by one (it was " +
      std::to_string(prior.value("desired_capacity", 0)) +
      " before containment, and its replacement keeps running): lower it by hand if wanted";

  if (change.operation == "autoscaling:EnterStandby") {
    if (state == "InService" && now_in == group) {
      return {ReleaseStatus::kUndone, id + " is already InService in " + group};
    }
    if (state != "Standby" || now_in != group) {
      return {ReleaseStatus::kFailed,
              id + " is " + (state.empty() ? "in no group" : state + " in " + now_in) +
                  ", not Standby in " + group + "; run release again once it is Standby"};
    }
    auto done = recorder.Mutate(
        "autoscaling:ExitStandby",
        {{"AutoScalingGroupName", group}, {"InstanceIds", {id}}, {"undoes", change.seq}},
        {{"lifecycle_state", state}}, [&] { return autoscaling.ExitStandby(group, {id}); });
    if (!done) {
      return {ReleaseStatus::kFailed, "ExitStandby " + id + ": " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, id + " back in service in " + group + capacity};
  }

  if (now_in == group) {
    return {ReleaseStatus::kUndone, id + " is already in " + group + " (" + state + ")"};
  }
  if (!now_in.empty()) {
    return {ReleaseStatus::kFailed, id + " is in group " + now_in + " now, not " + group};
  }
  auto done = recorder.Mutate(
      "autoscaling:AttachInstances",
      {{"AutoScalingGroupName", group}, {"InstanceIds", {id}}, {"undoes", change.seq}},
      {{"auto_scaling_group_name", nullptr}},
      [&] { return autoscaling.AttachInstances(group, {id}); });
  if (!done) {
    return {ReleaseStatus::kFailed, "AttachInstances " + id + ": " + done.error().Describe()};
  }
  return {ReleaseStatus::kUndone, id + " attached to " + group + " again" + capacity};
}

AwsReleaser::Undone AwsReleaser::UndoAddress(const journal::Record& change, const json& prior,
                                             StepRecorder& recorder) {
  const aws::Ec2Client ec2(apis_(RegionOf(change.target)));
  const std::string allocation = Str(prior, "allocation_id");
  const std::string eni = Str(prior, "network_interface_id");
  const std::string private_ip = Str(prior, "private_ip_address");
  const std::string public_ip = Str(prior, "public_ip");
  if (allocation.empty() || eni.empty()) {
    return {ReleaseStatus::kFailed, "no saved Elastic IP association"};
  }
  auto current = ec2.DescribeAddresses({{"allocation-id", {allocation}}});
  if (!current || current->size() != 1) {
    return {
        ReleaseStatus::kFailed,
        "could not read Elastic IP " + public_ip + " (" + allocation + ")" +
            (current ? std::string(": it no longer exists") : ": " + current.error().Describe())};
  }
  const aws::Address& address = current->front();
  if (!address.association_id.empty()) {
    if (address.network_interface_id == eni && address.private_ip_address == private_ip) {
      return {ReleaseStatus::kUndone, "Elastic IP " + public_ip + " is already on " + eni};
    }
    return {ReleaseStatus::kFailed, "Elastic IP " + public_ip + " is associated with " +
                                        address.network_interface_id + " now; left there"};
  }
  auto done = recorder.Mutate("ec2:AssociateAddress",
                              {{"AllocationId", allocation},
                               {"NetworkInterfaceId", eni},
                               {"PrivateIpAddress", private_ip},
                               {"AllowReassociation", false},
                               {"undoes", change.seq}},
                              {{"association_id", nullptr}},
                              [&] { return ec2.AssociateAddress(allocation, eni, private_ip); });
  if (!done) {
    return {ReleaseStatus::kFailed,
            "AssociateAddress " + public_ip + ": " + done.error().Describe()};
  }
  return {ReleaseStatus::kUndone,
          "Elastic IP " + public_ip + " associated with " + eni + " (" + private_ip + ") again"};
}

AwsReleaser::Undone AwsReleaser::UndoInstanceProfile(const journal::Record& change,
                                                     const json& prior, StepRecorder& recorder) {
  const aws::Ec2Client ec2(apis_(RegionOf(change.target)));
  const std::string id = Str(prior, "instance_id");
  const std::string arn = Str(prior, "instance_profile_arn");
  if (id.empty() || arn.empty()) {
    return {ReleaseStatus::kFailed, "no saved instance profile association"};
  }
  auto current = ec2.DescribeIamInstanceProfileAssociations(id);
  if (!current) {
    return {ReleaseStatus::kFailed,
            "could not read the instance profile of " + id + ": " + current.error().Describe()};
  }
  for (const auto& association : *current) {
    if (association.state != "associated" && association.state != "associating") {
      continue;
    }
    if (association.instance_profile_arn == arn) {
      return {ReleaseStatus::kUndone, id + " already has instance profile " + arn};
    }
    return {ReleaseStatus::kFailed, id + " has another instance profile now (" +
                                        association.instance_profile_arn + "); left as is"};
  }
  auto done = recorder.Mutate(
      "ec2:AssociateIamInstanceProfile",
      {{"InstanceId", id}, {"IamInstanceProfile", {{"Arn", arn}}}, {"undoes", change.seq}},
      {{"instance_profile_arn", nullptr}}, [&] {
        return ec2.AssociateIamInstanceProfile(id, {arn, ""});
      });
  if (!done) {
    return {ReleaseStatus::kFailed,
            "AssociateIamInstanceProfile " + id + ": " + done.error().Describe()};
  }
  return {ReleaseStatus::kUndone, "instance profile " + arn + " associated with " + id + " again"};
}

}  // namespace cordon::execution
