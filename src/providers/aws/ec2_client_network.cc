// Ec2Client: Elastic IPs, instance profile associations and security group rules.
#include <string>
#include <vector>

#include "providers/aws/ec2_client.h"
#include "providers/aws/ec2_params.h"
#include "providers/aws/ec2_parsers.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kService = "ec2";
constexpr std::string_view kDuplicateRule = "InvalidPermission.Duplicate";

QueryParams AuthorizeParams(const std::string& group_id,
                            const std::vector<IpPermission>& permissions) {
  Ec2Params params;
  params.Add("GroupId", group_id);
  for (size_t i = 0; i < permissions.size(); ++i) {
    params.Permission("IpPermissions." + std::to_string(i + 1), permissions[i],
                      /*with_descriptions=*/true);
  }
  return params.Params();
}

// Each rule split into rules of one source each (same protocol and ports), so that one source
// the group already has cannot stop the others from being added.
std::vector<IpPermission> OneSourceEach(const std::vector<IpPermission>& permissions) {
  std::vector<IpPermission> singles;
  for (const IpPermission& permission : permissions) {
    IpPermission bare = permission;
    bare.ip_ranges.clear();
    bare.ipv6_ranges.clear();
    bare.prefix_list_ids.clear();
    bare.user_id_group_pairs.clear();
    const size_t before = singles.size();
    for (const auto& range : permission.ip_ranges) {
      singles.push_back(bare);
      singles.back().ip_ranges = {range};
    }
    for (const auto& range : permission.ipv6_ranges) {
      singles.push_back(bare);
      singles.back().ipv6_ranges = {range};
    }
    for (const auto& list : permission.prefix_list_ids) {
      singles.push_back(bare);
      singles.back().prefix_list_ids = {list};
    }
    for (const auto& pair : permission.user_id_group_pairs) {
      singles.push_back(bare);
      singles.back().user_id_group_pairs = {pair};
    }
    if (singles.size() == before) {
      singles.push_back(permission);
    }
  }
  return singles;
}

}  // namespace

IpPermission AllTrafficPermission() {
  IpPermission permission;
  permission.ip_protocol = "-1";
  permission.ip_ranges = {{"0.0.0.0/0", ""}};
  permission.ipv6_ranges = {{"::/0", ""}};
  return permission;
}

Result<std::vector<Address>> Ec2Client::DescribeAddresses(
    const std::vector<Filter>& filters) const {
  Ec2Params params;
  params.Filters(filters);
  auto response = api_->Query(kService, "DescribeAddresses", params.Params());
  if (!response) {
    return tl::unexpected(response.error());
  }
  return ParseDescribeAddresses(*response);
}

Result<std::vector<Address>> Ec2Client::DescribeAddressesForNetworkInterfaces(
    const std::vector<std::string>& network_interface_ids) const {
  if (network_interface_ids.empty()) {
    return std::vector<Address>{};
  }
  return DescribeAddresses({{"network-interface-id", network_interface_ids}});
}

Result<MutationResult> Ec2Client::DisassociateAddress(const std::string& association_id) const {
  return Mutate("DisassociateAddress", {{"AssociationId", association_id}});
}

Result<AssociateAddressResult> Ec2Client::AssociateAddress(
    const std::string& allocation_id, const std::string& network_interface_id,
    const std::string& private_ip_address) const {
  Ec2Params params;
  params.Add("AllocationId", allocation_id).Add("NetworkInterfaceId", network_interface_id);
  if (!private_ip_address.empty()) {
    params.Add("PrivateIpAddress", private_ip_address);
  }
  params.Add("AllowReassociation", BoolText(false));
  auto response = api_->Query(kService, "AssociateAddress", params.Params());
  if (!response) {
    return tl::unexpected(response.error());
  }
  return ParseAssociateAddress(*response);
}

Result<std::vector<IamInstanceProfileAssociation>>
Ec2Client::DescribeIamInstanceProfileAssociations(const std::string& instance_id) const {
  Ec2Params params;
  params.Filters({{"instance-id", {instance_id}}});
  return ReadAllPages<IamInstanceProfileAssociation>(
      *api_, kService, "DescribeIamInstanceProfileAssociations", params.Params(), "NextToken",
      ParseDescribeIamInstanceProfileAssociations);
}

Result<IamInstanceProfileAssociationResult> Ec2Client::DisassociateIamInstanceProfile(
    const std::string& association_id) const {
  auto response =
      api_->Query(kService, "DisassociateIamInstanceProfile", {{"AssociationId", association_id}});
  if (!response) {
    return tl::unexpected(response.error());
  }
  return ParseIamInstanceProfileAssociationChange(*response, "DisassociateIamInstanceProfile");
}

Result<IamInstanceProfileAssociationResult> Ec2Client::AssociateIamInstanceProfile(
    const std::string& instance_id, const IamInstanceProfileSpecification& profile) const {
  if (profile.arn.empty() == profile.name.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "AssociateIamInstanceProfile needs the profile's ARN or its name, not both");
  }
  Ec2Params params;
  if (!profile.arn.empty()) {
    params.Add("IamInstanceProfile.Arn", profile.arn);
  } else {
    params.Add("IamInstanceProfile.Name", profile.name);
  }
  params.Add("InstanceId", instance_id);
  auto response = api_->Query(kService, "AssociateIamInstanceProfile", params.Params());
  if (!response) {
    return tl::unexpected(response.error());
  }
  return ParseIamInstanceProfileAssociationChange(*response, "AssociateIamInstanceProfile");
}

Result<MutationResult> Ec2Client::Authorize(std::string_view action, const std::string& group_id,
                                            const std::vector<IpPermission>& permissions) const {
  if (permissions.empty()) {
    return Fail(ErrorKind::kInvalidInput, std::string(action) + " needs at least one rule");
  }
  auto all_at_once = Mutate(action, AuthorizeParams(group_id, permissions));
  if (all_at_once || all_at_once.error().provider_code != kDuplicateRule) {
    return all_at_once;
  }

  std::string request_id = all_at_once.error().request_id;
  for (const IpPermission& single : OneSourceEach(permissions)) {
    auto added = Mutate(action, AuthorizeParams(group_id, {single}));
    if (added) {
      request_id = added->request_id;
    } else if (added.error().provider_code != kDuplicateRule) {
      return added;
    }
  }
  return MutationResult{request_id};
}

Result<MutationResult> Ec2Client::AuthorizeSecurityGroupIngress(
    const std::string& group_id, const std::vector<IpPermission>& permissions) const {
  return Authorize("AuthorizeSecurityGroupIngress", group_id, permissions);
}

Result<MutationResult> Ec2Client::AuthorizeSecurityGroupEgress(
    const std::string& group_id, const std::vector<IpPermission>& permissions) const {
  return Authorize("AuthorizeSecurityGroupEgress", group_id, permissions);
}

Result<MutationResult> Ec2Client::DeleteSecurityGroup(const std::string& group_id) const {
  return Mutate("DeleteSecurityGroup", {{"GroupId", group_id}});
}

}  // namespace cordon::aws
