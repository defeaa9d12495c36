// The seam between AWS typed clients and the wire: one signed, retried call in the Query/EC2,
// JSON 1.1 or REST protocol.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "transport/http.h"

namespace cordon::aws {

// Form parameters in order, e.g. {{"UserName","alice"},{"Filter.1.Name","vpc-id"}}.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// A parsed XML response. `doc` owns the tree; `root` is its document element.
struct QueryResponse {
  std::shared_ptr<pugi::xml_document> doc;
  std::string request_id;

  pugi::xml_node Root() const { return doc ? doc->document_element() : pugi::xml_node(); }
};

// A parsed JSON 1.1 response. `body` is the response object ({} for an empty body).
struct JsonResponse {
  nlohmann::json body;
  std::string request_id;
};

// One REST-protocol request (S3 REST-XML, Lambda REST-JSON).
struct RestRequest {
  std::string method = "GET";
  // Names the call in logs and error messages, e.g. "GetBucketPolicy".
  std::string operation;
  // Percent-encoded and starting with '/', e.g. "/2015-03-31/functions/my%3Afn/configuration";
  // build it with PathEncode. Appended to the endpoint URL (which may carry a path of its own).
  std::string path = "/";
  // Raw names and values, percent-encoded by the wire layer in this order. An empty value is
  // sent as the bare name, as S3 sub-resources are ({"policy", ""} gives "?policy").
  QueryParams query;
  // Content-Type, x-amz-* and the like. Authorization, X-Amz-Date, X-Amz-Security-Token and
  // (for S3) x-amz-content-sha256 are added by the signer.
  transport::Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
};

// A 2xx answer to a RestRequest, with the provider's request id (x-amzn-RequestId or
// x-amz-request-id).
struct RestResponse {
  int status = 0;
  transport::Headers headers;
  std::string body;
  std::string request_id;

  // The first header with this name, compared case-insensitively; empty when absent.
  std::string Header(std::string_view name) const {
    transport::HttpResponse view;
    view.headers = headers;
    return view.Header(name);
  }
};

// `text` percent-encoded for a URL path: RFC 3986 unreserved characters kept, and '/' kept too
// when `keep_slash` (S3 object keys); every other byte as %XX (upper-case hex). Pure.
inline std::string PathEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool keep = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' ||
                      byte == '~' || (keep_slash && byte == '/');
    if (keep) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

// Performs AWS Query-protocol (IAM, STS), EC2-protocol, JSON 1.1 (CloudTrail, SSM) and REST
// (S3, Lambda) calls: resolves the endpoint, signs with SigV4, retries throttling and 5xx with
// capped exponential backoff and jitter, and maps provider error codes to cordon errors (keeping
// code and request id). Implementations are thread-safe.
class AwsApi {
 public:
  AwsApi() = default;
  AwsApi(const AwsApi&) = delete;
  AwsApi& operator=(const AwsApi&) = delete;
  AwsApi(AwsApi&&) = delete;
  AwsApi& operator=(AwsApi&&) = delete;
  virtual ~AwsApi() = default;

  // `service` is the endpoint id: "iam", "sts" or "ec2". Action and Version are added here.
  virtual Result<QueryResponse> Query(std::string_view service, std::string_view action,
                                      const QueryParams& params) = 0;

  // A JSON 1.1 call: POST / with X-Amz-Target "<prefix>.<operation>" (the prefix is the
  // service's, e.g. "AmazonSSM") and `body` as the request. `service` is the endpoint id:
  // "cloudtrail" or "ssm". Fails like Query; a body that cannot be serialised (text that is
  // not UTF-8) is kInvalidInput, nothing sent.
  virtual Result<JsonResponse> Json(std::string_view service, std::string_view operation,
                                    const nlohmann::json& body) = 0;

  // A REST call to `service` ("s3" or "lambda"). Any 2xx answer is returned; every other status
  // is mapped to an error as for Query, reading the code from the body (XML or JSON) or the
  // x-amzn-ErrorType header.
  virtual Result<RestResponse> Rest(std::string_view service, const RestRequest& request) = 0;

  // The region calls are signed for and regional endpoints use.
  virtual std::string Region() const = 0;
};

}  // namespace cordon::aws
