#include "providers/aws/ec2_client.h"

#include <string>

#include "providers/aws/ec2_parsers.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kService = "ec2";

// Builds EC2-protocol form parameters in order; lists are numbered from 1 (Name.1, Name.2).
class Ec2Params {
 public:
  Ec2Params& Add(std::string name, std::string value) {
    params_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  Ec2Params& List(const std::string& name, const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i) {
      Add(name + "." + std::to_string(i + 1), values[i]);
    }
    return *this;
  }

  Ec2Params& Filters(const std::vector<Filter>& filters) {
    for (size_t i = 0; i < filters.size(); ++i) {
      const std::string prefix = "Filter." + std::to_string(i + 1);
      Add(prefix + ".Name", filters[i].name);
      List(prefix + ".Value", filters[i].values);
    }
    return *this;
  }

  Ec2Params& Tags(const std::string& prefix, const std::vector<Tag>& tags) {
    for (size_t i = 0; i < tags.size(); ++i) {
      const std::string tag = prefix + "." + std::to_string(i + 1);
      Add(tag + ".Key", tags[i].key);
      Add(tag + ".Value", tags[i].value);
    }
    return *this;
  }

  // TagSpecification.1 for one resource type; nothing when there are no tags.
  Ec2Params& TagSpecification(const std::string& resource_type, const std::vector<Tag>& tags) {
    if (!tags.empty()) {
      Add("TagSpecification.1.ResourceType", resource_type);
      Tags("TagSpecification.1.Tag", tags);
    }
    return *this;
  }

  // One rule as a revoke call matches it: protocol, ports and sources, without descriptions.
  Ec2Params& Permission(const std::string& prefix, const IpPermission& permission) {
    Add(prefix + ".IpProtocol", permission.ip_protocol);
    if (permission.from_port) {
      Add(prefix + ".FromPort", std::to_string(*permission.from_port));
    }
    if (permission.to_port) {
      Add(prefix + ".ToPort", std::to_string(*permission.to_port));
    }
    for (size_t i = 0; i < permission.ip_ranges.size(); ++i) {
      Add(prefix + ".IpRanges." + std::to_string(i + 1) + ".CidrIp",
          permission.ip_ranges[i].cidr_ip);
    }
    for (size_t i = 0; i < permission.ipv6_ranges.size(); ++i) {
      Add(prefix + ".Ipv6Ranges." + std::to_string(i + 1) + ".CidrIpv6",
          permission.ipv6_ranges[i].cidr_ipv6);
    }
    for (size_t i = 0; i < permission.prefix_list_ids.size(); ++i) {
      Add(prefix + ".PrefixListIds." + std::to_string(i + 1) + ".PrefixListId",
          permission.prefix_list_ids[i].prefix_list_id);
    }
    for (size_t i = 0; i < permission.user_id_group_pairs.size(); ++i) {
      const UserIdGroupPair& pair = permission.user_id_group_pairs[i];
      const std::string group = prefix + ".Groups." + std::to_string(i + 1);
      if (!pair.group_id.empty()) {
        Add(group + ".GroupId", pair.group_id);
      } else {
        Add(group + ".GroupName", pair.group_name);
      }
    }
    return *this;
  }

  const QueryParams& Params() const { return params_; }

 private:
  QueryParams params_;
};

const char* BoolText(bool value) { return value ? "true" : "false"; }

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
