// AWS Signature Version 4 (header and query-string signing).
#pragma once

#include <chrono>

#include "providers/aws/credentials.h"
#include "transport/http.h"

namespace cordon::aws {

struct SigningScope {
  std::string region;   // e.g. "us-east-1"
  std::string service;  // signing name, e.g. "iam", "ec2", "sts"
};

// Signs `request` in place with an Authorization header: adds X-Amz-Date, X-Amz-Security-Token
// when the credentials carry a session token, and (for S3-style services when asked)
// x-amz-content-sha256. The request's URL must be absolute. Pure function of its inputs.
void SignRequest(transport::HttpRequest& request, const Credentials& credentials,
                 const SigningScope& scope, std::chrono::system_clock::time_point now);

}  // namespace cordon::aws
