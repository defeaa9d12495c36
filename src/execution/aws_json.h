// JSON views of AWS resources, for evidence files and the journal's prior state.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/aws/ec2_types.h"
#include "providers/aws/iam_client.h"

namespace cordon::execution {

nlohmann::json ToJson(const std::vector<aws::Tag>& tags);
nlohmann::json ToJson(const aws::IpPermission& permission);
nlohmann::json ToJson(const aws::SecurityGroup& group);
nlohmann::json ToJson(const aws::NetworkInterface& interface);
nlohmann::json ToJson(const aws::Volume& volume);
nlohmann::json ToJson(const aws::Instance& instance);
nlohmann::json ToJson(const aws::IamUser& user);
nlohmann::json ToJson(const aws::AccessKeyMetadata& key);
nlohmann::json ToJson(const aws::IamRole& role);

// A policy document's JSON text parsed, or the text itself when it is not JSON.
nlohmann::json PolicyJson(const std::string& text);

// The ids of the security groups on `interface`, in its order.
std::vector<std::string> GroupIds(const aws::NetworkInterface& interface);

// The string member `key` of `object`, or "" when it is missing or not a string.
std::string Str(const nlohmann::json& object, const char* key);

}  // namespace cordon::execution
