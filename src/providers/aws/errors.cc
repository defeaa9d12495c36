#include "providers/aws/errors.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <string>

namespace cordon::aws {
namespace {

struct ParsedError {
  std::string code;
  std::string message;
  std::string request_id;
};

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

template <size_t N>
bool OneOf(std::string_view code, const std::array<std::string_view, N>& codes) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

constexpr std::array<std::string_view, 13> kThrottlingCodes{
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "ProvisionedThroughputExceededException",
    "TooManyRequests"};

constexpr std::array<std::string_view, 7> kNotFoundCodes{
    "NoSuchEntity", "NotFound",  "NoSuchEntityException", "ResourceNotFoundException",
    "NoSuchBucket", "NoSuchKey", "NotFoundException"};

constexpr std::array<std::string_view, 13> kAuthCodes{"AuthFailure",
                                                      "InvalidClientTokenId",
                                                      "SignatureDoesNotMatch",
                                                      "IncompleteSignature",
                                                      "ExpiredToken",
                                                      "ExpiredTokenException",
                                                      "UnrecognizedClientException",
                                                      "MissingAuthenticationToken",
                                                      "InvalidAccessKeyId",
                                                      "InvalidSignatureException",
                                                      "RequestExpired",
                                                      "RequestTimeTooSkewed",
                                                      "Unauthorized"};

constexpr std::array<std::string_view, 7> kPermissionCodes{
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Forbidden", "OptInRequired",
    "Blocked",      "AuthorizationError"};

constexpr std::array<std::string_view, 13> kConflictCodes{"ConcurrentModification",
                                                          "ConcurrentModificationException",
                                                          "IncorrectState",
                                                          "IncorrectInstanceState",
                                                          "DeleteConflict",
                                                          "DependencyViolation",
                                                          "ResourceConflictException",
                                                          "ResourceInUseException",
                                                          "ConflictException",
                                                          "Conflict",
                                                          "InvalidBucketState",
                                                          "OperationAborted",
                                                          "BucketAlreadyOwnedByYou"};

constexpr std::array<std::string_view, 9> kTransientCodes{
    "InternalError",  "InternalFailure",         "ServiceUnavailable",
    "Unavailable",    "InternalServerError",     "InternalServiceError",
    "RequestTimeout", "RequestTimeoutException", "ServiceUnavailableException"};

std::string CodeForStatus(int status) {
  switch (status) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalServerError";
    case 502:
      return "BadGateway";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "GatewayTimeout";
    default:
      return "Http" + std::to_string(status);
  }
}

std::string Text(const pugi::xml_node& node) { return node.child_value(); }

bool ParseXml(std::string_view body, ParsedError& parsed) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) {
    return false;
  }
  // Services and emulators mix the shapes (moto sends <ErrorResponse><Errors><Error>), so the
  // first of these that carries a Code wins.
  const pugi::xml_node root = doc.document_element();
  pugi::xml_node error;
  for (const pugi::xml_node& candidate :
       {root, root.child("Error"), root.child("Errors").child("Error")}) {
    if (std::string_view(candidate.name()) == "Error" && candidate.child("Code")) {
      error = candidate;
      break;
    }
  }
  if (!error || Text(error.child("Code")).empty()) {
    return false;
  }
  parsed.code = Text(error.child("Code"));
  parsed.message = Text(error.child("Message"));
  for (const char* name : {"RequestId", "RequestID", "requestId"}) {
    if (parsed.request_id.empty()) {
      parsed.request_id = Text(root.child(name));
    }
  }
  return true;
}

bool ParseJson(std::string_view body, ParsedError& parsed) {
  const auto json =
      nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return false;
  }
  std::string code;
  for (const char* key : {"__type", "code", "Code"}) {
    if (auto found = json.find(key); found != json.end() && found->is_string()) {
      code = found->get<std::string>();
      break;
    }
  }
  // "com.amazonaws.lambda#ResourceNotFoundException" and "Code:http://..." name the same code.
  if (const size_t hash = code.rfind('#'); hash != std::string::npos) {
    code = code.substr(hash + 1);
  }
  code = code.substr(0, code.find(':'));
  if (code.empty()) {
    return false;
  }
  parsed.code = code;
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (auto found = json.find(key); found != json.end() && found->is_string()) {
      parsed.message = found->get<std::string>();
      break;
    }
  }
  return true;
}

// "ResourceNotFoundException:http://internal.amazon.com/..." -> "ResourceNotFoundException".
std::string CodeFromHeader(std::string_view header) {
  std::string code(header.substr(0, header.find(':')));
  while (!code.empty() && (code.back() == ' ' || code.back() == '\t')) {
    code.pop_back();
  }
  while (!code.empty() && (code.front() == ' ' || code.front() == '\t')) {
    code.erase(0, 1);
  }
  return code;
}

// The message of a JSON error body that names no code; "" when there is none.
std::string JsonMessage(std::string_view body) {
  const auto json =
      nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    return {};
  }
  for (const char* key : {"message", "Message", "errorMessage"}) {
    if (auto found = json.find(key); found != json.end() && found->is_string()) {
      return found->get<std::string>();
    }
  }
  return {};
}

// The kind a provider code names; nullopt for codes that say nothing about it.
std::optional<ErrorKind> KindForCode(std::string_view code) {
  if (OneOf(code, kThrottlingCodes)) {
    return ErrorKind::kThrottled;
  }
  if (EndsWith(code, ".NotFound") || OneOf(code, kNotFoundCodes)) {
    return ErrorKind::kNotFound;
  }
  if (OneOf(code, kAuthCodes)) {
    return ErrorKind::kAuth;
  }
  if (OneOf(code, kPermissionCodes)) {
    return ErrorKind::kPermission;
  }
  if (EndsWith(code, "AlreadyExists") || EndsWith(code, "AlreadyExistsException") ||
      EndsWith(code, ".Duplicate") || OneOf(code, kConflictCodes)) {
    return ErrorKind::kConflict;
  }
  if (OneOf(code, kTransientCodes)) {
    return ErrorKind::kTransient;
  }
  return std::nullopt;
}

ErrorKind KindForStatus(int status) {
  if (status == 429) {
    return ErrorKind::kThrottled;
  }
  if (status == 401) {
    return ErrorKind::kAuth;
  }
  if (status == 403) {
    return ErrorKind::kPermission;
  }
  return status >= 500 ? ErrorKind::kTransient : ErrorKind::kProvider;
}

}  // namespace

Error MapAwsError(int http_status, std::string_view body, std::string_view request_id_header) {
  return MapAwsError(http_status, body, request_id_header, {});
}

Error MapAwsError(int http_status, std::string_view body, std::string_view request_id_header,
                  std::string_view error_type_header) {
  ParsedError parsed;
  bool readable = ParseXml(body, parsed) || ParseJson(body, parsed);
  if (std::string code = CodeFromHeader(error_type_header); !code.empty()) {
    if (!readable) {
      // A {"Type","Message"} body names no code but still carries the message.
      parsed.message = JsonMessage(body);
    }
    parsed.code = std::move(code);
    readable = true;
  }

  Error error;
  error.http_status = http_status;
  error.provider_code = readable ? parsed.code : CodeForStatus(http_status);
  error.request_id =
      parsed.request_id.empty() ? std::string(request_id_header) : std::move(parsed.request_id);
  if (!parsed.message.empty()) {
    error.message = std::move(parsed.message);
  } else if (readable) {
    error.message = "AWS answered HTTP " + std::to_string(http_status) + " " + error.provider_code;
  } else {
    error.message = "AWS answered HTTP " + std::to_string(http_status) +
                    (body.empty() ? " with no body" : " with an unreadable error body");
  }
  error.kind = KindForCode(error.provider_code).value_or(KindForStatus(http_status));
  error.retryable = error.kind == ErrorKind::kThrottled || error.kind == ErrorKind::kTransient;
  return error;
}

}  // namespace cordon::aws
