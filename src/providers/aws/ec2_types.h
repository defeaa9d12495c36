// EC2 resources as cordon reads them, spelled as EC2 spells them. Every field a response leaves
// out is empty, zero, false or nullopt. All types are thread-compatible values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "providers/aws/aws_types.h"

namespace cordon::aws {

// A DescribeX filter, e.g. {"attachment.instance-id", {"i-0abc"}}.
struct Filter {
  std::string name;
  std::vector<std::string> values;
};

struct IpRange {
  std::string cidr_ip;
  std::string description;
};

struct Ipv6Range {
  std::string cidr_ipv6;
  std::string description;
};

struct PrefixListId {
  std::string prefix_list_id;
  std::string description;
};

// A rule's reference to another security group.
struct UserIdGroupPair {
  std::string group_id;
  std::string group_name;
  std::string user_id;
  std::string vpc_id;
  std::string vpc_peering_connection_id;
  std::string description;
};

// One security group rule. `ip_protocol` "-1" means every protocol (and then no ports).
struct IpPermission {
  std::string ip_protocol;
  std::optional<int> from_port;
  std::optional<int> to_port;
  std::vector<IpRange> ip_ranges;
  std::vector<Ipv6Range> ipv6_ranges;
  std::vector<PrefixListId> prefix_list_ids;
  std::vector<UserIdGroupPair> user_id_group_pairs;
};

struct SecurityGroup {
  std::string group_id;
  std::string group_name;
  std::string vpc_id;
  std::string description;
  std::string owner_id;
  std::vector<IpPermission> ip_permissions;         // ingress
  std::vector<IpPermission> ip_permissions_egress;  // egress
  std::vector<Tag> tags;
};

// A security group as an instance or interface names it.
struct GroupIdentifier {
  std::string group_id;
  std::string group_name;
};

struct NetworkInterfaceAttachment {
  std::string attachment_id;
  std::string instance_id;  // empty when read through DescribeInstances
  int device_index = 0;
  bool delete_on_termination = false;
  std::string status;
  std::string attach_time;
};

// The public IPv4 address of an interface.
struct NetworkInterfaceAssociation {
  std::string public_ip;
  std::string public_dns_name;
  std::string allocation_id;   // empty when read through DescribeInstances
  std::string association_id;  // empty when read through DescribeInstances
  std::string ip_owner_id;
};

struct NetworkInterface {
  std::string network_interface_id;
  std::string subnet_id;
  std::string vpc_id;
  std::string availability_zone;
  std::string private_ip_address;
  std::string mac_address;
  std::string description;
  std::string status;
  std::string owner_id;
  std::vector<GroupIdentifier> groups;
  std::vector<std::string> ipv6_addresses;
  std::optional<NetworkInterfaceAttachment> attachment;    // nullopt when detached
  std::optional<NetworkInterfaceAssociation> association;  // nullopt without a public IPv4
  std::vector<Tag> tags;
};

struct VolumeAttachment {
  std::string volume_id;
  std::string instance_id;
  std::string device;
  std::string state;
  std::string attach_time;
  bool delete_on_termination = false;
};

struct Volume {
  std::string volume_id;
  std::string volume_type;
  int size_gib = 0;
  bool encrypted = false;
  std::string kms_key_id;
  std::string availability_zone;
  std::string snapshot_id;
  std::string state;
  std::string create_time;
  std::vector<VolumeAttachment> attachments;
  std::vector<Tag> tags;
};

// An EBS volume as an instance's block device mapping lists it.
struct InstanceBlockDevice {
  std::string device_name;
  std::string volume_id;
  std::string status;
  std::string attach_time;
  bool delete_on_termination = false;
};

struct Instance {
  std::string instance_id;
  std::string state_name;  // "pending", "running", "stopped", ...
  std::string instance_type;
  std::string image_id;
  std::string key_name;
  std::string launch_time;
  std::string vpc_id;
  std::string subnet_id;
  std::string availability_zone;
  std::string private_ip_address;
  std::string private_dns_name;
  std::string public_ip_address;
  std::string public_dns_name;
  std::string iam_instance_profile_arn;
  std::vector<NetworkInterface> network_interfaces;
  std::vector<InstanceBlockDevice> block_devices;
  std::vector<GroupIdentifier> security_groups;
  std::vector<Tag> tags;
};

// An EBS snapshot, from DescribeSnapshots or CreateSnapshots.
struct Snapshot {
  std::string snapshot_id;
  std::string volume_id;
  std::string state;  // "pending", "completed", "error", ...
  std::string progress;
  std::string start_time;
  std::string description;
  std::string owner_id;
  int volume_size_gib = 0;
  bool encrypted = false;
  std::vector<Tag> tags;
};

// The DeleteOnTermination flag of one EBS block device of an instance.
struct DeleteOnTerminationSetting {
  std::string device_name;
  bool delete_on_termination = false;
};

// Crash-consistent snapshots of every EBS volume of one instance.
struct CreateSnapshotsRequest {
  std::string instance_id;
  std::string description;
  std::vector<Tag> tags;  // put on every snapshot
};

struct CreateSnapshotsResult {
  std::string request_id;
  std::vector<Snapshot> snapshots;
};

struct CreateSecurityGroupResult {
  std::string request_id;
  std::string group_id;
};

// An Elastic IP address. `association_id` is empty when the address is not associated.
struct Address {
  std::string allocation_id;
  std::string association_id;
  std::string public_ip;
  std::string domain;  // "vpc"
  std::string instance_id;
  std::string network_interface_id;
  std::string network_interface_owner_id;
  std::string private_ip_address;
  std::vector<Tag> tags;
};

struct AssociateAddressResult {
  std::string request_id;
  std::string association_id;
};

// The link between an instance and its IAM instance profile.
struct IamInstanceProfileAssociation {
  std::string association_id;
  std::string instance_id;
  std::string instance_profile_arn;
  std::string instance_profile_id;
  std::string state;  // "associating", "associated", "disassociating" or "disassociated"
  std::string timestamp;
};

struct IamInstanceProfileAssociationResult {
  std::string request_id;
  IamInstanceProfileAssociation association;
};

// The instance profile AssociateIamInstanceProfile attaches, by ARN or by name: set exactly one.
struct IamInstanceProfileSpecification {
  std::string arn;
  std::string name;
};

}  // namespace cordon::aws
