#include "cli/assume_role.h"

#include <algorithm>
#include <array>

#include "providers/aws/endpoints.h"
#include "transport/curl_transport.h"
#include "transport/retry.h"

namespace cordon::cli {
namespace {

constexpr std::string_view kAccountField = "{account}";
constexpr size_t kMaxSessionName = 64;
constexpr size_t kMaxRoleName = 64;

// A character IAM allows in role names and paths: letters, digits and _+=,.@-
bool IsIamNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("_+=,.@-").find(c) != std::string_view::npos;
}

// Whether `text` is arn:PARTITION:iam::{account}:role/[PATH/]NAME with IAM's characters.
bool IsRoleArnTemplate(std::string_view text) {
  static constexpr std::array<std::string_view, 3> kPrefixes = {
      "arn:aws:iam::{account}:role/", "arn:aws-cn:iam::{account}:role/",
      "arn:aws-us-gov:iam::{account}:role/"};
  for (std::string_view prefix : kPrefixes) {
    if (!text.starts_with(prefix)) {
      continue;
    }
    std::string_view rest = text.substr(prefix.size());
    while (true) {
      const auto slash = rest.find('/');
      const std::string_view segment = rest.substr(0, slash);
      if (segment.empty() || !std::all_of(segment.begin(), segment.end(), IsIamNameChar)) {
        return false;
      }
      if (slash == std::string_view::npos) {
        return segment.size() <= kMaxRoleName;
      }
      rest.remove_prefix(slash + 1);
    }
  }
  return false;
}

}  // namespace

Status ValidateAssumeRoleTemplate(const std::string& role_template) {
  if (role_template.find(kAccountField) == std::string::npos) {
    return Fail(ErrorKind::kInvalidInput,
                "--assume-role \"" + role_template +
                    "\" has no {account} placeholder; expected a role ARN template such as "
                    "arn:aws:iam::{account}:role/IR-Responder");
  }
  if (!IsRoleArnTemplate(role_template)) {
    return Fail(ErrorKind::kInvalidInput,
                "--assume-role \"" + role_template +
                    "\" is not a role ARN template; expected arn:aws:iam::{account}:role/NAME "
                    "(e.g. arn:aws:iam::{account}:role/IR-Responder)");
  }
  return {};
}

Status CheckAccountOptions(const PlanArgs& args) {
  if (!args.external_id.empty() && args.assume_role.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "--external-id needs --assume-role (e.g. --assume-role "
                "'arn:aws:iam::{account}:role/IR-Responder')");
  }
  if (args.assume_role.empty()) {
    return {};
  }
  return ValidateAssumeRoleTemplate(args.assume_role);
}

std::string RoleArnForAccount(const std::string& role_template, const std::string& account) {
  std::string arn = role_template;
  const auto at = arn.find(kAccountField);
  if (at != std::string::npos) {
    arn.replace(at, kAccountField.size(), account);
  }
  return arn;
}

std::string RoleSessionName(const std::string& case_id) {
  return ("cordon-" + case_id).substr(0, kMaxSessionName);
}

Result<aws::AssumedRole> AccountCredentials::Get() {
  std::lock_guard lock(mutex_);
  if (session_ && clock_.Now() + kRefreshBefore < session_->expires_at) {
    return *session_;
  }
  auto assumed = aws::StsClient(caller_api_).AssumeRole(request_);
  if (!assumed) {
    Error error = assumed.error();
    error.message = "cannot assume role " + request_.role_arn + ": " + error.message;
    return Fail(std::move(error));
  }
  session_ = std::move(*assumed);
  return *session_;
}

Result<std::shared_ptr<aws::AwsApiClient>> AssumedRoleApi::Client() {
  auto session = credentials_.Get();
  if (!session) {
    return Fail(session.error());
  }
  std::lock_guard lock(mutex_);
  if (!client_ || client_key_ != session->credentials.access_key_id) {
    client_ = std::make_shared<aws::AwsApiClient>(http_, session->credentials, region_,
                                                  aws::EndpointResolver(env_), retry_, clock_);
    client_key_ = session->credentials.access_key_id;
  }
  return client_;
}

Result<aws::QueryResponse> AssumedRoleApi::Query(std::string_view service, std::string_view action,
                                                 const aws::QueryParams& params) {
  auto client = Client();
  if (!client) {
    return Fail(client.error());
  }
  return (*client)->Query(service, action, params);
}

Result<aws::JsonResponse> AssumedRoleApi::Json(std::string_view service, std::string_view operation,
                                               const nlohmann::json& body) {
  auto client = Client();
  if (!client) {
    return Fail(client.error());
  }
  return (*client)->Json(service, operation, body);
}

Result<aws::RestResponse> AssumedRoleApi::Rest(std::string_view service,
                                               const aws::RestRequest& request) {
  auto client = Client();
  if (!client) {
    return Fail(client.error());
  }
  return (*client)->Rest(service, request);
}

CrossAccountSession::CrossAccountSession(aws::AwsApi& caller_api, std::string role_template,
                                         std::string external_id, const std::string& case_id,
                                         std::string default_region, const Clock& clock)
    : caller_api_(caller_api),
      role_template_(std::move(role_template)),
      external_id_(std::move(external_id)),
      session_name_(RoleSessionName(case_id)),
      default_region_(std::move(default_region)),
      clock_(clock),
      env_(aws::ProcessEnvironment()),
      http_(transport::MakeCurlTransport()) {}

AccountCredentials& CrossAccountSession::CredentialsFor(const std::string& account) {
  std::lock_guard lock(mutex_);
  auto& slot = credentials_[account];
  if (!slot) {
    aws::AssumeRoleRequest request;
    request.role_arn = RoleArnForAccount(role_template_, account);
    request.role_session_name = session_name_;
    request.external_id = external_id_;
    slot = std::make_unique<AccountCredentials>(caller_api_, std::move(request), clock_);
  }
  return *slot;
}

Result<aws::CallerIdentity> CrossAccountSession::Identify(const std::string& account) {
  AccountCredentials& credentials = CredentialsFor(account);
  if (auto session = credentials.Get(); !session) {
    return Fail(session.error());
  }
  auto identity = aws::StsClient(For(account, "")).GetCallerIdentity();
  if (!identity) {
    Error error = identity.error();
    error.message = "GetCallerIdentity as " + credentials.request().role_arn + ": " + error.message;
    return Fail(std::move(error));
  }
  return identity;
}

aws::AwsApi& CrossAccountSession::For(const std::string& account, const std::string& region,
                                      const transport::RetryPolicy& retry) {
  AccountCredentials& credentials = CredentialsFor(account);
  const std::string key = region.empty() ? default_region_ : region;
  std::lock_guard lock(mutex_);
  auto& slot = apis_[{account, key, retry.max_attempts}];
  if (!slot) {
    slot = std::make_unique<AssumedRoleApi>(*http_, credentials, key, env_, retry, clock_);
  }
  return *slot;
}

std::string CrossAccountSession::AccessKeyId(const std::string& account) {
  auto session = CredentialsFor(account).Get();
  return session ? session->credentials.access_key_id : "";
}

}  // namespace cordon::cli
