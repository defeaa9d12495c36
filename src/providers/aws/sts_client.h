// Typed STS calls over the AWS Query protocol.
#pragma once

#include <string>

#include "core/result.h"
#include "providers/aws/aws_api.h"

namespace cordon::aws {

// Who the signing credentials belong to. Thread-compatible.
struct CallerIdentity {
  std::string account;
  std::string arn;      // e.g. arn:aws:sts::A:assumed-role/ROLE/SESSION
  std::string user_id;  // e.g. AIDA... or AROA...:SESSION
};

// A cheap, copyable handle on the STS API; it holds only a reference to `api`, which must
// outlive it. Thread-safe (no mutable state; `api` is thread-safe).
class StsClient {
 public:
  explicit StsClient(AwsApi& api) : api_(&api) {}

  // GetCallerIdentity. Fails as the AwsApi maps errors (e.g. kAuth for rejected credentials);
  // a response without Account or Arn is a kProvider error.
  Result<CallerIdentity> GetCallerIdentity() const;

 private:
  AwsApi* api_;
};

}  // namespace cordon::aws
