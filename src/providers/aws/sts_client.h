// Typed STS calls over the AWS Query protocol.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/credentials.h"

namespace cordon::aws {

// Who the signing credentials belong to. Thread-compatible.
struct CallerIdentity {
  std::string account;
  std::string arn;      // e.g. arn:aws:sts::A:assumed-role/ROLE/SESSION
  std::string user_id;  // e.g. AIDA... or AROA...:SESSION
};

// What AssumeRole asks for. Thread-compatible.
struct AssumeRoleRequest {
  std::string role_arn;                 // arn:aws:iam::ACCOUNT:role/NAME
  std::string role_session_name;        // 2 to 64 of A-Z a-z 0-9 _ + = , . @ -
  std::string external_id;              // empty: none is sent
  std::optional<int> duration_seconds;  // nullopt: the role's default (one hour)
};

// The temporary credentials of an assumed-role session. `credentials.secret_access_key` and
// `credentials.session_token` are secrets: never print, log or store them. Thread-compatible;
// deliberately has no stream or format support.
struct AssumedRole {
  Credentials credentials;  // source "sts:AssumeRole ROLE_ARN"
  std::string expiration;   // as STS wrote it, e.g. "2026-12-04T05:14:18Z"
  std::chrono::system_clock::time_point expires_at;
  std::string assumed_role_arn;  // arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION
  std::string assumed_role_id;   // AROA...:SESSION
  std::string request_id;
};

// A cheap, copyable handle on the STS API; it holds only a reference to `api`, which must
// outlive it. Thread-safe (no mutable state; `api` is thread-safe).
class StsClient {
 public:
  explicit StsClient(AwsApi& api) : api_(&api) {}

  // GetCallerIdentity. Fails as the AwsApi maps errors (e.g. kAuth for rejected credentials);
  // a response without Account or Arn is a kProvider error.
  Result<CallerIdentity> GetCallerIdentity() const;

  // AssumeRole with the caller's credentials. A role ARN that is not an IAM role ARN, a session
  // name or external id that STS would refuse, or a duration outside 900..43200 seconds is
  // kInvalidInput and nothing is called. Refusals come back as the AwsApi mapped them (an
  // untrusted caller or a wrong external id is kPermission, AccessDenied). A response without
  // any of the four credential fields, or with an unreadable Expiration, is a kProvider error
  // whose message never contains a credential.
  Result<AssumedRole> AssumeRole(const AssumeRoleRequest& request) const;

 private:
  AwsApi* api_;
};

// An ISO 8601 UTC timestamp as AWS writes it ("2026-12-04T05:14:18Z", with optional fractional
// seconds); nullopt for anything else. Pure.
std::optional<std::chrono::system_clock::time_point> ParseAwsTimestamp(std::string_view text);

}  // namespace cordon::aws
