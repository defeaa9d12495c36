// The production AwsApi: Query/EC2-protocol calls over an HttpTransport, signed and retried.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/credentials.h"
#include "providers/aws/endpoints.h"
#include "transport/http.h"
#include "transport/retry.h"

namespace cordon::aws {

// Calls one region's Query-protocol services ("iam", "sts", "ec2", "autoscaling",
// "elasticloadbalancing"). Each call is a POST of a form-encoded body (Action and Version
// first, then the parameters in order) to the resolved endpoint, SigV4-signed afresh on every
// attempt. Retryable failures (transport errors, throttling, 5xx, a 2xx whose XML is truncated)
// are retried with the policy's backoff; the last error is returned when attempts run out.
// Provider errors go through MapAwsError. Logs `http.request` (debug) per attempt and
// `http.retry` (warn) per retry, never with headers, bodies, URLs or secrets.
//
// Thread-safe: `http` and `clock` must outlive the client and be thread-safe themselves.
class AwsApiClient : public AwsApi {
 public:
  AwsApiClient(transport::HttpTransport& http, Credentials credentials, std::string region,
               EndpointResolver endpoints, transport::RetryPolicy retry,
               const Clock& clock = DefaultClock());

  // Fails with kInvalidInput when the endpoint cannot be resolved (bad region or override),
  // kInternal for a service with no known API version, or the mapped provider/transport error.
  Result<QueryResponse> Query(std::string_view service, std::string_view action,
                              const QueryParams& params) override;

  std::string Region() const override { return region_; }

  // HTTP requests sent so far, retries included.
  size_t RequestsSent() const { return requests_sent_.load(std::memory_order_relaxed); }

 private:
  transport::HttpTransport& http_;
  const Credentials credentials_;
  const std::string region_;
  const EndpointResolver endpoints_;
  const transport::RetryPolicy retry_;
  const Clock& clock_;
  std::atomic<size_t> requests_sent_{0};
};

// The API version a Query-protocol service expects ("2010-05-08" for "iam"); empty when unknown.
std::string_view QueryApiVersion(std::string_view service);

// `text` percent-encoded for a form body: RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~)
// kept, a space as "+" (as the AWS SDKs send forms), every other byte as %XX (upper-case hex).
// Pure.
std::string FormEncode(std::string_view text);

}  // namespace cordon::aws
