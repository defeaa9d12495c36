// The AWS side of one command: credentials, region and endpoints read from the environment
// (PRODUCT.md §5), one signed API client per region, and the caller identity.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "planning/plan.h"
#include "providers/aws/aws_api_client.h"
#include "providers/aws/credentials.h"
#include "providers/aws/environment.h"
#include "providers/aws/sts_client.h"
#include "transport/http.h"

namespace cordon::cli {

// Thread-safe: For() may be called from every executor thread.
class AwsSession {
 public:
  // Reads credentials, the region (`region_flag`, else the environment and profile) and the
  // endpoints, without any network call. Fails with kInvalidInput when credentials are missing,
  // an endpoint variable is malformed, or a regional target of `plan` has no region to use.
  static Result<std::unique_ptr<AwsSession>> Prepare(const std::string& region_flag,
                                                     const planning::Plan& plan);

  // The API client for `region` ("" for the session's default region), created on first use.
  aws::AwsApi& For(const std::string& region);

  // STS GetCallerIdentity: who cordon acts as.
  Result<aws::CallerIdentity> Identify();

  const aws::Credentials& credentials() const { return credentials_; }

 private:
  AwsSession(aws::Credentials credentials, std::string region, aws::Environment env);

  std::unique_ptr<transport::HttpTransport> http_;
  const aws::Credentials credentials_;
  const std::string default_region_;
  const aws::Environment env_;
  std::mutex mutex_;  // guards clients_
  std::map<std::string, std::unique_ptr<aws::AwsApiClient>> clients_;
};

}  // namespace cordon::cli
