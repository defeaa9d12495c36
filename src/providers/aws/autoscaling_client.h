// Typed Amazon EC2 Auto Scaling calls over the AWS Query protocol (API 2011-01-01): which group
// an instance belongs to, and taking it out of the group's hands (standby or detach) and back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/aws_types.h"

namespace cordon::aws {

// Auto Scaling resources as cordon reads them, spelled as Auto Scaling spells them. Every field
// a response leaves out is empty, zero or false. Thread-compatible values.

// An instance as DescribeAutoScalingInstances describes it.
struct AutoScalingInstanceDetails {
  std::string instance_id;
  std::string auto_scaling_group_name;
  std::string availability_zone;
  // "Pending", "InService", "Standby", "EnteringStandby", "Detaching", "Terminating", ...
  std::string lifecycle_state;
  std::string health_status;  // "Healthy" or "Unhealthy"
  bool protected_from_scale_in = false;
};

// An instance as its group lists it.
struct AutoScalingGroupInstance {
  std::string instance_id;
  std::string availability_zone;
  std::string lifecycle_state;
  std::string health_status;
  bool protected_from_scale_in = false;
};

struct AutoScalingGroup {
  std::string auto_scaling_group_name;
  std::string auto_scaling_group_arn;
  int min_size = 0;
  int max_size = 0;
  int desired_capacity = 0;
  int default_cooldown = 0;
  std::string health_check_type;
  std::string status;  // set only while the group is being deleted
  std::vector<std::string> availability_zones;
  std::vector<std::string> load_balancer_names;  // Classic Load Balancers
  // Target groups the group registers its InService instances with (and deregisters them from
  // when they enter Standby or are detached).
  std::vector<std::string> target_group_arns;
  std::vector<std::string> suspended_processes;
  std::vector<AutoScalingGroupInstance> instances;
  std::vector<Tag> tags;
};

// A scaling activity a change started.
struct ScalingActivity {
  std::string activity_id;
  std::string auto_scaling_group_name;
  std::string description;
  std::string cause;
  std::string start_time;
  std::string end_time;
  // "PendingSpotBidPlacement", ..., "InProgress", "PreInService", "Successful", "Failed",
  // "Cancelled", ...
  std::string status_code;
  std::string status_message;
  int progress = 0;  // percent
};

struct ScalingActivitiesResult {
  std::string request_id;
  std::vector<ScalingActivity> activities;
};

// A cheap, copyable handle on one region's Auto Scaling API; it holds only a reference to `api`,
// which must outlive it. Thread-safe (no mutable state; `api` is thread-safe).
//
// Every Describe call follows NextToken to the last page; a page that fails fails the whole
// call, so a list is never partial. Provider errors come back as the AwsApi mapped them: Auto
// Scaling answers an unknown group or an instance in the wrong state with ValidationError
// (kProvider, the code kept). A response missing a required element is a kProvider error. The
// instance-list changes take at most 20 instances (an Auto Scaling limit; more is a provider
// error) and an empty list is kInvalidInput with nothing called.
class AutoScalingClient {
 public:
  explicit AutoScalingClient(AwsApi& api) : api_(&api) {}

  // DescribeAutoScalingInstances for these ids, 50 per call. An instance in no group is absent
  // from the result. An empty list returns an empty list without a call (Auto Scaling would
  // describe every instance).
  Result<std::vector<AutoScalingInstanceDetails>> DescribeAutoScalingInstances(
      const std::vector<std::string>& instance_ids) const;

  // DescribeAutoScalingGroups by name, with their instances. A name that matches no group is
  // absent from the result. An empty list returns an empty list without a call.
  Result<std::vector<AutoScalingGroup>> DescribeAutoScalingGroups(
      const std::vector<std::string>& group_names) const;

  // DescribeScalingActivities of the group, only these activities when `activity_ids` is not
  // empty, newest first. For following what EnterStandby and the others started.
  Result<std::vector<ScalingActivity>> DescribeScalingActivities(
      const std::string& group_name, const std::vector<std::string>& activity_ids) const;

  // EnterStandby: the instances stay running but leave service (the group deregisters them from
  // its load balancers and no longer health-checks or replaces them). With
  // `should_decrement_desired_capacity` false the group launches replacements; true lowers the
  // desired capacity instead (refused below the minimum size). Returns the activities started.
  Result<ScalingActivitiesResult> EnterStandby(const std::string& group_name,
                                               const std::vector<std::string>& instance_ids,
                                               bool should_decrement_desired_capacity) const;

  // ExitStandby: the instances return to service. Auto Scaling raises the desired capacity by
  // their number, so a release that wants the old capacity must set it again.
  Result<ScalingActivitiesResult> ExitStandby(const std::string& group_name,
                                              const std::vector<std::string>& instance_ids) const;

  // DetachInstances: the instances leave the group and keep running. With
  // `should_decrement_desired_capacity` false the group launches replacements.
  Result<ScalingActivitiesResult> DetachInstances(const std::string& group_name,
                                                  const std::vector<std::string>& instance_ids,
                                                  bool should_decrement_desired_capacity) const;

  // AttachInstances: running instances join the group, raising its desired capacity by their
  // number (refused above the maximum size).
  Result<MutationResult> AttachInstances(const std::string& group_name,
                                         const std::vector<std::string>& instance_ids) const;

  // SetDesiredCapacity, ignoring the cooldown unless `honor_cooldown`. Lowering it makes the
  // group terminate instances by its termination policy.
  Result<MutationResult> SetDesiredCapacity(const std::string& group_name, int desired_capacity,
                                            bool honor_cooldown) const;

 private:
  Result<ScalingActivitiesResult> ChangeInstances(std::string_view action,
                                                  const std::string& group_name,
                                                  const std::vector<std::string>& instance_ids,
                                                  std::optional<bool> should_decrement) const;

  AwsApi* api_;
};

}  // namespace cordon::aws
