#include "providers/aws/ec2_parsers.h"

#include <string>
#include <vector>

namespace cordon::aws {
namespace {

using pugi::xml_node;

std::vector<Tag> ParseTags(ResponseReader& in, xml_node node) {
  std::vector<Tag> tags;
  for (xml_node item : ListItems(node, "tagSet")) {
    tags.push_back({in.Required(item, "key", "tag"), in.Text(item, "value")});
  }
  return tags;
}

std::vector<GroupIdentifier> ParseGroups(ResponseReader& in, xml_node node) {
  std::vector<GroupIdentifier> groups;
  for (xml_node item : ListItems(node, "groupSet")) {
    groups.push_back(
        {in.Required(item, "groupId", "security group reference"), in.Text(item, "groupName")});
  }
  return groups;
}

IpPermission ParseIpPermission(ResponseReader& in, xml_node item) {
  IpPermission permission;
  permission.ip_protocol = in.Required(item, "ipProtocol", "security group rule");
  permission.from_port = in.Int(item, "fromPort");
  permission.to_port = in.Int(item, "toPort");
  for (xml_node range : ListItems(item, "ipRanges")) {
    permission.ip_ranges.push_back(
        {in.Required(range, "cidrIp", "IPv4 range"), in.Text(range, "description")});
  }
  for (xml_node range : ListItems(item, "ipv6Ranges")) {
    permission.ipv6_ranges.push_back(
        {in.Required(range, "cidrIpv6", "IPv6 range"), in.Text(range, "description")});
  }
  for (xml_node list : ListItems(item, "prefixListIds")) {
    permission.prefix_list_ids.push_back(
        {in.Required(list, "prefixListId", "prefix list"), in.Text(list, "description")});
  }
  for (xml_node pair : ListItems(item, "groups")) {
    UserIdGroupPair parsed;
    parsed.group_id = in.Text(pair, "groupId");
    parsed.group_name = in.Text(pair, "groupName");
    parsed.user_id = in.Text(pair, "userId");
    parsed.vpc_id = in.Text(pair, "vpcId");
    parsed.vpc_peering_connection_id = in.Text(pair, "vpcPeeringConnectionId");
    parsed.description = in.Text(pair, "description");
    if (parsed.group_id.empty() && parsed.group_name.empty()) {
      in.Problem("security group rule names a group with neither groupId nor groupName");
    }
    permission.user_id_group_pairs.push_back(std::move(parsed));
  }
  return permission;
}

SecurityGroup ParseSecurityGroup(ResponseReader& in, xml_node item) {
  SecurityGroup group;
  group.group_id = in.Required(item, "groupId", "security group");
  group.group_name = in.Text(item, "groupName");
  group.vpc_id = in.Text(item, "vpcId");
  group.description = in.Text(item, "groupDescription");
  group.owner_id = in.Text(item, "ownerId");
  for (xml_node rule : ListItems(item, "ipPermissions")) {
    group.ip_permissions.push_back(ParseIpPermission(in, rule));
  }
  for (xml_node rule : ListItems(item, "ipPermissionsEgress")) {
    group.ip_permissions_egress.push_back(ParseIpPermission(in, rule));
  }
  group.tags = ParseTags(in, item);
  return group;
}

// An element that is absent or has no child elements (EC2 writes `<association/>` for none).
bool IsEmptyElement(xml_node node) {
  return !node ||
         !node.find_child([](xml_node child) { return child.type() == pugi::node_element; });
}

// Interfaces have the same shape in DescribeNetworkInterfaces and in DescribeInstances'
// networkInterfaceSet (which leaves out a few fields).
NetworkInterface ParseNetworkInterface(ResponseReader& in, xml_node item) {
  NetworkInterface interface;
  interface.network_interface_id = in.Required(item, "networkInterfaceId", "network interface");
  interface.subnet_id = in.Text(item, "subnetId");
  interface.vpc_id = in.Text(item, "vpcId");
  interface.availability_zone = in.Text(item, "availabilityZone");
  interface.private_ip_address = in.Text(item, "privateIpAddress");
  interface.mac_address = in.Text(item, "macAddress");
  interface.description = in.Text(item, "description");
  interface.status = in.Text(item, "status");
  interface.owner_id = in.Text(item, "ownerId");
  interface.groups = ParseGroups(in, item);
  for (xml_node address : ListItems(item, "ipv6AddressesSet")) {
    interface.ipv6_addresses.push_back(in.Required(address, "ipv6Address", "IPv6 address"));
  }
  if (xml_node attachment = Child(item, "attachment"); !IsEmptyElement(attachment)) {
    NetworkInterfaceAttachment parsed;
    parsed.attachment_id = in.Text(attachment, "attachmentId");
    parsed.instance_id = in.Text(attachment, "instanceId");
    parsed.device_index = in.Int(attachment, "deviceIndex").value_or(0);
    parsed.delete_on_termination = in.Bool(attachment, "deleteOnTermination");
    parsed.status = in.Text(attachment, "status");
    parsed.attach_time = in.Text(attachment, "attachTime");
    interface.attachment = std::move(parsed);
  }
  if (xml_node association = Child(item, "association"); !IsEmptyElement(association)) {
    NetworkInterfaceAssociation parsed;
    parsed.public_ip = in.Text(association, "publicIp");
    parsed.public_dns_name = in.Text(association, "publicDnsName");
    parsed.allocation_id = in.Text(association, "allocationId");
    parsed.association_id = in.Text(association, "associationId");
    parsed.ip_owner_id = in.Text(association, "ipOwnerId");
    interface.association = std::move(parsed);
  }
  interface.tags = ParseTags(in, item);
  return interface;
}

Instance ParseInstance(ResponseReader& in, xml_node item) {
  Instance instance;
  instance.instance_id = in.Required(item, "instanceId", "instance");
  instance.state_name = in.Text(item, "instanceState/name");
  instance.instance_type = in.Text(item, "instanceType");
  instance.image_id = in.Text(item, "imageId");
  instance.key_name = in.Text(item, "keyName");
  instance.launch_time = in.Text(item, "launchTime");
  instance.vpc_id = in.Text(item, "vpcId");
  instance.subnet_id = in.Text(item, "subnetId");
  instance.availability_zone = in.Text(item, "placement/availabilityZone");
  instance.private_ip_address = in.Text(item, "privateIpAddress");
  instance.private_dns_name = in.Text(item, "privateDnsName");
  instance.public_ip_address = in.Text(item, "ipAddress");
  instance.public_dns_name = in.Text(item, "dnsName");
  instance.iam_instance_profile_arn = in.Text(item, "iamInstanceProfile/arn");
  for (xml_node interface : ListItems(item, "networkInterfaceSet")) {
    instance.network_interfaces.push_back(ParseNetworkInterface(in, interface));
  }
  for (xml_node device : ListItems(item, "blockDeviceMapping")) {
    InstanceBlockDevice parsed;
    parsed.device_name = in.Required(device, "deviceName", "block device");
    // Instance-store devices have no ebs element; only EBS volumes matter here.
    if (!Child(device, "ebs")) {
      continue;
    }
    parsed.volume_id = in.Required(device, "ebs/volumeId", "EBS block device");
    parsed.status = in.Text(device, "ebs/status");
    parsed.attach_time = in.Text(device, "ebs/attachTime");
    parsed.delete_on_termination = in.Bool(device, "ebs/deleteOnTermination");
    instance.block_devices.push_back(std::move(parsed));
  }
  instance.security_groups = ParseGroups(in, item);
  instance.tags = ParseTags(in, item);
  return instance;
}

Volume ParseVolume(ResponseReader& in, xml_node item) {
  Volume volume;
  volume.volume_id = in.Required(item, "volumeId", "volume");
  volume.volume_type = in.Text(item, "volumeType");
  volume.size_gib = in.Int(item, "size").value_or(0);
  volume.encrypted = in.Bool(item, "encrypted");
  volume.kms_key_id = in.Text(item, "kmsKeyId");
  volume.availability_zone = in.Text(item, "availabilityZone");
  volume.snapshot_id = in.Text(item, "snapshotId");
  volume.state = in.Text(item, "status");
  volume.create_time = in.Text(item, "createTime");
  for (xml_node attachment : ListItems(item, "attachmentSet")) {
    VolumeAttachment parsed;
    parsed.volume_id = in.Text(attachment, "volumeId");
    parsed.instance_id = in.Required(attachment, "instanceId", "volume attachment");
    parsed.device = in.Text(attachment, "device");
    parsed.state = in.Text(attachment, "status");
    parsed.attach_time = in.Text(attachment, "attachTime");
    parsed.delete_on_termination = in.Bool(attachment, "deleteOnTermination");
    volume.attachments.push_back(std::move(parsed));
  }
  volume.tags = ParseTags(in, item);
  return volume;
}

// DescribeSnapshots calls the state <status>; CreateSnapshots calls it <state>.
Snapshot ParseSnapshot(ResponseReader& in, xml_node item) {
  Snapshot snapshot;
  snapshot.snapshot_id = in.Required(item, "snapshotId", "snapshot");
  snapshot.volume_id = in.Text(item, "volumeId");
  snapshot.state = Child(item, "status") ? in.Text(item, "status") : in.Text(item, "state");
  snapshot.progress = in.Text(item, "progress");
  snapshot.start_time = in.Text(item, "startTime");
  snapshot.description = in.Text(item, "description");
  snapshot.owner_id = in.Text(item, "ownerId");
  snapshot.volume_size_gib = in.Int(item, "volumeSize").value_or(0);
  snapshot.encrypted = in.Bool(item, "encrypted");
  snapshot.tags = ParseTags(in, item);
  return snapshot;
}

Address ParseAddress(ResponseReader& in, xml_node item) {
  Address address;
  address.allocation_id = in.Text(item, "allocationId");
  address.association_id = in.Text(item, "associationId");
  address.public_ip = in.Required(item, "publicIp", "address");
  address.domain = in.Text(item, "domain");
  address.instance_id = in.Text(item, "instanceId");
  address.network_interface_id = in.Text(item, "networkInterfaceId");
  address.network_interface_owner_id = in.Text(item, "networkInterfaceOwnerId");
  address.private_ip_address = in.Text(item, "privateIpAddress");
  address.tags = ParseTags(in, item);
  return address;
}

IamInstanceProfileAssociation ParseProfileAssociation(ResponseReader& in, xml_node item) {
  IamInstanceProfileAssociation association;
  association.association_id = in.Required(item, "associationId", "profile association");
  association.instance_id = in.Text(item, "instanceId");
  association.instance_profile_arn =
      in.Required(item, "iamInstanceProfile/arn", "profile association");
  association.instance_profile_id = in.Text(item, "iamInstanceProfile/id");
  association.state = in.Text(item, "state");
  association.timestamp = in.Text(item, "timestamp");
  return association;
}

// One page of a Describe call listing `list` items parsed by `parse`.
template <typename T, typename Parse>
Result<Page<T>> ParseListPage(const QueryResponse& response, std::string_view action,
                              std::string_view list, Parse parse) {
  ResponseReader in("ec2:" + std::string(action), response.request_id);
  const xml_node root = in.Root(response, action);
  Page<T> page;
  if (in.RequiredNode(root, list, "response")) {
    for (xml_node item : ListItems(root, list)) {
      page.items.push_back(parse(in, item));
    }
  }
  page.next_token = in.Text(root, "nextToken");
  return in.Finish(std::move(page));
}

}  // namespace

Result<Page<Instance>> ParseDescribeInstances(const QueryResponse& response) {
  ResponseReader in("ec2:DescribeInstances", response.request_id);
  const xml_node root = in.Root(response, "DescribeInstances");
  Page<Instance> page;
  in.RequiredNode(root, "reservationSet", "response");
  for (xml_node reservation : ListItems(root, "reservationSet")) {
    for (xml_node item : ListItems(reservation, "instancesSet")) {
      page.items.push_back(ParseInstance(in, item));
    }
  }
  page.next_token = in.Text(root, "nextToken");
  return in.Finish(std::move(page));
}

Result<Page<NetworkInterface>> ParseDescribeNetworkInterfaces(const QueryResponse& response) {
  return ParseListPage<NetworkInterface>(response, "DescribeNetworkInterfaces",
                                         "networkInterfaceSet", ParseNetworkInterface);
}

Result<Page<Volume>> ParseDescribeVolumes(const QueryResponse& response) {
  return ParseListPage<Volume>(response, "DescribeVolumes", "volumeSet", ParseVolume);
}

Result<Page<SecurityGroup>> ParseDescribeSecurityGroups(const QueryResponse& response) {
  return ParseListPage<SecurityGroup>(response, "DescribeSecurityGroups", "securityGroupInfo",
                                      ParseSecurityGroup);
}

Result<Page<Snapshot>> ParseDescribeSnapshots(const QueryResponse& response) {
  return ParseListPage<Snapshot>(response, "DescribeSnapshots", "snapshotSet", ParseSnapshot);
}

Result<Page<IamInstanceProfileAssociation>> ParseDescribeIamInstanceProfileAssociations(
    const QueryResponse& response) {
  return ParseListPage<IamInstanceProfileAssociation>(
      response, "DescribeIamInstanceProfileAssociations", "iamInstanceProfileAssociationSet",
      ParseProfileAssociation);
}

Result<std::vector<Address>> ParseDescribeAddresses(const QueryResponse& response) {
  auto page = ParseListPage<Address>(response, "DescribeAddresses", "addressesSet", ParseAddress);
  if (!page) {
    return tl::unexpected(page.error());
  }
  return std::move(page->items);
}

Result<AssociateAddressResult> ParseAssociateAddress(const QueryResponse& response) {
  ResponseReader in("ec2:AssociateAddress", response.request_id);
  const xml_node root = in.Root(response, "AssociateAddress");
  std::string association_id = in.Required(root, "associationId", "response");
  return in.Finish(AssociateAddressResult{response.request_id, std::move(association_id)});
}

Result<IamInstanceProfileAssociationResult> ParseIamInstanceProfileAssociationChange(
    const QueryResponse& response, std::string_view action) {
  ResponseReader in("ec2:" + std::string(action), response.request_id);
  const xml_node root = in.Root(response, action);
  const xml_node item = in.RequiredNode(root, "iamInstanceProfileAssociation", "response");
  IamInstanceProfileAssociation association = ParseProfileAssociation(in, item);
  return in.Finish(
      IamInstanceProfileAssociationResult{response.request_id, std::move(association)});
}

Result<CreateSnapshotsResult> ParseCreateSnapshots(const QueryResponse& response) {
  auto page = ParseListPage<Snapshot>(response, "CreateSnapshots", "snapshotSet", ParseSnapshot);
  if (!page) {
    return tl::unexpected(page.error());
  }
  return CreateSnapshotsResult{response.request_id, std::move(page->items)};
}

Result<CreateSecurityGroupResult> ParseCreateSecurityGroup(const QueryResponse& response) {
  ResponseReader in("ec2:CreateSecurityGroup", response.request_id);
  const xml_node root = in.Root(response, "CreateSecurityGroup");
  std::string group_id = in.Required(root, "groupId", "response");
  return in.Finish(CreateSecurityGroupResult{response.request_id, std::move(group_id)});
}

Result<std::string> ParseInstanceAttribute(const QueryResponse& response,
                                           std::string_view attribute) {
  ResponseReader in("ec2:DescribeInstanceAttribute", response.request_id);
  const xml_node root = in.Root(response, "DescribeInstanceAttribute");
  std::string value = in.Required(root, std::string(attribute) + "/value", "response");
  return in.Finish(std::move(value));
}

}  // namespace cordon::aws
