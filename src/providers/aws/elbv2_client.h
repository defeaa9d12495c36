// Typed Elastic Load Balancing v2 calls over the AWS Query protocol (API 2015-12-01): the target
// groups an instance is registered in, and taking it out of them and back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/aws_types.h"

namespace cordon::aws {

// ELBv2 resources as cordon reads them, spelled as ELBv2 spells them. Every field a response
// leaves out is empty or nullopt. Thread-compatible values.

struct TargetGroup {
  std::string target_group_arn;
  std::string target_group_name;
  std::string protocol;
  std::optional<int> port;  // none for Lambda targets
  std::string vpc_id;
  std::string target_type;  // "instance", "ip", "lambda" or "alb"
  std::vector<std::string> load_balancer_arns;
};

// A target as registered: an instance id, an IP address, a Lambda ARN or a load balancer ARN.
// Deregistering needs the same port the target was registered with.
struct TargetDescription {
  std::string id;
  std::optional<int> port;        // nullopt: the target group's port
  std::string availability_zone;  // empty: the target's own zone
};

struct TargetHealthDescription {
  TargetDescription target;
  std::string health_check_port;
  // "initial", "healthy", "unhealthy", "unhealthy.draining", "unused", "draining" or
  // "unavailable"; "draining" means a deregistration is already under way.
  std::string state;
  std::string reason;  // e.g. "Target.NotInUse"
  std::string description;
};

// One registration of an instance (by id, or by one of its IP addresses) in a target group.
struct TargetGroupMembership {
  std::string target_group_arn;
  std::string target_group_name;
  std::string target_type;
  TargetHealthDescription target;
};

// A cheap, copyable handle on one region's ELBv2 API; it holds only a reference to `api`, which
// must outlive it. Thread-safe (no mutable state; `api` is thread-safe).
//
// DescribeTargetGroups follows Marker/NextMarker to the last page; a page that fails fails the
// whole call, so a list is never partial. Provider errors come back as the AwsApi mapped them
// (an unknown target group is TargetGroupNotFound, a kProvider error with that code; a target
// that cannot be registered is InvalidTarget). A response missing a required element is a
// kProvider error.
class Elbv2Client {
 public:
  explicit Elbv2Client(AwsApi& api) : api_(&api) {}

  // DescribeTargetGroups: every target group of the region.
  Result<std::vector<TargetGroup>> DescribeTargetGroups() const;

  // DescribeTargetHealth: every target registered in the group, with its state.
  Result<std::vector<TargetHealthDescription>> DescribeTargetHealth(
      const std::string& target_group_arn) const;

  // Every registration of the instance: in "instance" groups by `instance_id`, in "ip" groups by
  // any of `ip_addresses` (its private IPv4 and IPv6 addresses). ELBv2 has no reverse lookup, so
  // this lists every target group and then calls DescribeTargetHealth once per instance or ip
  // group: 1 + G calls for G such groups (plus one per further 400 groups), in sequence. A group
  // deleted meanwhile (TargetGroupNotFound) is skipped; any other failure fails the call.
  // Targets already "draining" are included.
  Result<std::vector<TargetGroupMembership>> FindTargetsOfInstance(
      const std::string& instance_id, const std::vector<std::string>& ip_addresses) const;

  // RegisterTargets: the targets join the group (and receive traffic once healthy). An empty
  // list is kInvalidInput (nothing is called).
  Result<MutationResult> RegisterTargets(const std::string& target_group_arn,
                                         const std::vector<TargetDescription>& targets) const;

  // DeregisterTargets: the targets leave the group; ELBv2 drains their connections for the
  // group's deregistration delay (meanwhile it is listed as "draining"). An empty list is
  // kInvalidInput (nothing is called).
  Result<MutationResult> DeregisterTargets(const std::string& target_group_arn,
                                           const std::vector<TargetDescription>& targets) const;

 private:
  Result<MutationResult> ChangeTargets(std::string_view action, const std::string& target_group_arn,
                                       const std::vector<TargetDescription>& targets) const;

  AwsApi* api_;
};

}  // namespace cordon::aws
