#include "providers/aws/aws_api_client.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <utility>

#include "core/log.h"
#include "providers/aws/errors.h"
#include "providers/aws/sigv4.h"

namespace cordon::aws {
namespace {

constexpr char kContentType[] = "application/x-www-form-urlencoded; charset=utf-8";

// What one attempt produced: a response or an error, and the server's Retry-After if any.
struct AttemptOutcome {
  Result<QueryResponse> result;
  int status = 0;
  std::optional<std::chrono::seconds> retry_after;
};

std::string FormBody(std::string_view action, std::string_view version, const QueryParams& params) {
  std::string body = "Action=" + FormEncode(action) + "&Version=" + FormEncode(version);
  for (const auto& [name, value] : params) {
    body += "&" + FormEncode(name) + "=" + FormEncode(value);
  }
  return body;
}

// Creates without a client token: repeating one whose answer was lost (or was a 5xx, after
// which the change may still have happened) can make a second resource. Throttling replies are
// safe to repeat, since nothing was done.
bool RepeatableAfterLostAnswer(std::string_view action) {
  return action != "CreateSnapshots" && action != "CreateSecurityGroup";
}

// The request id of a successful response: the header, else the element the protocol uses
// (<ResponseMetadata><RequestId> for Query, <requestId> for EC2).
std::string RequestIdOf(const transport::HttpResponse& response, const pugi::xml_node& root) {
  for (const char* header : {"x-amzn-RequestId", "x-amz-request-id"}) {
    if (std::string id = response.Header(header); !id.empty()) {
      return id;
    }
  }
  for (const pugi::xml_node& parent : {root, root.child("ResponseMetadata")}) {
    for (const char* name : {"RequestId", "requestId", "RequestID"}) {
      if (std::string id = parent.child(name).child_value(); !id.empty()) {
        return id;
      }
    }
  }
  return {};
}

std::string HeaderRequestId(const transport::HttpResponse& response) {
  std::string id = response.Header("x-amzn-RequestId");
  return id.empty() ? response.Header("x-amz-request-id") : id;
}

AttemptOutcome Interpret(Result<transport::HttpResponse> sent) {
  AttemptOutcome outcome{Fail(ErrorKind::kInternal, "unset"), 0, std::nullopt};
  if (!sent) {
    outcome.result = Fail(sent.error());
    return outcome;
  }
  const transport::HttpResponse& response = *sent;
  outcome.status = response.status;
  if (response.status < 200 || response.status > 299) {
    outcome.result = Fail(MapAwsError(response.status, response.body, HeaderRequestId(response)));
    outcome.retry_after = transport::ParseRetryAfter(response.Header("Retry-After"));
    return outcome;
  }

  auto doc = std::make_shared<pugi::xml_document>();
  const pugi::xml_parse_result parsed =
      doc->load_buffer(response.body.data(), response.body.size());
  if (!parsed || !doc->document_element()) {
    Error error{ErrorKind::kTransient,
                std::string("the response is not complete XML (") + parsed.description() + ")",
                {},
                HeaderRequestId(response),
                response.status,
                true};
    outcome.result = Fail(std::move(error));
    return outcome;
  }
  std::string request_id = RequestIdOf(response, doc->document_element());
  outcome.result = QueryResponse{std::move(doc), std::move(request_id)};
  return outcome;
}

long long MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

std::string_view QueryApiVersion(std::string_view service) {
  if (service == "iam") {
    return "2010-05-08";
  }
  if (service == "sts") {
    return "2011-06-15";
  }
  if (service == "ec2") {
    return "2016-11-15";
  }
  if (service == "autoscaling") {
    return "2011-01-01";
  }
  if (service == "elasticloadbalancing") {
    return "2015-12-01";
  }
  return {};
}

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' ||
                            byte == '.' || byte == '~';
    if (unreserved) {
      out += c;
    } else if (byte == ' ') {
      // As the AWS SDKs send forms (application/x-www-form-urlencoded). moto rebuilds the body
      // that way before checking the signature, so "%20" would fail there.
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

AwsApiClient::AwsApiClient(transport::HttpTransport& http, Credentials credentials,
                           std::string region, EndpointResolver endpoints,
                           transport::RetryPolicy retry, const Clock& clock)
    : http_(http),
      credentials_(std::move(credentials)),
      region_(std::move(region)),
      endpoints_(std::move(endpoints)),
      retry_(std::move(retry)),
      clock_(clock) {}

Result<QueryResponse> AwsApiClient::Query(std::string_view service, std::string_view action,
                                          const QueryParams& params) {
  const std::string call = std::string(service) + " " + std::string(action);
  const std::string_view version = QueryApiVersion(service);
  if (version.empty()) {
    return Fail(ErrorKind::kInternal, call + ": no Query API version is known for this service");
  }
  auto endpoint = endpoints_.Resolve(service, region_);
  if (!endpoint) {
    return Fail(endpoint.error());
  }
  const std::string body = FormBody(action, version, params);
  const SigningScope scope{endpoint->signing_region, endpoint->signing_name};
  const int max_attempts = std::max(1, retry_.max_attempts);
  const auto started = std::chrono::steady_clock::now();

  for (int attempt = 1;; ++attempt) {
    transport::HttpRequest request;
    request.method = "POST";
    request.url = endpoint->url + "/";
    request.headers = {{"Content-Type", kContentType}};
    request.body = body;
    // Signed on every attempt: the signature covers X-Amz-Date, which must be fresh.
    if (auto signed_request = SignRequest(request, credentials_, scope, clock_.Now(), {});
        !signed_request) {
      return Fail(signed_request.error());
    }

    requests_sent_.fetch_add(1, std::memory_order_relaxed);
    AttemptOutcome outcome = Interpret(http_.Send(request));
    const std::string request_id =
        outcome.result ? outcome.result->request_id : outcome.result.error().request_id;
    log::Debug("http.request", {{"provider", "aws"},
                                {"service", service},
                                {"action", action},
                                {"region", region_},
                                {"attempt", attempt},
                                {"status", outcome.status},
                                {"request_id", request_id},
                                {"elapsed_ms", MillisSince(started)}});
    if (outcome.result) {
      return std::move(*outcome.result);
    }

    Error error = std::move(outcome.result.error());
    if (error.retryable && error.kind != ErrorKind::kThrottled &&
        !RepeatableAfterLostAnswer(action)) {
      // The server may have done it: a repeat could make a second snapshot or group. The caller
      // looks for what the first attempt made instead.
      error.retryable = false;
      error.message += "; not repeated, since the call may have taken effect";
    }
    if (!error.retryable || attempt >= max_attempts) {
      error.message = call + ": " + error.message;
      return Fail(std::move(error));
    }
    const std::chrono::milliseconds delay =
        transport::NextDelay(retry_, attempt, outcome.retry_after);
    log::Warn("http.retry", {{"provider", "aws"},
                             {"service", service},
                             {"action", action},
                             {"region", region_},
                             {"attempt", attempt},
                             {"status", outcome.status},
                             {"code", error.provider_code},
                             {"request_id", error.request_id},
                             {"elapsed_ms", MillisSince(started)},
                             {"delay_ms", delay.count()}});
    transport::SleepFor(retry_, delay);
  }
}

}  // namespace cordon::aws
