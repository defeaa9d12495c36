#include "providers/aws/elbv2_client.h"

#include <algorithm>
#include <string>
#include <utility>

#include "providers/aws/query_protocol.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

using pugi::xml_node;

constexpr std::string_view kService = "elasticloadbalancing";

TargetGroup ParseTargetGroup(ResponseReader& in, xml_node member) {
  TargetGroup group;
  group.target_group_arn = in.Required(member, "TargetGroupArn", "target group");
  group.target_group_name = in.Text(member, "TargetGroupName");
  group.protocol = in.Text(member, "Protocol");
  group.port = in.Int(member, "Port");
  group.vpc_id = in.Text(member, "VpcId");
  group.target_type = in.Text(member, "TargetType");
  for (xml_node arn : ListItems(member, "LoadBalancerArns")) {
    group.load_balancer_arns.push_back(in.Text(arn, ""));
  }
  return group;
}

TargetHealthDescription ParseTargetHealth(ResponseReader& in, xml_node member) {
  TargetHealthDescription health;
  health.target.id = in.Required(member, "Target/Id", "target health description");
  health.target.port = in.Int(member, "Target/Port");
  health.target.availability_zone = in.Text(member, "Target/AvailabilityZone");
  health.health_check_port = in.Text(member, "HealthCheckPort");
  health.state = in.Required(member, "TargetHealth/State", "target health description");
  health.reason = in.Text(member, "TargetHealth/Reason");
  health.description = in.Text(member, "TargetHealth/Description");
  return health;
}

Result<Page<TargetGroup>> ParseTargetGroupsPage(const QueryResponse& response) {
  ResponseReader in("elasticloadbalancing:DescribeTargetGroups", response.request_id);
  const xml_node result = QueryResult(in, response, "DescribeTargetGroups");
  Page<TargetGroup> page;
  // A page without the list could hide the group an instance is in, so it is a problem.
  in.RequiredNode(result, "TargetGroups", "result");
  for (xml_node member : ListItems(result, "TargetGroups")) {
    page.items.push_back(ParseTargetGroup(in, member));
  }
  page.next_token = in.Text(result, "NextMarker");
  return in.Finish(std::move(page));
}

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

Result<std::vector<TargetGroup>> Elbv2Client::DescribeTargetGroups() const {
  return ReadAllPages<TargetGroup>(*api_, kService, "DescribeTargetGroups", {}, "Marker",
                                   ParseTargetGroupsPage);
}

Result<std::vector<TargetHealthDescription>> Elbv2Client::DescribeTargetHealth(
    const std::string& target_group_arn) const {
  auto response =
      api_->Query(kService, "DescribeTargetHealth", {{"TargetGroupArn", target_group_arn}});
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("elasticloadbalancing:DescribeTargetHealth", response->request_id);
  const xml_node result = QueryResult(in, *response, "DescribeTargetHealth");
  std::vector<TargetHealthDescription> targets;
  in.RequiredNode(result, "TargetHealthDescriptions", "result");
  for (xml_node member : ListItems(result, "TargetHealthDescriptions")) {
    targets.push_back(ParseTargetHealth(in, member));
  }
  return in.Finish(std::move(targets));
}

Result<std::vector<TargetGroupMembership>> Elbv2Client::FindTargetsOfInstance(
    const std::string& instance_id, const std::vector<std::string>& ip_addresses) const {
  auto groups = DescribeTargetGroups();
  if (!groups) {
    return tl::unexpected(groups.error());
  }

  std::vector<TargetGroupMembership> found;
  for (const TargetGroup& group : *groups) {
    const bool by_id = group.target_type == "instance";
    if (!by_id && group.target_type != "ip") {
      continue;
    }
    auto targets = DescribeTargetHealth(group.target_group_arn);
    if (!targets) {
      if (targets.error().provider_code == "TargetGroupNotFound") {
        continue;
      }
      return tl::unexpected(targets.error());
    }
    for (TargetHealthDescription& target : *targets) {
      if (by_id ? target.target.id == instance_id : Contains(ip_addresses, target.target.id)) {
        found.push_back({group.target_group_arn, group.target_group_name, group.target_type,
                         std::move(target)});
      }
    }
  }
  return found;
}

Result<MutationResult> Elbv2Client::ChangeTargets(
    std::string_view action, const std::string& target_group_arn,
    const std::vector<TargetDescription>& targets) const {
  if (targets.empty()) {
    return Fail(ErrorKind::kInvalidInput, std::string(action) + " needs at least one target");
  }
  QueryParams params = {{"TargetGroupArn", target_group_arn}};
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string member = "Targets.member." + std::to_string(i + 1);
    params.emplace_back(member + ".Id", targets[i].id);
    if (targets[i].port) {
      params.emplace_back(member + ".Port", std::to_string(*targets[i].port));
    }
    if (!targets[i].availability_zone.empty()) {
      params.emplace_back(member + ".AvailabilityZone", targets[i].availability_zone);
    }
  }

  auto response = api_->Query(kService, action, params);
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("elasticloadbalancing:" + std::string(action), response->request_id);
  QueryResult(in, *response, action);
  return in.Finish(MutationResult{response->request_id});
}

Result<MutationResult> Elbv2Client::RegisterTargets(
    const std::string& target_group_arn, const std::vector<TargetDescription>& targets) const {
  return ChangeTargets("RegisterTargets", target_group_arn, targets);
}

Result<MutationResult> Elbv2Client::DeregisterTargets(
    const std::string& target_group_arn, const std::vector<TargetDescription>& targets) const {
  return ChangeTargets("DeregisterTargets", target_group_arn, targets);
}

}  // namespace cordon::aws
