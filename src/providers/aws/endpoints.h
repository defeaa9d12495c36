// Where each AWS service is reached, with the endpoint overrides the AWS SDKs honour.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "providers/aws/environment.h"

namespace cordon::aws {

struct Endpoint {
  std::string url;             // scheme, host, optional port and path; no trailing slash
  std::string signing_region;  // the region SigV4 signs for, e.g. "us-east-1" for IAM
  std::string signing_name;    // the SigV4 service name, e.g. "iam"
};

// Resolves service endpoints. Service ids are cordon's: "iam", "sts", "ec2", "s3", "lambda",
// "cloudtrail", "ssm", "autoscaling", "elasticloadbalancing". Defaults follow the AWS partitions
// (amazonaws.com; amazonaws.com.cn for cn-* regions; the GovCloud IAM endpoint for us-gov-*).
//
// Overrides, as the AWS SDKs define them: AWS_ENDPOINT_URL_<SERVICE> (IAM, STS, EC2, S3, LAMBDA,
// CLOUDTRAIL, SSM, AUTO_SCALING, ELASTIC_LOAD_BALANCING_V2) beats AWS_ENDPOINT_URL, and
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores both. An override keeps its path and signs
// like the default would. It must be https://, or http:// to a loopback host (127.0.0.0/8,
// localhost, [::1]). Endpoint settings in the shared config file are not read.
//
// Immutable after construction; thread-safe.
class EndpointResolver {
 public:
  explicit EndpointResolver(Environment env);

  // Fails with kInvalidInput when the region is not a valid region name or an override is not a
  // valid endpoint URL (naming the variable and the expected form), and with kInternal for a
  // service id cordon does not know.
  Result<Endpoint> Resolve(std::string_view service, std::string_view region) const;

 private:
  Environment env_;
};

// True for hosts that never leave the machine: 127.0.0.0/8, "localhost" and "[::1]" (host
// without port; IPv6 in brackets). Pure.
bool IsLoopbackHost(std::string_view host);

}  // namespace cordon::aws
