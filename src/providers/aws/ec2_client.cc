#include "providers/aws/ec2_client.h"

#include <string>

#include "providers/aws/ec2_params.h"
#include "providers/aws/ec2_parsers.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kService = "ec2";

}  // namespace

Result<std::vector<Instance>> Ec2Client::DescribeInstances(
    const std::vector<std::string>& instance_ids) const {
  if (instance_ids.empty()) {
    return std::vector<Instance>{};
  }
  Ec2Params params;
  params.List("InstanceId", instance_ids);
  return ReadAllPages<Instance>(*api_, kService, "DescribeInstances", params.Params(), "NextToken",
                                ParseDescribeInstances);
}

Result<std::string> Ec2Client::InstanceAttribute(const std::string& instance_id,
                                                 const std::string& attribute) const {
  auto response = api_->Query(kService, "DescribeInstanceAttribute",
                              {{"InstanceId", instance_id}, {"Attribute", attribute}});
  if (!response) {
    return tl::unexpected(response.error());
  }
  return ParseInstanceAttribute(*response, attribute);
}

Result<bool> Ec2Client::DescribeDisableApiTermination(const std::string& instance_id) const {
  auto value = InstanceAttribute(instance_id, "disableApiTermination");
  if (!value) {
    return tl::unexpected(value.error());
  }
  if (*value != "true" && *value != "false") {
    return Fail(ErrorKind::kProvider,
                "unexpected ec2:DescribeInstanceAttribute response: disableApiTermination is '" +
                    *value + "'");
  }
  return *value == "true";
}

Result<std::string> Ec2Client::DescribeInstanceInitiatedShutdownBehavior(
    const std::string& instance_id) const {
  return InstanceAttribute(instance_id, "instanceInitiatedShutdownBehavior");
}

Result<std::vector<NetworkInterface>> Ec2Client::DescribeNetworkInterfacesForInstance(
    const std::string& instance_id) const {
  Ec2Params params;
  params.Filters({{"attachment.instance-id", {instance_id}}});
  return ReadAllPages<NetworkInterface>(*api_, kService, "DescribeNetworkInterfaces",
                                        params.Params(), "NextToken",
                                        ParseDescribeNetworkInterfaces);
}

Result<std::vector<NetworkInterface>> Ec2Client::DescribeNetworkInterfaces(
    const std::vector<std::string>& network_interface_ids) const {
  if (network_interface_ids.empty()) {
    return std::vector<NetworkInterface>{};
  }
  Ec2Params params;
  params.List("NetworkInterfaceId", network_interface_ids);
  return ReadAllPages<NetworkInterface>(*api_, kService, "DescribeNetworkInterfaces",
                                        params.Params(), "NextToken",
                                        ParseDescribeNetworkInterfaces);
}

Result<std::vector<Volume>> Ec2Client::DescribeVolumesForInstance(
    const std::string& instance_id) const {
  Ec2Params params;
  params.Filters({{"attachment.instance-id", {instance_id}}});
  return ReadAllPages<Volume>(*api_, kService, "DescribeVolumes", params.Params(), "NextToken",
                              ParseDescribeVolumes);
}

Result<std::vector<SecurityGroup>> Ec2Client::DescribeSecurityGroups(
    const std::vector<std::string>& group_ids) const {
  if (group_ids.empty()) {
    return std::vector<SecurityGroup>{};
  }
  Ec2Params params;
  params.List("GroupId", group_ids);
  return ReadAllPages<SecurityGroup>(*api_, kService, "DescribeSecurityGroups", params.Params(),
                                     "NextToken", ParseDescribeSecurityGroups);
}

Result<std::vector<SecurityGroup>> Ec2Client::FindSecurityGroups(const std::string& group_name,
                                                                 const std::string& vpc_id) const {
  Ec2Params params;
  params.Filters({{"group-name", {group_name}}, {"vpc-id", {vpc_id}}});
  return ReadAllPages<SecurityGroup>(*api_, kService, "DescribeSecurityGroups", params.Params(),
                                     "NextToken", ParseDescribeSecurityGroups);
}

Result<std::vector<Snapshot>> Ec2Client::DescribeSnapshots(
    const std::vector<Filter>& filters) const {
  Ec2Params params;
  params.Add("Owner.1", "self").Filters(filters);
  return ReadAllPages<Snapshot>(*api_, kService, "DescribeSnapshots", params.Params(), "NextToken",
                                ParseDescribeSnapshots);
}

Result<MutationResult> Ec2Client::Mutate(std::string_view action, const QueryParams& params) const {
  auto response = api_->Query(kService, action, params);
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("ec2:" + std::string(action), response->request_id);
  const pugi::xml_node root = in.Root(*response, action);
  if (Child(root, "return") && !in.Bool(root, "return")) {
    in.Problem("EC2 answered return=false: the change was not made");
  }
  return in.Finish(MutationResult{response->request_id});
}

Result<MutationResult> Ec2Client::SetDisableApiTermination(const std::string& instance_id,
                                                           bool disable) const {
  return Mutate("ModifyInstanceAttribute",
                {{"InstanceId", instance_id}, {"DisableApiTermination.Value", BoolText(disable)}});
}

Result<MutationResult> Ec2Client::SetInstanceInitiatedShutdownBehavior(
    const std::string& instance_id, const std::string& behavior) const {
  return Mutate("ModifyInstanceAttribute", {{"InstanceId", instance_id},
                                            {"InstanceInitiatedShutdownBehavior.Value", behavior}});
}

Result<MutationResult> Ec2Client::SetDeleteOnTermination(
    const std::string& instance_id, const std::vector<DeleteOnTerminationSetting>& devices) const {
  if (devices.empty()) {
    return Fail(ErrorKind::kInvalidInput, "SetDeleteOnTermination needs at least one device");
  }
  Ec2Params params;
  params.Add("InstanceId", instance_id);
  for (size_t i = 0; i < devices.size(); ++i) {
    const std::string prefix = "BlockDeviceMapping." + std::to_string(i + 1);
    params.Add(prefix + ".DeviceName", devices[i].device_name)
        .Add(prefix + ".Ebs.DeleteOnTermination", BoolText(devices[i].delete_on_termination));
  }
  return Mutate("ModifyInstanceAttribute", params.Params());
}

Result<CreateSnapshotsResult> Ec2Client::CreateSnapshots(
    const CreateSnapshotsRequest& request) const {
  Ec2Params params;
  params.Add("InstanceSpecification.InstanceId", request.instance_id);
  if (!request.description.empty()) {
    params.Add("Description", request.description);
  }
  params.TagSpecification("snapshot", request.tags);
  auto response = api_->Query(kService, "CreateSnapshots", params.Params());
  if (!response) {
    return tl::unexpected(response.error());
  }
  return ParseCreateSnapshots(*response);
}

Result<CreateSecurityGroupResult> Ec2Client::CreateSecurityGroup(
    const std::string& group_name, const std::string& description, const std::string& vpc_id,
    const std::vector<Tag>& tags) const {
  Ec2Params params;
  params.Add("GroupName", group_name)
      .Add("GroupDescription", description)
      .Add("VpcId", vpc_id)
      .TagSpecification("security-group", tags);
  auto response = api_->Query(kService, "CreateSecurityGroup", params.Params());
  if (!response) {
    return tl::unexpected(response.error());
  }
  return ParseCreateSecurityGroup(*response);
}

Result<MutationResult> Ec2Client::RevokeSecurityGroupEgress(
    const std::string& group_id, const std::vector<IpPermission>& permissions) const {
  if (permissions.empty()) {
    return Fail(ErrorKind::kInvalidInput, "RevokeSecurityGroupEgress needs at least one rule");
  }
  Ec2Params params;
  params.Add("GroupId", group_id);
  for (size_t i = 0; i < permissions.size(); ++i) {
    params.Permission("IpPermissions." + std::to_string(i + 1), permissions[i]);
  }
  return Mutate("RevokeSecurityGroupEgress", params.Params());
}

Result<MutationResult> Ec2Client::SetNetworkInterfaceSecurityGroups(
    const std::string& network_interface_id, const std::vector<std::string>& group_ids) const {
  if (group_ids.empty()) {
    return Fail(ErrorKind::kInvalidInput, "an interface needs at least one security group");
  }
  Ec2Params params;
  params.Add("NetworkInterfaceId", network_interface_id).List("SecurityGroupId", group_ids);
  return Mutate("ModifyNetworkInterfaceAttribute", params.Params());
}

Result<MutationResult> Ec2Client::CreateTags(const std::vector<std::string>& resource_ids,
                                             const std::vector<Tag>& tags) const {
  if (resource_ids.empty() || tags.empty()) {
    return Fail(ErrorKind::kInvalidInput, "CreateTags needs at least one resource and one tag");
  }
  Ec2Params params;
  params.List("ResourceId", resource_ids).Tags("Tag", tags);
  return Mutate("CreateTags", params.Params());
}

}  // namespace cordon::aws
