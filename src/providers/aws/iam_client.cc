#include "providers/aws/iam_client.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

using pugi::xml_node;

constexpr std::string_view kService = "iam";

// The <ActionResult> element of an IAM response to `action`; a different document element or a
// missing result is recorded as a problem.
xml_node IamResult(ResponseReader& in, const QueryResponse& response, std::string_view action) {
  const xml_node root = in.Root(response, action);
  return root ? in.RequiredNode(root, std::string(action) + "Result", "response") : xml_node();
}

std::vector<Tag> ParseTags(ResponseReader& in, xml_node node) {
  std::vector<Tag> tags;
  for (xml_node member : ListItems(node, "Tags")) {
    tags.push_back({in.Required(member, "Key", "tag"), in.Text(member, "Value")});
  }
  return tags;
}

IamUser ParseUser(ResponseReader& in, xml_node node) {
  IamUser user;
  user.user_name = in.Required(node, "UserName", "user");
  user.user_id = in.Text(node, "UserId");
  user.arn = in.Required(node, "Arn", "user");
  user.path = in.Text(node, "Path");
  user.create_date = in.Text(node, "CreateDate");
  user.password_last_used = in.Text(node, "PasswordLastUsed");
  user.permissions_boundary_arn = in.Text(node, "PermissionsBoundary/PermissionsBoundaryArn");
  user.tags = ParseTags(in, node);
  return user;
}

IamRole ParseRole(ResponseReader& in, xml_node node) {
  IamRole role;
  role.role_name = in.Required(node, "RoleName", "role");
  role.role_id = in.Text(node, "RoleId");
  role.arn = in.Required(node, "Arn", "role");
  role.path = in.Text(node, "Path");
  role.create_date = in.Text(node, "CreateDate");
  role.description = in.Text(node, "Description");
  role.max_session_duration = in.Int(node, "MaxSessionDuration").value_or(0);
  role.last_used_date = in.Text(node, "RoleLastUsed/LastUsedDate");
  role.last_used_region = in.Text(node, "RoleLastUsed/Region");
  role.assume_role_policy_document =
      DecodePolicyDocument(in.Text(node, "AssumeRolePolicyDocument"));
  role.permissions_boundary_arn = in.Text(node, "PermissionsBoundary/PermissionsBoundaryArn");
  role.tags = ParseTags(in, node);
  return role;
}

InlinePolicy ParseInlinePolicy(ResponseReader& in, xml_node result) {
  return {in.Required(result, "PolicyName", "result"),
          DecodePolicyDocument(in.Required(result, "PolicyDocument", "result"))};
}

AttachedPolicy ParseAttachedPolicy(ResponseReader& in, xml_node member) {
  return {in.Text(member, "PolicyName"), in.Required(member, "PolicyArn", "attached policy")};
}

std::string ParsePolicyName(ResponseReader& in, xml_node member) {
  std::string name = member.text().get();
  if (name.empty()) {
    in.Problem("a policy name is empty");
  }
  return name;
}

// Why IAM would refuse `document` as a policy before any call, or "" when it looks acceptable.
std::string PolicyDocumentProblem(const std::string& document) {
  const auto json = nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return "the policy document is not a JSON object";
  }
  const auto statement = json.find("Statement");
  if (statement == json.end() || (statement->is_array() && statement->empty())) {
    return "the policy document has no statement (IAM rejects an empty Statement list)";
  }
  return {};
}

}  // namespace

template <typename T, typename Parse>
Result<T> IamClient::Read(std::string_view action, const QueryParams& params, Parse parse) const {
  auto response = api_->Query(kService, action, params);
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("iam:" + std::string(action), response->request_id);
  const xml_node result = IamResult(in, *response, action);
  T value = parse(in, result);
  return in.Finish(std::move(value));
}

template <typename T, typename Parse>
Result<std::vector<T>> IamClient::ReadList(std::string_view action, const QueryParams& params,
                                           std::string_view list, Parse parse) const {
  auto parse_page = [&](const QueryResponse& response) -> Result<Page<T>> {
    ResponseReader in("iam:" + std::string(action), response.request_id);
    const xml_node result = IamResult(in, response, action);
    Page<T> page;
    if (in.RequiredNode(result, list, "result")) {
      for (xml_node member : ListItems(result, list)) {
        page.items.push_back(parse(in, member));
      }
    }
    if (in.Bool(result, "IsTruncated")) {
      page.next_token = in.Required(result, "Marker", "truncated result");
    }
    return in.Finish(std::move(page));
  };
  return ReadAllPages<T>(*api_, kService, action, params, "Marker", parse_page);
}

Result<MutationResult> IamClient::Mutate(std::string_view action, const QueryParams& params) const {
  auto response = api_->Query(kService, action, params);
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("iam:" + std::string(action), response->request_id);
  in.Root(*response, action);
  return in.Finish(MutationResult{response->request_id});
}

Result<AccessKeyLastUsed> IamClient::GetAccessKeyLastUsed(const std::string& access_key_id) const {
  return Read<AccessKeyLastUsed>("GetAccessKeyLastUsed", {{"AccessKeyId", access_key_id}},
                                 [](ResponseReader& in, xml_node result) {
                                   return AccessKeyLastUsed{
                                       in.Required(result, "UserName", "result"),
                                       in.Text(result, "AccessKeyLastUsed/LastUsedDate"),
                                       in.Text(result, "AccessKeyLastUsed/ServiceName"),
                                       in.Text(result, "AccessKeyLastUsed/Region")};
                                 });
}

Result<IamUser> IamClient::GetUser(const std::string& user_name) const {
  return Read<IamUser>("GetUser", {{"UserName", user_name}},
                       [](ResponseReader& in, xml_node result) {
                         return ParseUser(in, in.RequiredNode(result, "User", "result"));
                       });
}

Result<std::vector<AccessKeyMetadata>> IamClient::ListAccessKeys(
    const std::string& user_name) const {
  return ReadList<AccessKeyMetadata>(
      "ListAccessKeys", {{"UserName", user_name}}, "AccessKeyMetadata",
      [](ResponseReader& in, xml_node member) {
        return AccessKeyMetadata{
            in.Text(member, "UserName"), in.Required(member, "AccessKeyId", "access key"),
            in.Required(member, "Status", "access key"), in.Text(member, "CreateDate")};
      });
}

Result<std::vector<std::string>> IamClient::ListUserPolicies(const std::string& user_name) const {
  return ReadList<std::string>("ListUserPolicies", {{"UserName", user_name}}, "PolicyNames",
                               ParsePolicyName);
}

Result<std::vector<AttachedPolicy>> IamClient::ListAttachedUserPolicies(
    const std::string& user_name) const {
  return ReadList<AttachedPolicy>("ListAttachedUserPolicies", {{"UserName", user_name}},
                                  "AttachedPolicies", ParseAttachedPolicy);
}

Result<std::vector<IamGroup>> IamClient::ListGroupsForUser(const std::string& user_name) const {
  return ReadList<IamGroup>("ListGroupsForUser", {{"UserName", user_name}}, "Groups",
                            [](ResponseReader& in, xml_node member) {
                              return IamGroup{
                                  in.Required(member, "GroupName", "group"),
                                  in.Text(member, "GroupId"), in.Required(member, "Arn", "group"),
                                  in.Text(member, "Path"), in.Text(member, "CreateDate")};
                            });
}

Result<std::optional<LoginProfile>> IamClient::GetLoginProfile(const std::string& user_name) const {
  auto profile = Read<LoginProfile>(
      "GetLoginProfile", {{"UserName", user_name}}, [](ResponseReader& in, xml_node result) {
        const xml_node node = in.RequiredNode(result, "LoginProfile", "result");
        return LoginProfile{in.Text(node, "UserName"), in.Text(node, "CreateDate"),
                            in.Bool(node, "PasswordResetRequired")};
      });
  if (!profile) {
    if (profile.error().kind == ErrorKind::kNotFound) {
      return std::optional<LoginProfile>();
    }
    return tl::unexpected(profile.error());
  }
  return std::optional<LoginProfile>(std::move(*profile));
}

Result<std::vector<MfaDevice>> IamClient::ListMfaDevices(const std::string& user_name) const {
  return ReadList<MfaDevice>("ListMFADevices", {{"UserName", user_name}}, "MFADevices",
                             [](ResponseReader& in, xml_node member) {
                               return MfaDevice{in.Text(member, "UserName"),
                                                in.Required(member, "SerialNumber", "MFA device"),
                                                in.Text(member, "EnableDate")};
                             });
}

Result<InlinePolicy> IamClient::GetUserPolicy(const std::string& user_name,
                                              const std::string& policy_name) const {
  return Read<InlinePolicy>("GetUserPolicy", {{"UserName", user_name}, {"PolicyName", policy_name}},
                            ParseInlinePolicy);
}

Result<IamRole> IamClient::GetRole(const std::string& role_name) const {
  return Read<IamRole>("GetRole", {{"RoleName", role_name}},
                       [](ResponseReader& in, xml_node result) {
                         return ParseRole(in, in.RequiredNode(result, "Role", "result"));
                       });
}

Result<std::vector<std::string>> IamClient::ListRolePolicies(const std::string& role_name) const {
  return ReadList<std::string>("ListRolePolicies", {{"RoleName", role_name}}, "PolicyNames",
                               ParsePolicyName);
}

Result<std::vector<AttachedPolicy>> IamClient::ListAttachedRolePolicies(
    const std::string& role_name) const {
  return ReadList<AttachedPolicy>("ListAttachedRolePolicies", {{"RoleName", role_name}},
                                  "AttachedPolicies", ParseAttachedPolicy);
}

Result<InlinePolicy> IamClient::GetRolePolicy(const std::string& role_name,
                                              const std::string& policy_name) const {
  return Read<InlinePolicy>("GetRolePolicy", {{"RoleName", role_name}, {"PolicyName", policy_name}},
                            ParseInlinePolicy);
}

Result<InstanceProfile> IamClient::GetInstanceProfile(
    const std::string& instance_profile_name) const {
  return Read<InstanceProfile>(
      "GetInstanceProfile", {{"InstanceProfileName", instance_profile_name}},
      [](ResponseReader& in, xml_node result) {
        const xml_node node = in.RequiredNode(result, "InstanceProfile", "result");
        InstanceProfile profile;
        profile.instance_profile_name = in.Required(node, "InstanceProfileName", "profile");
        profile.instance_profile_id = in.Text(node, "InstanceProfileId");
        profile.arn = in.Required(node, "Arn", "instance profile");
        profile.path = in.Text(node, "Path");
        profile.create_date = in.Text(node, "CreateDate");
        in.RequiredNode(node, "Roles", "instance profile");
        for (xml_node member : ListItems(node, "Roles")) {
          profile.roles.push_back(ParseRole(in, member));
        }
        profile.tags = ParseTags(in, node);
        return profile;
      });
}

Result<MutationResult> IamClient::UpdateAccessKey(const std::string& user_name,
                                                  const std::string& access_key_id,
                                                  AccessKeyStatus status) const {
  return Mutate("UpdateAccessKey",
                {{"UserName", user_name},
                 {"AccessKeyId", access_key_id},
                 {"Status", status == AccessKeyStatus::kActive ? "Active" : "Inactive"}});
}

Result<MutationResult> IamClient::DeleteAccessKey(const std::string& user_name,
                                                  const std::string& access_key_id) const {
  return Mutate("DeleteAccessKey", {{"UserName", user_name}, {"AccessKeyId", access_key_id}});
}

Result<MutationResult> IamClient::PutUserPolicy(const std::string& user_name,
                                                const std::string& policy_name,
                                                const std::string& policy_document) const {
  return Mutate(
      "PutUserPolicy",
      {{"UserName", user_name}, {"PolicyName", policy_name}, {"PolicyDocument", policy_document}});
}

Result<MutationResult> IamClient::PutRolePolicy(const std::string& role_name,
                                                const std::string& policy_name,
                                                const std::string& policy_document) const {
  return Mutate(
      "PutRolePolicy",
      {{"RoleName", role_name}, {"PolicyName", policy_name}, {"PolicyDocument", policy_document}});
}

Result<MutationResult> IamClient::TagUser(const std::string& user_name,
                                          const std::vector<Tag>& tags) const {
  if (tags.empty()) {
    return Fail(ErrorKind::kInvalidInput, "TagUser needs at least one tag");
  }
  QueryParams params = {{"UserName", user_name}};
  for (size_t i = 0; i < tags.size(); ++i) {
    const std::string member = "Tags.member." + std::to_string(i + 1);
    params.emplace_back(member + ".Key", tags[i].key);
    params.emplace_back(member + ".Value", tags[i].value);
  }
  return Mutate("TagUser", params);
}

Result<MutationResult> IamClient::UpdateAssumeRolePolicy(const std::string& role_name,
                                                         const std::string& policy_document) const {
  if (std::string problem = PolicyDocumentProblem(policy_document); !problem.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "UpdateAssumeRolePolicy of role " + role_name + ": " + problem);
  }
  return Mutate("UpdateAssumeRolePolicy",
                {{"RoleName", role_name}, {"PolicyDocument", policy_document}});
}

Result<MutationResult> IamClient::DeleteRolePolicy(const std::string& role_name,
                                                   const std::string& policy_name) const {
  return Mutate("DeleteRolePolicy", {{"RoleName", role_name}, {"PolicyName", policy_name}});
}

Result<MutationResult> IamClient::DeleteUserPolicy(const std::string& user_name,
                                                   const std::string& policy_name) const {
  return Mutate("DeleteUserPolicy", {{"UserName", user_name}, {"PolicyName", policy_name}});
}

}  // namespace cordon::aws
