// Typed IAM calls over the AWS Query protocol: the reads that capture a user or role and the
// changes that contain it. IAM is global; calls go to the API of the default region.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/aws_types.h"

namespace cordon::aws {

// IAM resources as cordon reads them, spelled as IAM spells them. Every field a response leaves
// out is empty or zero. Policy documents are decoded JSON text. Thread-compatible values.
struct IamUser {
  std::string user_name;
  std::string user_id;
  std::string arn;
  std::string path;
  std::string create_date;
  std::string password_last_used;
  std::string permissions_boundary_arn;
  std::vector<Tag> tags;
};

struct AccessKeyMetadata {
  std::string user_name;
  std::string access_key_id;
  std::string status;  // "Active" or "Inactive"
  std::string create_date;
};

enum class AccessKeyStatus { kActive, kInactive };

struct AccessKeyLastUsed {
  std::string user_name;  // the key's owner
  std::string last_used_date;
  std::string service_name;
  std::string region;
};

struct AttachedPolicy {
  std::string policy_name;
  std::string policy_arn;
};

struct IamGroup {
  std::string group_name;
  std::string group_id;
  std::string arn;
  std::string path;
  std::string create_date;
};

// A user's console password (never the password itself).
struct LoginProfile {
  std::string user_name;
  std::string create_date;
  bool password_reset_required = false;
};

struct MfaDevice {
  std::string user_name;
  std::string serial_number;
  std::string enable_date;
};

// An inline policy of a user or role.
struct InlinePolicy {
  std::string policy_name;
  std::string policy_document;  // decoded JSON text
};

struct IamRole {
  std::string role_name;
  std::string role_id;
  std::string arn;
  std::string path;
  std::string create_date;
  std::string description;
  int max_session_duration = 0;  // seconds
  std::string last_used_date;
  std::string last_used_region;
  std::string assume_role_policy_document;  // decoded JSON text (the trust policy)
  std::string permissions_boundary_arn;
  std::vector<Tag> tags;
};

struct InstanceProfile {
  std::string instance_profile_name;
  std::string instance_profile_id;
  std::string arn;
  std::string path;
  std::string create_date;
  std::vector<IamRole> roles;
  std::vector<Tag> tags;
};

// A cheap, copyable handle on the IAM API; it holds only a reference to `api`, which must
// outlive it. Thread-safe (no mutable state; `api` is thread-safe).
//
// Every List call follows Marker/IsTruncated to the last page; a page that fails fails the whole
// call, so a list is never partial. Provider errors come back as the AwsApi mapped them
// (NoSuchEntity is kNotFound). A response missing a required element (a name, ARN, id or policy
// document) is a kProvider error. Mutations change only what their comment says.
class IamClient {
 public:
  explicit IamClient(AwsApi& api) : api_(&api) {}

  // GetAccessKeyLastUsed: the owner of any key in the account, and when it was last used.
  Result<AccessKeyLastUsed> GetAccessKeyLastUsed(const std::string& access_key_id) const;

  Result<IamUser> GetUser(const std::string& user_name) const;
  Result<std::vector<AccessKeyMetadata>> ListAccessKeys(const std::string& user_name) const;
  // ListUserPolicies: the names of the user's inline policies.
  Result<std::vector<std::string>> ListUserPolicies(const std::string& user_name) const;
  Result<std::vector<AttachedPolicy>> ListAttachedUserPolicies(const std::string& user_name) const;
  Result<std::vector<IamGroup>> ListGroupsForUser(const std::string& user_name) const;
  // GetLoginProfile: nullopt when the user has no console password (NoSuchEntity).
  Result<std::optional<LoginProfile>> GetLoginProfile(const std::string& user_name) const;
  // ListMFADevices of the user.
  Result<std::vector<MfaDevice>> ListMfaDevices(const std::string& user_name) const;
  // GetUserPolicy: kNotFound when the user has no inline policy of that name.
  Result<InlinePolicy> GetUserPolicy(const std::string& user_name,
                                     const std::string& policy_name) const;

  Result<IamRole> GetRole(const std::string& role_name) const;
  Result<std::vector<std::string>> ListRolePolicies(const std::string& role_name) const;
  Result<std::vector<AttachedPolicy>> ListAttachedRolePolicies(const std::string& role_name) const;
  // GetRolePolicy: kNotFound when the role has no inline policy of that name.
  Result<InlinePolicy> GetRolePolicy(const std::string& role_name,
                                     const std::string& policy_name) const;

  // GetInstanceProfile by name, with its roles (at most one in practice).
  Result<InstanceProfile> GetInstanceProfile(const std::string& instance_profile_name) const;

  // UpdateAccessKey: sets the key Active or Inactive (reversible).
  Result<MutationResult> UpdateAccessKey(const std::string& user_name,
                                         const std::string& access_key_id,
                                         AccessKeyStatus status) const;
  // DeleteAccessKey: deletes the key for good.
  Result<MutationResult> DeleteAccessKey(const std::string& user_name,
                                         const std::string& access_key_id) const;
  // PutUserPolicy: creates or replaces the user's inline policy `policy_name`.
  Result<MutationResult> PutUserPolicy(const std::string& user_name, const std::string& policy_name,
                                       const std::string& policy_document) const;
  // PutRolePolicy: creates or replaces the role's inline policy `policy_name`.
  Result<MutationResult> PutRolePolicy(const std::string& role_name, const std::string& policy_name,
                                       const std::string& policy_document) const;
  // TagUser: adds or overwrites these tags on the user. An empty list is kInvalidInput.
  Result<MutationResult> TagUser(const std::string& user_name, const std::vector<Tag>& tags) const;

  // UpdateAssumeRolePolicy: replaces the role's trust policy with `policy_document` (JSON text).
  // A document that is not a JSON object, or whose Statement is an empty list (IAM rejects one),
  // is kInvalidInput and nothing is called.
  Result<MutationResult> UpdateAssumeRolePolicy(const std::string& role_name,
                                                const std::string& policy_document) const;
  // DeleteRolePolicy: deletes the role's inline policy `policy_name`; an absent one is kNotFound.
  Result<MutationResult> DeleteRolePolicy(const std::string& role_name,
                                          const std::string& policy_name) const;
  // DeleteUserPolicy: deletes the user's inline policy `policy_name`; an absent one is kNotFound.
  Result<MutationResult> DeleteUserPolicy(const std::string& user_name,
                                          const std::string& policy_name) const;

 private:
  // One call whose response is parsed under <ActionResult> by `parse`.
  template <typename T, typename Parse>
  Result<T> Read(std::string_view action, const QueryParams& params, Parse parse) const;
  // Every page of a List call; `list` names the list element under <ActionResult>.
  template <typename T, typename Parse>
  Result<std::vector<T>> ReadList(std::string_view action, const QueryParams& params,
                                  std::string_view list, Parse parse) const;
  Result<MutationResult> Mutate(std::string_view action, const QueryParams& params) const;

  AwsApi* api_;
};

}  // namespace cordon::aws
