// Building EC2-protocol form parameters. Internal to Ec2Client.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "providers/aws/aws_api.h"
#include "providers/aws/ec2_types.h"

namespace cordon::aws {

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
  // With `with_descriptions`, as an authorize call writes it: each source's description too.
  Ec2Params& Permission(const std::string& prefix, const IpPermission& permission,
                        bool with_descriptions = false) {
    Add(prefix + ".IpProtocol", permission.ip_protocol);
    if (permission.from_port) {
      Add(prefix + ".FromPort", std::to_string(*permission.from_port));
    }
    if (permission.to_port) {
      Add(prefix + ".ToPort", std::to_string(*permission.to_port));
    }
    for (size_t i = 0; i < permission.ip_ranges.size(); ++i) {
      const std::string range = prefix + ".IpRanges." + std::to_string(i + 1);
      Add(range + ".CidrIp", permission.ip_ranges[i].cidr_ip);
      Description(range, permission.ip_ranges[i].description, with_descriptions);
    }
    for (size_t i = 0; i < permission.ipv6_ranges.size(); ++i) {
      const std::string range = prefix + ".Ipv6Ranges." + std::to_string(i + 1);
      Add(range + ".CidrIpv6", permission.ipv6_ranges[i].cidr_ipv6);
      Description(range, permission.ipv6_ranges[i].description, with_descriptions);
    }
    for (size_t i = 0; i < permission.prefix_list_ids.size(); ++i) {
      const std::string list = prefix + ".PrefixListIds." + std::to_string(i + 1);
      Add(list + ".PrefixListId", permission.prefix_list_ids[i].prefix_list_id);
      Description(list, permission.prefix_list_ids[i].description, with_descriptions);
    }
    for (size_t i = 0; i < permission.user_id_group_pairs.size(); ++i) {
      const UserIdGroupPair& pair = permission.user_id_group_pairs[i];
      const std::string group = prefix + ".Groups." + std::to_string(i + 1);
      if (!pair.group_id.empty()) {
        Add(group + ".GroupId", pair.group_id);
      } else {
        Add(group + ".GroupName", pair.group_name);
      }
      Description(group, pair.description, with_descriptions);
    }
    return *this;
  }

  const QueryParams& Params() const { return params_; }

 private:
  void Description(const std::string& prefix, const std::string& description, bool wanted) {
    if (wanted && !description.empty()) {
      Add(prefix + ".Description", description);
    }
  }

  QueryParams params_;
};

inline const char* BoolText(bool value) { return value ? "true" : "false"; }

}  // namespace cordon::aws
