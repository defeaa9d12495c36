#include "providers/aws/autoscaling_client.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <utility>

#include "providers/aws/query_protocol.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

using pugi::xml_node;

constexpr std::string_view kService = "autoscaling";
// Auto Scaling describes at most 50 named instances or groups per call.
constexpr size_t kNamesPerCall = 50;

std::vector<std::string> Strings(ResponseReader& in, xml_node node, std::string_view list) {
  std::vector<std::string> values;
  for (xml_node member : ListItems(node, list)) {
    values.push_back(in.Text(member, ""));
  }
  return values;
}

AutoScalingInstanceDetails ParseInstanceDetails(ResponseReader& in, xml_node member) {
  AutoScalingInstanceDetails instance;
  instance.instance_id = in.Required(member, "InstanceId", "Auto Scaling instance");
  instance.auto_scaling_group_name =
      in.Required(member, "AutoScalingGroupName", "Auto Scaling instance");
  instance.availability_zone = in.Text(member, "AvailabilityZone");
  instance.lifecycle_state = in.Required(member, "LifecycleState", "Auto Scaling instance");
  instance.health_status = in.Text(member, "HealthStatus");
  instance.protected_from_scale_in = in.Bool(member, "ProtectedFromScaleIn");
  return instance;
}

AutoScalingGroup ParseGroup(ResponseReader& in, xml_node member) {
  AutoScalingGroup group;
  group.auto_scaling_group_name = in.Required(member, "AutoScalingGroupName", "group");
  group.auto_scaling_group_arn = in.Text(member, "AutoScalingGroupARN");
  group.min_size = in.Int(member, "MinSize").value_or(0);
  group.max_size = in.Int(member, "MaxSize").value_or(0);
  if (!Child(member, "DesiredCapacity")) {
    in.Problem("group has no DesiredCapacity");
  }
  group.desired_capacity = in.Int(member, "DesiredCapacity").value_or(0);
  group.default_cooldown = in.Int(member, "DefaultCooldown").value_or(0);
  group.health_check_type = in.Text(member, "HealthCheckType");
  group.status = in.Text(member, "Status");
  group.availability_zones = Strings(in, member, "AvailabilityZones");
  group.load_balancer_names = Strings(in, member, "LoadBalancerNames");
  group.target_group_arns = Strings(in, member, "TargetGroupARNs");
  for (xml_node process : ListItems(member, "SuspendedProcesses")) {
    group.suspended_processes.push_back(in.Text(process, "ProcessName"));
  }
  for (xml_node instance : ListItems(member, "Instances")) {
    group.instances.push_back({in.Required(instance, "InstanceId", "group instance"),
                               in.Text(instance, "AvailabilityZone"),
                               in.Required(instance, "LifecycleState", "group instance"),
                               in.Text(instance, "HealthStatus"),
                               in.Bool(instance, "ProtectedFromScaleIn")});
  }
  for (xml_node tag : ListItems(member, "Tags")) {
    group.tags.push_back({in.Required(tag, "Key", "tag"), in.Text(tag, "Value")});
  }
  return group;
}

ScalingActivity ParseActivity(ResponseReader& in, xml_node member) {
  ScalingActivity activity;
  activity.activity_id = in.Required(member, "ActivityId", "activity");
  activity.auto_scaling_group_name = in.Text(member, "AutoScalingGroupName");
  activity.description = in.Text(member, "Description");
  activity.cause = in.Text(member, "Cause");
  activity.start_time = in.Text(member, "StartTime");
  activity.end_time = in.Text(member, "EndTime");
  activity.status_code = in.Required(member, "StatusCode", "activity");
  activity.status_message = in.Text(member, "StatusMessage");
  activity.progress = in.Int(member, "Progress").value_or(0);
  return activity;
}

// A parser of one page of `action`, whose <ActionResult> holds the list `list` and NextToken.
template <typename T, typename Parse>
auto PageParser(std::string_view action, std::string_view list, Parse parse) {
  return [action, list, parse](const QueryResponse& response) -> Result<Page<T>> {
    ResponseReader in("autoscaling:" + std::string(action), response.request_id);
    const xml_node result = QueryResult(in, response, action);
    Page<T> page;
    if (in.RequiredNode(result, list, "result")) {
      for (xml_node member : ListItems(result, list)) {
        page.items.push_back(parse(in, member));
      }
    }
    page.next_token = in.Text(result, "NextToken");
    return in.Finish(std::move(page));
  };
}

// Every page of `action` for each chunk of `names` (sent as `list_param`.member.N).
template <typename T, typename Parser>
Result<std::vector<T>> ReadNamed(AwsApi& api, std::string_view action,
                                 const std::string& list_param,
                                 const std::vector<std::string>& names, Parser parser) {
  std::vector<T> all;
  for (size_t start = 0; start < names.size(); start += kNamesPerCall) {
    const size_t end = std::min(names.size(), start + kNamesPerCall);
    QueryParams params;
    AddMemberList(params, list_param,
                  {names.begin() + static_cast<std::ptrdiff_t>(start),
                   names.begin() + static_cast<std::ptrdiff_t>(end)});
    auto chunk = ReadAllPages<T>(api, kService, action, params, "NextToken", parser);
    if (!chunk) {
      return tl::unexpected(chunk.error());
    }
    std::move(chunk->begin(), chunk->end(), std::back_inserter(all));
  }
  return all;
}

}  // namespace

Result<std::vector<AutoScalingInstanceDetails>> AutoScalingClient::DescribeAutoScalingInstances(
    const std::vector<std::string>& instance_ids) const {
  return ReadNamed<AutoScalingInstanceDetails>(
      *api_, "DescribeAutoScalingInstances", "InstanceIds", instance_ids,
      PageParser<AutoScalingInstanceDetails>("DescribeAutoScalingInstances", "AutoScalingInstances",
                                             ParseInstanceDetails));
}

Result<std::vector<AutoScalingGroup>> AutoScalingClient::DescribeAutoScalingGroups(
    const std::vector<std::string>& group_names) const {
  return ReadNamed<AutoScalingGroup>(
      *api_, "DescribeAutoScalingGroups", "AutoScalingGroupNames", group_names,
      PageParser<AutoScalingGroup>("DescribeAutoScalingGroups", "AutoScalingGroups", ParseGroup));
}

Result<std::vector<ScalingActivity>> AutoScalingClient::DescribeScalingActivities(
    const std::string& group_name, const std::vector<std::string>& activity_ids) const {
  QueryParams params;
  AddMemberList(params, "ActivityIds", activity_ids);
  params.emplace_back("AutoScalingGroupName", group_name);
  return ReadAllPages<ScalingActivity>(
      *api_, kService, "DescribeScalingActivities", params, "NextToken",
      PageParser<ScalingActivity>("DescribeScalingActivities", "Activities", ParseActivity));
}

Result<ScalingActivitiesResult> AutoScalingClient::ChangeInstances(
    std::string_view action, const std::string& group_name,
    const std::vector<std::string>& instance_ids, std::optional<bool> should_decrement) const {
  if (instance_ids.empty()) {
    return Fail(ErrorKind::kInvalidInput, std::string(action) + " needs at least one instance");
  }
  QueryParams params;
  AddMemberList(params, "InstanceIds", instance_ids);
  params.emplace_back("AutoScalingGroupName", group_name);
  if (should_decrement) {
    params.emplace_back("ShouldDecrementDesiredCapacity", QueryBool(*should_decrement));
  }

  auto response = api_->Query(kService, action, params);
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("autoscaling:" + std::string(action), response->request_id);
  const xml_node result = QueryResult(in, *response, action);
  ScalingActivitiesResult changed{response->request_id, {}};
  for (xml_node member : ListItems(result, "Activities")) {
    changed.activities.push_back(ParseActivity(in, member));
  }
  return in.Finish(std::move(changed));
}

Result<ScalingActivitiesResult> AutoScalingClient::EnterStandby(
    const std::string& group_name, const std::vector<std::string>& instance_ids,
    bool should_decrement_desired_capacity) const {
  return ChangeInstances("EnterStandby", group_name, instance_ids,
                         should_decrement_desired_capacity);
}

Result<ScalingActivitiesResult> AutoScalingClient::ExitStandby(
    const std::string& group_name, const std::vector<std::string>& instance_ids) const {
  return ChangeInstances("ExitStandby", group_name, instance_ids, std::nullopt);
}

Result<ScalingActivitiesResult> AutoScalingClient::DetachInstances(
    const std::string& group_name, const std::vector<std::string>& instance_ids,
    bool should_decrement_desired_capacity) const {
  return ChangeInstances("DetachInstances", group_name, instance_ids,
                         should_decrement_desired_capacity);
}

Result<MutationResult> AutoScalingClient::AttachInstances(
    const std::string& group_name, const std::vector<std::string>& instance_ids) const {
  if (instance_ids.empty()) {
    return Fail(ErrorKind::kInvalidInput, "AttachInstances needs at least one instance");
  }
  QueryParams params;
  AddMemberList(params, "InstanceIds", instance_ids);
  params.emplace_back("AutoScalingGroupName", group_name);
  auto response = api_->Query(kService, "AttachInstances", params);
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("autoscaling:AttachInstances", response->request_id);
  in.Root(*response, "AttachInstances");
  return in.Finish(MutationResult{response->request_id});
}

Result<MutationResult> AutoScalingClient::SetDesiredCapacity(const std::string& group_name,
                                                             int desired_capacity,
                                                             bool honor_cooldown) const {
  auto response = api_->Query(kService, "SetDesiredCapacity",
                              {{"AutoScalingGroupName", group_name},
                               {"DesiredCapacity", std::to_string(desired_capacity)},
                               {"HonorCooldown", QueryBool(honor_cooldown)}});
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("autoscaling:SetDesiredCapacity", response->request_id);
  in.Root(*response, "SetDesiredCapacity");
  return in.Finish(MutationResult{response->request_id});
}

}  // namespace cordon::aws
