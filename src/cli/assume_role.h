// Other accounts (PRODUCT.md §5): targets outside the caller's account are reached through an
// IAM role named by a template such as arn:aws:iam::{account}:role/IR-Responder, assumed with STS
// AssumeRole (session name cordon-<case>), one cached session per account, refreshed before it
// expires. The assumed credentials are secrets: nothing here prints, logs or stores them.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "cli/options.h"
#include "core/clock.h"
#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/aws_api_client.h"
#include "providers/aws/environment.h"
#include "providers/aws/sts_client.h"
#include "transport/http.h"
#include "transport/retry.h"

namespace cordon::cli {

// Checks an --assume-role template: arn:PARTITION:iam::{account}:role/[PATH/]NAME, with the
// literal "{account}" as the account field. Fails with kInvalidInput naming the option and the
// expected form. Pure.
Status ValidateAssumeRoleTemplate(const std::string& role_template);

// Checks --assume-role and --external-id of plan/apply before anything else happens: the template
// (see ValidateAssumeRoleTemplate), and --external-id only with --assume-role. kInvalidInput.
Status CheckAccountOptions(const PlanArgs& args);

// The role ARN for `account`: the template with "{account}" replaced. Pure.
std::string RoleArnForAccount(const std::string& role_template, const std::string& account);

// "cordon-<case>", cut to the 64 characters STS allows. Pure.
std::string RoleSessionName(const std::string& case_id);

// Temporary credentials for one account: AssumeRole through `caller_api` on first use, and again
// when less than `kRefreshBefore` is left of the session. Thread-safe.
class AccountCredentials {
 public:
  static constexpr std::chrono::minutes kRefreshBefore{5};

  // `caller_api` signs with the caller's own credentials and must outlive this object.
  AccountCredentials(aws::AwsApi& caller_api, aws::AssumeRoleRequest request, const Clock& clock)
      : caller_api_(caller_api), request_(std::move(request)), clock_(clock) {}

  // The current session, assuming the role when there is none or it is about to expire. Fails
  // as StsClient::AssumeRole fails (kPermission when the role does not trust the caller).
  Result<aws::AssumedRole> Get();

  const aws::AssumeRoleRequest& request() const { return request_; }

 private:
  aws::AwsApi& caller_api_;
  const aws::AssumeRoleRequest request_;
  const Clock& clock_;
  std::mutex mutex_;  // guards session_
  std::optional<aws::AssumedRole> session_;
};

// An AwsApi in another account: every call signs with the account's current AccountCredentials
// (a new signed client is made when they were refreshed). A failure to assume the role fails the
// call with that error. Thread-safe.
class AssumedRoleApi : public aws::AwsApi {
 public:
  // `http`, `credentials` and `clock` must outlive this object.
  AssumedRoleApi(transport::HttpTransport& http, AccountCredentials& credentials,
                 std::string region, aws::Environment env, transport::RetryPolicy retry,
                 const Clock& clock)
      : http_(http),
        credentials_(credentials),
        region_(std::move(region)),
        env_(std::move(env)),
        retry_(std::move(retry)),
        clock_(clock) {}

  Result<aws::QueryResponse> Query(std::string_view service, std::string_view action,
                                   const aws::QueryParams& params) override;
  Result<aws::JsonResponse> Json(std::string_view service, std::string_view operation,
                                 const nlohmann::json& body) override;
  Result<aws::RestResponse> Rest(std::string_view service,
                                 const aws::RestRequest& request) override;
  std::string Region() const override { return region_; }

 private:
  // The client signing with the current session.
  Result<std::shared_ptr<aws::AwsApiClient>> Client();

  transport::HttpTransport& http_;
  AccountCredentials& credentials_;
  const std::string region_;
  const aws::Environment env_;
  const transport::RetryPolicy retry_;
  const Clock& clock_;
  std::mutex mutex_;  // guards client_ and client_key_
  std::shared_ptr<aws::AwsApiClient> client_;
  std::string client_key_;  // the access key id client_ signs with
};

// The sessions of one run in every other account. Thread-safe.
class CrossAccountSession {
 public:
  // `caller_api` signs with the caller's credentials (STS is called through it) and must outlive
  // this object. `role_template` must have passed ValidateAssumeRoleTemplate.
  CrossAccountSession(aws::AwsApi& caller_api, std::string role_template, std::string external_id,
                      const std::string& case_id, std::string default_region,
                      const Clock& clock = DefaultClock());

  // Assumes the role in `account` and asks STS who that session is (the identity cordon acts as
  // there). Fails with the AssumeRole or GetCallerIdentity error, naming the role.
  Result<aws::CallerIdentity> Identify(const std::string& account);

  // The API for `account` in `region` ("" for the default region), made on first use, retrying
  // with `retry` (a key of the cache: each policy has its own clients).
  aws::AwsApi& For(const std::string& account, const std::string& region,
                   const transport::RetryPolicy& retry = {});

  // The access key id of the account's current session ("" before Identify succeeded); not a
  // secret, and the key the guards must never contain.
  std::string AccessKeyId(const std::string& account);

 private:
  AccountCredentials& CredentialsFor(const std::string& account);

  aws::AwsApi& caller_api_;
  const std::string role_template_;
  const std::string external_id_;
  const std::string session_name_;
  const std::string default_region_;
  const Clock& clock_;
  const aws::Environment env_;
  std::unique_ptr<transport::HttpTransport> http_;
  std::mutex mutex_;  // guards credentials_ and apis_
  std::map<std::string, std::unique_ptr<AccountCredentials>> credentials_;
  // (account, region, max attempts) → API.
  std::map<std::tuple<std::string, std::string, int>, std::unique_ptr<AssumedRoleApi>> apis_;
};

}  // namespace cordon::cli
