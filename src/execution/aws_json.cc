#include "execution/aws_json.h"

namespace cordon::execution {

using nlohmann::json;

json ToJson(const std::vector<aws::Tag>& tags) {
  json out = json::object();
  for (const auto& tag : tags) {
    out[tag.key] = tag.value;
  }
  return out;
}

json ToJson(const aws::IpPermission& permission) {
  json out = {{"ip_protocol", permission.ip_protocol}};
  if (permission.from_port) {
    out["from_port"] = *permission.from_port;
  }
  if (permission.to_port) {
    out["to_port"] = *permission.to_port;
  }
  for (const auto& range : permission.ip_ranges) {
    out["ip_ranges"].push_back(range.cidr_ip);
  }
  for (const auto& range : permission.ipv6_ranges) {
    out["ipv6_ranges"].push_back(range.cidr_ipv6);
  }
  for (const auto& list : permission.prefix_list_ids) {
    out["prefix_list_ids"].push_back(list.prefix_list_id);
  }
  for (const auto& pair : permission.user_id_group_pairs) {
    out["groups"].push_back(pair.group_id);
  }
  return out;
}

json ToJson(const aws::SecurityGroup& group) {
  json ingress = json::array();
  json egress = json::array();
  for (const auto& p : group.ip_permissions) {
    ingress.push_back(ToJson(p));
  }
  for (const auto& p : group.ip_permissions_egress) {
    egress.push_back(ToJson(p));
  }
  return {{"group_id", group.group_id}, {"group_name", group.group_name},
          {"vpc_id", group.vpc_id},     {"description", group.description},
          {"ingress", ingress},         {"egress", egress},
          {"tags", ToJson(group.tags)}};
}

json ToJson(const aws::NetworkInterface& interface) {
  json groups = json::array();
  for (const auto& g : interface.groups) {
    groups.push_back(g.group_id);
  }
  json out = {{"network_interface_id", interface.network_interface_id},
              {"subnet_id", interface.subnet_id},
              {"vpc_id", interface.vpc_id},
              {"private_ip_address", interface.private_ip_address},
              {"mac_address", interface.mac_address},
              {"description", interface.description},
              {"status", interface.status},
              {"groups", groups},
              {"ipv6_addresses", interface.ipv6_addresses}};
  if (interface.attachment) {
    out["attachment"] = {{"attachment_id", interface.attachment->attachment_id},
                         {"device_index", interface.attachment->device_index},
                         {"delete_on_termination", interface.attachment->delete_on_termination}};
  }
  if (interface.association) {
    out["association"] = {{"public_ip", interface.association->public_ip},
                          {"allocation_id", interface.association->allocation_id},
                          {"association_id", interface.association->association_id},
                          {"ip_owner_id", interface.association->ip_owner_id}};
  }
  return out;
}

json ToJson(const aws::Volume& volume) {
  json attachments = json::array();
  for (const auto& a : volume.attachments) {
    attachments.push_back({{"instance_id", a.instance_id},
                           {"device", a.device},
                           {"state", a.state},
                           {"delete_on_termination", a.delete_on_termination}});
  }
  return {{"volume_id", volume.volume_id},
          {"volume_type", volume.volume_type},
          {"size_gib", volume.size_gib},
          {"encrypted", volume.encrypted},
          {"availability_zone", volume.availability_zone},
          {"snapshot_id", volume.snapshot_id},
          {"attachments", attachments},
          {"tags", ToJson(volume.tags)}};
}

json ToJson(const aws::Instance& instance) {
  json interfaces = json::array();
  for (const auto& i : instance.network_interfaces) {
    interfaces.push_back(ToJson(i));
  }
  json devices = json::array();
  for (const auto& d : instance.block_devices) {
    devices.push_back({{"device_name", d.device_name},
                       {"volume_id", d.volume_id},
                       {"delete_on_termination", d.delete_on_termination}});
  }
  json groups = json::array();
  for (const auto& g : instance.security_groups) {
    groups.push_back({{"group_id", g.group_id}, {"group_name", g.group_name}});
  }
  return {{"instance_id", instance.instance_id},
          {"state", instance.state_name},
          {"instance_type", instance.instance_type},
          {"image_id", instance.image_id},
          {"launch_time", instance.launch_time},
          {"vpc_id", instance.vpc_id},
          {"subnet_id", instance.subnet_id},
          {"availability_zone", instance.availability_zone},
          {"private_ip_address", instance.private_ip_address},
          {"public_ip_address", instance.public_ip_address},
          {"iam_instance_profile_arn", instance.iam_instance_profile_arn},
          {"network_interfaces", interfaces},
          {"block_devices", devices},
          {"security_groups", groups},
          {"tags", ToJson(instance.tags)}};
}

json ToJson(const aws::IamUser& user) {
  return {{"user_name", user.user_name},
          {"user_id", user.user_id},
          {"arn", user.arn},
          {"path", user.path},
          {"create_date", user.create_date},
          {"password_last_used", user.password_last_used},
          {"tags", ToJson(user.tags)}};
}

json ToJson(const aws::AccessKeyMetadata& key) {
  return {{"access_key_id", key.access_key_id},
          {"status", key.status},
          {"create_date", key.create_date}};
}

json ToJson(const aws::IamRole& role) {
  return {{"role_name", role.role_name},
          {"role_id", role.role_id},
          {"arn", role.arn},
          {"path", role.path},
          {"create_date", role.create_date},
          {"max_session_duration", role.max_session_duration},
          {"last_used_date", role.last_used_date},
          {"trust_policy", PolicyJson(role.assume_role_policy_document)},
          {"tags", ToJson(role.tags)}};
}

json PolicyJson(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(text) : parsed;
}

std::vector<std::string> GroupIds(const aws::NetworkInterface& interface) {
  std::vector<std::string> ids;
  for (const auto& group : interface.groups) {
    ids.push_back(group.group_id);
  }
  return ids;
}

std::string Str(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace cordon::execution
