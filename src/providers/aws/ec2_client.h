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

 private:
  // One mutating call whose only result is the request id; `<return>false</return>` is a
  // kProvider error.
  Result<MutationResult> Mutate(std::string_view action, const QueryParams& params) const;
  Result<std::string> InstanceAttribute(const std::string& instance_id,
                                        const std::string& attribute) const;

  AwsApi* api_;
};

}  // namespace cordon::aws
