// Typed EC2 calls over the EC2 protocol: the reads that capture an instance and the changes that
// protect and isolate it.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/ec2_types.h"

namespace cordon::aws {

// A cheap, copyable handle on one region's EC2 API; it holds only a reference to `api`, which
// must outlive it. Thread-safe (no mutable state; `api` is thread-safe).
//
// Every read follows NextToken to the last page; a page that fails fails the whole call, so a
// list is never partial. Provider errors come back as the AwsApi mapped them (e.g. kNotFound for
// InvalidInstanceID.NotFound). A response missing a required element (an id) is a kProvider
// error. Mutations change the cloud only as their comment says, and return the request id.
class Ec2Client {
 public:
  explicit Ec2Client(AwsApi& api) : api_(&api) {}

  // DescribeInstances for these ids (every reservation flattened). An empty list returns an
  // empty list without a call (EC2 would describe every instance).
  Result<std::vector<Instance>> DescribeInstances(
      const std::vector<std::string>& instance_ids) const;

  // DescribeInstanceAttribute disableApiTermination: whether termination protection is on.
  Result<bool> DescribeDisableApiTermination(const std::string& instance_id) const;

  // DescribeInstanceAttribute instanceInitiatedShutdownBehavior: "stop" or "terminate".
  Result<std::string> DescribeInstanceInitiatedShutdownBehavior(
      const std::string& instance_id) const;

  // DescribeNetworkInterfaces filtered by attachment.instance-id.
  Result<std::vector<NetworkInterface>> DescribeNetworkInterfacesForInstance(
      const std::string& instance_id) const;

  // DescribeNetworkInterfaces for these ids; an empty list returns an empty list without a call.
  Result<std::vector<NetworkInterface>> DescribeNetworkInterfaces(
      const std::vector<std::string>& network_interface_ids) const;

  // DescribeVolumes filtered by attachment.instance-id.
  Result<std::vector<Volume>> DescribeVolumesForInstance(const std::string& instance_id) const;

  // DescribeSecurityGroups for these ids; an empty list returns an empty list without a call.
  Result<std::vector<SecurityGroup>> DescribeSecurityGroups(
      const std::vector<std::string>& group_ids) const;

  // DescribeSecurityGroups filtered by group-name and vpc-id (empty when there is none).
  Result<std::vector<SecurityGroup>> FindSecurityGroups(const std::string& group_name,
                                                        const std::string& vpc_id) const;

  // DescribeSnapshots owned by this account (Owner self) matching every filter.
  Result<std::vector<Snapshot>> DescribeSnapshots(const std::vector<Filter>& filters) const;

  // ModifyInstanceAttribute DisableApiTermination: turns termination protection on or off.
  Result<MutationResult> SetDisableApiTermination(const std::string& instance_id,
                                                  bool disable) const;

  // ModifyInstanceAttribute InstanceInitiatedShutdownBehavior ("stop" or "terminate").
  Result<MutationResult> SetInstanceInitiatedShutdownBehavior(const std::string& instance_id,
                                                              const std::string& behavior) const;

  // ModifyInstanceAttribute BlockDeviceMapping: sets DeleteOnTermination of the named devices.
  // An empty list is kInvalidInput (nothing is called).
  Result<MutationResult> SetDeleteOnTermination(
      const std::string& instance_id, const std::vector<DeleteOnTerminationSetting>& devices) const;

  // CreateSnapshots of every EBS volume of the instance, tagging each snapshot with
  // `request.tags`. The snapshots start (state pending) and complete later.
  Result<CreateSnapshotsResult> CreateSnapshots(const CreateSnapshotsRequest& request) const;

  // CreateSecurityGroup in `vpc_id`, tagged with `tags`. EC2 gives a new group one egress rule
  // allowing all IPv4 traffic and no ingress rules.
  Result<CreateSecurityGroupResult> CreateSecurityGroup(const std::string& group_name,
                                                        const std::string& description,
                                                        const std::string& vpc_id,
                                                        const std::vector<Tag>& tags) const;

  // RevokeSecurityGroupEgress of these rules (matched on protocol, ports and sources; rule
  // descriptions are not sent). A rule EC2 does not know is not an error: it is already absent.
  // An empty list is kInvalidInput (nothing is called).
  Result<MutationResult> RevokeSecurityGroupEgress(
      const std::string& group_id, const std::vector<IpPermission>& permissions) const;

  // ModifyNetworkInterfaceAttribute SecurityGroupId: replaces every group of one interface.
  // An empty list is kInvalidInput (nothing is called).
  Result<MutationResult> SetNetworkInterfaceSecurityGroups(
      const std::string& network_interface_id, const std::vector<std::string>& group_ids) const;

  // CreateTags: adds or overwrites these tags on every resource.
  Result<MutationResult> CreateTags(const std::vector<std::string>& resource_ids,
                                    const std::vector<Tag>& tags) const;

  // --- Elastic IPs, instance profiles and the all-traffic group (ec2_client_network.cc).

  // DescribeAddresses matching every filter (no filter: every address of the region). The call
  // is not paginated.
  Result<std::vector<Address>> DescribeAddresses(const std::vector<Filter>& filters) const;

  // DescribeAddresses filtered by network-interface-id: the Elastic IPs on these interfaces,
  // whichever private address each is on. An empty list returns an empty list without a call.
  // Prefer it to an instance-id filter, which emulators (moto) leave unset for addresses
  // associated through an interface.
  Result<std::vector<Address>> DescribeAddressesForNetworkInterfaces(
      const std::vector<std::string>& network_interface_ids) const;

  // DisassociateAddress: the Elastic IP leaves its interface (the allocation is kept). An
  // association EC2 does not know is kNotFound (InvalidAssociationID.NotFound).
  Result<MutationResult> DisassociateAddress(const std::string& association_id) const;

  // AssociateAddress of the allocation with `private_ip_address` (empty: the interface's
  // primary address) of the interface, with AllowReassociation false: an address associated
  // elsewhere meanwhile is a provider error, never moved. Returns the new association id.
  Result<AssociateAddressResult> AssociateAddress(const std::string& allocation_id,
                                                  const std::string& network_interface_id,
                                                  const std::string& private_ip_address) const;

  // DescribeIamInstanceProfileAssociations filtered by instance-id, in every state (an
  // association disassociated recently is still listed as "disassociated").
  Result<std::vector<IamInstanceProfileAssociation>> DescribeIamInstanceProfileAssociations(
      const std::string& instance_id) const;

  // DisassociateIamInstanceProfile: the instance loses its profile. Returns the association,
  // typically in state "disassociating".
  Result<IamInstanceProfileAssociationResult> DisassociateIamInstanceProfile(
      const std::string& association_id) const;

  // AssociateIamInstanceProfile by ARN or by name (exactly one set, else kInvalidInput and
  // nothing is called). An instance that already has a profile is a provider error
  // (IncorrectState). Returns the association, typically in state "associating".
  Result<IamInstanceProfileAssociationResult> AssociateIamInstanceProfile(
      const std::string& instance_id, const IamInstanceProfileSpecification& profile) const;

  // AuthorizeSecurityGroupIngress / AuthorizeSecurityGroupEgress of these rules (with the
  // sources' descriptions). Rules the group already has are not an error: EC2 refuses a whole
  // request when one rule exists (InvalidPermission.Duplicate), so the rules are then sent again
  // one source at a time and those already present are skipped. On any other failure part way,
  // the rules sent before it stay. Returns the request id of the last call. An empty list is
  // kInvalidInput (nothing is called). Note: EC2 gives a new group an egress rule allowing all
  // IPv4 traffic (moto allows IPv6 too).
  Result<MutationResult> AuthorizeSecurityGroupIngress(
      const std::string& group_id, const std::vector<IpPermission>& permissions) const;
  Result<MutationResult> AuthorizeSecurityGroupEgress(
      const std::string& group_id, const std::vector<IpPermission>& permissions) const;

  // DeleteSecurityGroup. A group still used by an interface is kConflict (DependencyViolation);
  // an unknown group is kNotFound (InvalidGroup.NotFound).
  Result<MutationResult> DeleteSecurityGroup(const std::string& group_id) const;

 private:
  // One mutating call whose only result is the request id; `<return>false</return>` is a
  // kProvider error.
  Result<MutationResult> Mutate(std::string_view action, const QueryParams& params) const;
  Result<MutationResult> Authorize(std::string_view action, const std::string& group_id,
                                   const std::vector<IpPermission>& permissions) const;
  Result<std::string> InstanceAttribute(const std::string& instance_id,
                                        const std::string& attribute) const;

  AwsApi* api_;
};

// The rule that lets every protocol through, from or to any IPv4 (0.0.0.0/0) and IPv6 (::/0)
// address: the rule of the all-traffic group that makes tracked connections untracked.
IpPermission AllTrafficPermission();

}  // namespace cordon::aws
