#include "cli/aws_session.h"

#include "providers/aws/credentials_provider.h"
#include "providers/aws/endpoints.h"
#include "transport/curl_transport.h"
#include "transport/retry.h"

namespace cordon::cli {

Result<std::unique_ptr<AwsSession>> AwsSession::Prepare(const std::string& region_flag,
                                                        const planning::Plan& plan) {
  aws::Environment env = aws::ProcessEnvironment();
  auto credentials = aws::ResolveCredentials(env);
  if (!credentials) {
    return tl::unexpected(credentials.error());
  }
  std::string region = region_flag;
  if (region.empty()) {
    auto resolved = aws::ResolveRegion(env);
    region = resolved ? *resolved : "";
  }
  if (region.empty()) {
    // IAM and STS are global and signed for us-east-1; a regional target needs its own region.
    for (const auto& planned : plan.targets) {
      if (planned.target.kind == planning::TargetKind::kAwsEc2Instance &&
          planned.target.region.empty()) {
        return Fail(ErrorKind::kInvalidInput,
                    planned.target.Key() +
                        " has no region: pass --region, set AWS_REGION, or name it by ARN "
                        "(arn:aws:ec2:REGION:ACCOUNT:instance/i-...)");
      }
    }
    region = "us-east-1";
  }
  const aws::EndpointResolver endpoints(env);
  for (const char* service : {"sts", "iam", "ec2"}) {
    if (auto endpoint = endpoints.Resolve(service, region); !endpoint) {
      return tl::unexpected(endpoint.error());
    }
  }
  return std::unique_ptr<AwsSession>(
      new AwsSession(std::move(*credentials), std::move(region), std::move(env)));
}

AwsSession::AwsSession(aws::Credentials credentials, std::string region, aws::Environment env)
    : http_(transport::MakeCurlTransport()),
      credentials_(std::move(credentials)),
      default_region_(std::move(region)),
      env_(std::move(env)) {}

aws::AwsApi& AwsSession::For(const std::string& region) {
  const std::string key = region.empty() ? default_region_ : region;
  std::lock_guard lock(mutex_);
  auto& slot = clients_[key];
  if (!slot) {
    slot = std::make_unique<aws::AwsApiClient>(
        *http_, credentials_, key, aws::EndpointResolver(env_), transport::RetryPolicy{});
  }
  return *slot;
}

Result<aws::CallerIdentity> AwsSession::Identify() {
  return aws::StsClient(For("")).GetCallerIdentity();
}

}  // namespace cordon::cli
