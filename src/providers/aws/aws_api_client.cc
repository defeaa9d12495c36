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

constexpr char kFormContentType[] = "application/x-www-form-urlencoded; charset=utf-8";
constexpr char kJsonContentType[] = "application/x-amz-json-1.1";

// What one attempt produced: a response or an error, and the server's Retry-After if any.
template <typename T>
struct AttemptOutcome {
  Result<T> result;
  int status = 0;
  std::optional<std::chrono::seconds> retry_after;
};

// What the retry loop shares with the client that runs it.
struct Wire {
  transport::HttpTransport& http;
  const Credentials& credentials;
  const std::string& region;
  const transport::RetryPolicy& retry;
  const Clock& clock;
  std::atomic<size_t>& requests_sent;
};

// A form value as the AWS SDKs send it: percent-encoded, with a space as "+". moto rebuilds the
// body that way before checking the signature, so "%20" would fail there.
std::string FormBodyEncode(std::string_view text) {
  std::string out = FormEncode(text);
  for (size_t at = out.find("%20"); at != std::string::npos; at = out.find("%20", at + 1)) {
    out.replace(at, 3, "+");
  }
  return out;
}

std::string FormBody(std::string_view action, std::string_view version, const QueryParams& params) {
  std::string body = "Action=" + FormBodyEncode(action) + "&Version=" + FormBodyEncode(version);
  for (const auto& [name, value] : params) {
    body += "&" + FormBodyEncode(name) + "=" + FormBodyEncode(value);
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

bool IsSuccess(int status) { return status >= 200 && status <= 299; }

// The outcome of a transport failure or a non-2xx answer. `header_codes`: the protocol may name
// the error in x-amzn-ErrorType (JSON and REST); Query's mapping is left as it always was.
template <typename T>
AttemptOutcome<T> FailedOutcome(const Result<transport::HttpResponse>& sent, bool header_codes) {
  AttemptOutcome<T> outcome{Fail(ErrorKind::kInternal, "unset"), 0, std::nullopt};
  if (!sent) {
    outcome.result = Fail(sent.error());
    return outcome;
  }
  const transport::HttpResponse& response = *sent;
  outcome.status = response.status;
  outcome.result =
      Fail(header_codes ? MapAwsError(response.status, response.body, HeaderRequestId(response),
                                      response.Header("x-amzn-ErrorType"))
                        : MapAwsError(response.status, response.body, HeaderRequestId(response)));
  outcome.retry_after = transport::ParseRetryAfter(response.Header("Retry-After"));
  return outcome;
}

// A 2xx whose body is cut short: retried, as a truncated transfer would be.
Error IncompleteBody(const transport::HttpResponse& response, const std::string& what) {
  return Error{ErrorKind::kTransient,
               "the response is not complete " + what,
               {},
               HeaderRequestId(response),
               response.status,
               true};
}

AttemptOutcome<QueryResponse> InterpretXml(Result<transport::HttpResponse> sent) {
  if (!sent || !IsSuccess(sent->status)) {
    return FailedOutcome<QueryResponse>(sent, /*header_codes=*/false);
  }
  const transport::HttpResponse& response = *sent;
  AttemptOutcome<QueryResponse> outcome{Fail(ErrorKind::kInternal, "unset"), response.status,
                                        std::nullopt};
  auto doc = std::make_shared<pugi::xml_document>();
  const pugi::xml_parse_result parsed =
      doc->load_buffer(response.body.data(), response.body.size());
  if (!parsed || !doc->document_element()) {
    outcome.result =
        Fail(IncompleteBody(response, std::string("XML (") + parsed.description() + ")"));
    return outcome;
  }
  std::string request_id = RequestIdOf(response, doc->document_element());
  outcome.result = QueryResponse{std::move(doc), std::move(request_id)};
  return outcome;
}

AttemptOutcome<JsonResponse> InterpretJson(Result<transport::HttpResponse> sent) {
  if (!sent || !IsSuccess(sent->status)) {
    return FailedOutcome<JsonResponse>(sent, /*header_codes=*/true);
  }
  const transport::HttpResponse& response = *sent;
  AttemptOutcome<JsonResponse> outcome{Fail(ErrorKind::kInternal, "unset"), response.status,
                                       std::nullopt};
  nlohmann::json body = nlohmann::json::object();
  if (!response.body.empty()) {
    body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  }
  if (!body.is_object()) {
    outcome.result = Fail(IncompleteBody(response, "JSON object"));
    return outcome;
  }
  outcome.result = JsonResponse{std::move(body), HeaderRequestId(response)};
  return outcome;
}

// S3 answers a call to the wrong region with 301 (or 400) and names the bucket's region in a
// header; saying so turns an opaque "PermanentRedirect" into something a responder can act on.
void AddRegionHint(const transport::HttpResponse& response, const std::string& region,
                   Error& error) {
  const std::string bucket_region = response.Header("x-amz-bucket-region");
  if (!bucket_region.empty() && bucket_region != region) {
    error.message +=
        " (the bucket is in region " + bucket_region + ", the call was made in " + region + ")";
  }
}

AttemptOutcome<RestResponse> InterpretRest(Result<transport::HttpResponse> sent,
                                           const std::string& region) {
  if (!sent || !IsSuccess(sent->status)) {
    AttemptOutcome<RestResponse> failed = FailedOutcome<RestResponse>(sent, /*header_codes=*/true);
    if (sent) {
      AddRegionHint(*sent, region, failed.result.error());
    }
    return failed;
  }
  transport::HttpResponse& response = *sent;
  std::string request_id = HeaderRequestId(response);
  const int status = response.status;
  return {RestResponse{status, std::move(response.headers), std::move(response.body),
                       std::move(request_id)},
          status, std::nullopt};
}

long long MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// Sends `unsigned_request` until it succeeds, fails for good or the attempts run out, signing
// it afresh each time; `interpret` turns each transport result into an AttemptOutcome<T>.
template <typename T, typename Interpret>
Result<T> Exchange(const Wire& wire, std::string_view service, std::string_view action,
                   const SigningScope& scope, const transport::HttpRequest& unsigned_request,
                   Interpret interpret) {
  const std::string call = std::string(service) + " " + std::string(action);
  const int max_attempts = std::max(1, wire.retry.max_attempts);
  const auto started = std::chrono::steady_clock::now();

  for (int attempt = 1;; ++attempt) {
    transport::HttpRequest request = unsigned_request;
    // Signed on every attempt: the signature covers X-Amz-Date, which must be fresh.
    if (auto signed_request = SignRequest(request, wire.credentials, scope, wire.clock.Now(), {});
        !signed_request) {
      return Fail(signed_request.error());
    }

    wire.requests_sent.fetch_add(1, std::memory_order_relaxed);
    AttemptOutcome<T> outcome = interpret(wire.http.Send(request));
    const std::string request_id =
        outcome.result ? outcome.result->request_id : outcome.result.error().request_id;
    log::Debug("http.request", {{"provider", "aws"},
                                {"service", service},
                                {"action", action},
                                {"region", wire.region},
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
        transport::NextDelay(wire.retry, attempt, outcome.retry_after);
    log::Warn("http.retry", {{"provider", "aws"},
                             {"service", service},
                             {"action", action},
                             {"region", wire.region},
                             {"attempt", attempt},
                             {"status", outcome.status},
                             {"code", error.provider_code},
                             {"request_id", error.request_id},
                             {"elapsed_ms", MillisSince(started)},
                             {"delay_ms", delay.count()}});
    transport::SleepFor(wire.retry, delay);
  }
}

std::string RestQuery(const QueryParams& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    out += out.empty() ? "?" : "&";
    out += FormEncode(name);
    if (!value.empty()) {
      out += "=" + FormEncode(value);
    }
  }
  return out;
}

bool HasHeader(const transport::Headers& headers, std::string_view name) {
  transport::HttpResponse view;
  view.headers = headers;
  return !view.Header(name).empty();
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

std::string_view JsonTargetPrefix(std::string_view service) {
  if (service == "cloudtrail") {
    return "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101";
  }
  if (service == "ssm") {
    return "AmazonSSM";
  }
  return {};
}

std::string FormEncode(std::string_view text) { return PathEncode(text, /*keep_slash=*/false); }

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
  const std::string_view version = QueryApiVersion(service);
  if (version.empty()) {
    return Fail(ErrorKind::kInternal, std::string(service) + " " + std::string(action) +
                                          ": no Query API version is known for this service");
  }
  auto endpoint = endpoints_.Resolve(service, region_);
  if (!endpoint) {
    return Fail(endpoint.error());
  }

  transport::HttpRequest request;
  request.method = "POST";
  request.url = endpoint->url + "/";
  request.headers = {{"Content-Type", kFormContentType}};
  request.body = FormBody(action, version, params);
  const Wire wire{http_, credentials_, region_, retry_, clock_, requests_sent_};
  return Exchange<QueryResponse>(wire, service, action,
                                 {endpoint->signing_region, endpoint->signing_name}, request,
                                 InterpretXml);
}

Result<JsonResponse> AwsApiClient::Json(std::string_view service, std::string_view operation,
                                        const nlohmann::json& body) {
  const std::string call = std::string(service) + " " + std::string(operation);
  const std::string_view prefix = JsonTargetPrefix(service);
  if (prefix.empty()) {
    return Fail(ErrorKind::kInternal, call + ": no JSON target prefix is known for this service");
  }
  auto endpoint = endpoints_.Resolve(service, region_);
  if (!endpoint) {
    return Fail(endpoint.error());
  }
  std::string payload;
  try {
    payload = body.dump();
  } catch (const nlohmann::json::exception& error) {
    return Fail(ErrorKind::kInvalidInput,
                call + ": the request cannot be written as JSON: " + error.what());
  }

  transport::HttpRequest request;
  request.method = "POST";
  request.url = endpoint->url + "/";
  request.headers = {{"Content-Type", kJsonContentType},
                     {"X-Amz-Target", std::string(prefix) + "." + std::string(operation)}};
  request.body = std::move(payload);
  const Wire wire{http_, credentials_, region_, retry_, clock_, requests_sent_};
  return Exchange<JsonResponse>(wire, service, operation,
                                {endpoint->signing_region, endpoint->signing_name}, request,
                                InterpretJson);
}

Result<RestResponse> AwsApiClient::Rest(std::string_view service, const RestRequest& rest) {
  const std::string_view operation =
      rest.operation.empty() ? std::string_view(rest.method) : std::string_view(rest.operation);
  if (rest.path.empty() || rest.path.front() != '/') {
    return Fail(ErrorKind::kInternal, std::string(service) + " " + std::string(operation) +
                                          ": a REST path must start with '/'");
  }
  auto endpoint = endpoints_.Resolve(service, region_);
  if (!endpoint) {
    return Fail(endpoint.error());
  }

  transport::HttpRequest request;
  request.method = rest.method;
  // Path-style addressing for S3 (https://s3.REGION.amazonaws.com/BUCKET/KEY): it works with
  // every endpoint override and for bucket names with dots, which break virtual-host TLS.
  request.url = endpoint->url + rest.path + RestQuery(rest.query);
  request.headers = rest.headers;
  request.body = rest.body;
  request.timeout = rest.timeout;
  // S3 answers 411 MissingContentLength to a bodiless PUT without the header, which libcurl
  // leaves out when there is no body.
  if (request.method == "PUT" && request.body.empty() &&
      !HasHeader(request.headers, "Content-Length")) {
    request.headers.emplace_back("Content-Length", "0");
  }
  // libcurl labels an unlabelled body as a form, which servers then try to parse as one.
  if (!request.body.empty() && !HasHeader(request.headers, "Content-Type")) {
    request.headers.emplace_back("Content-Type", "application/octet-stream");
  }
  const Wire wire{http_, credentials_, region_, retry_, clock_, requests_sent_};
  const std::string& signing_region = endpoint->signing_region;
  return Exchange<RestResponse>(wire, service, operation,
                                {endpoint->signing_region, endpoint->signing_name}, request,
                                [&signing_region](Result<transport::HttpResponse> sent) {
                                  return InterpretRest(std::move(sent), signing_region);
                                });
}

}  // namespace cordon::aws
