// The production AwsApi: Query/EC2, JSON 1.1 and REST calls over an HttpTransport, signed and
// retried.
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

// Calls one region's services. Query protocol ("iam", "sts", "ec2", "autoscaling",
// "elasticloadbalancing"): a POST of a form-encoded body (Action and Version first, then the
// parameters in order). JSON 1.1 ("cloudtrail", "ssm"): a POST of the JSON body with
// Content-Type application/x-amz-json-1.1 and X-Amz-Target. REST ("s3", "lambda"): the request as
// given, at the endpoint URL plus its path; S3 is always addressed path-style
// (ENDPOINT/BUCKET/KEY), which works for default endpoints, overrides and dotted bucket names.
//
// Every attempt is SigV4-signed afresh (S3 with x-amz-content-sha256 and its single path
// encoding, as sigv4.h defaults for "s3"). Retryable failures (transport errors, throttling,
// 5xx, a 2xx whose XML or JSON is truncated) are retried with the policy's backoff; the last
// error is returned when attempts run out. Provider errors go through MapAwsError (JSON and REST
// also read x-amzn-ErrorType); an S3 error naming another region in x-amz-bucket-region says so
// in its message. Logs `http.request` (debug) per attempt and `http.retry` (warn) per retry,
// never with headers, bodies, URLs or secrets.
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

  // Fails like Query; kInternal for a service with no known JSON target prefix.
  Result<JsonResponse> Json(std::string_view service, std::string_view operation,
                            const nlohmann::json& body) override;

  // Fails like Query; kInternal for a path that does not start with '/'.
  Result<RestResponse> Rest(std::string_view service, const RestRequest& request) override;

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

// The X-Amz-Target prefix of a JSON 1.1 service ("AmazonSSM" for "ssm"); empty when unknown.
std::string_view JsonTargetPrefix(std::string_view service);

// `text` percent-encoded for a form body: RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~)
// kept, every other byte as %XX (upper-case hex). Query bodies send a space as "+" instead, as
// the AWS SDKs do. Pure.
std::string FormEncode(std::string_view text);

}  // namespace cordon::aws
