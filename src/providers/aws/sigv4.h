// AWS Signature Version 4 (header and query-string signing).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/result.h"
#include "providers/aws/credentials.h"
#include "transport/http.h"

namespace cordon::aws {

struct SigningScope {
  std::string region;   // e.g. "us-east-1"
  std::string service;  // signing name, e.g. "iam", "ec2", "sts"
};

// Where the signature goes.
enum class SignatureLocation {
  kHeader,       // Authorization and X-Amz-Date headers
  kQueryString,  // X-Amz-* query parameters (a presigned URL)
};

// How to sign. Every unset field takes the default the AWS SDKs use for the service.
struct SigningOptions {
  SignatureLocation location = SignatureLocation::kHeader;

  // Remove "." and ".." segments and repeated slashes before encoding the path. Unset: on for
  // every service except "s3", whose object keys may contain such sequences.
  std::optional<bool> normalize_path;

  // Percent-encode the URL's path as it stands (so "%20" becomes "%2520"), which is what every
  // service except S3 expects. When off, the path is decoded and encoded exactly once. Unset: on
  // for every service except "s3".
  std::optional<bool> double_encode_path;

  // Add and sign an x-amz-content-sha256 header carrying the payload hash (header signing only).
  // Unset: only for "s3".
  std::optional<bool> add_content_sha256;

  // The payload hash to sign, e.g. "UNSIGNED-PAYLOAD". Unset: hex SHA-256 of the body, except for
  // query-string signing for "s3", which uses "UNSIGNED-PAYLOAD" as the SDKs do.
  std::optional<std::string> payload_hash;

  // Whether the session token (when the credentials carry one) is part of what is signed. A few
  // services want it attached only after signing; it is sent either way.
  bool sign_session_token = true;

  // Lifetime of a presigned URL (query-string signing only).
  std::chrono::seconds expires{3600};
};

// The intermediate values of one signature, for tests and diagnosis. `signature` is a credential
// for the request it signs: never print, log or store it. Deliberately no stream or format support.
struct SigningArtifacts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
};

// Signs `request` in place with an Authorization header: adds X-Amz-Date, X-Amz-Security-Token
// when the credentials carry a session token, and (for S3-style services when asked)
// x-amz-content-sha256. The request's URL must be absolute. Pure function of its inputs.
// Equivalent to the overload below with default options; when the URL is not absolute the
// request is left unsigned (and the service will reject it).
void SignRequest(transport::HttpRequest& request, const Credentials& credentials,
                 const SigningScope& scope, std::chrono::system_clock::time_point now);

// Signs `request` in place as `options` say and returns what was signed.
//
// Header signing replaces any Authorization, X-Amz-Date (and, when added, X-Amz-Security-Token
// and x-amz-content-sha256) headers already present, so a request may be signed again before a
// retry. A Host header is added from the URL when the request has none. Query-string signing
// appends X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
// X-Amz-Security-Token and X-Amz-Signature to the URL, dropping any left by an earlier signing.
// Every header the request carries is signed except hop-by-hop and tracing ones (User-Agent,
// Expect, Connection, Transfer-Encoding, X-Amzn-Trace-Id).
//
// Fails with kInvalidInput, leaving `request` unchanged, when the URL has no scheme or host.
// The secret key is used only to derive the signing key. Thread-safe (no shared state).
Result<SigningArtifacts> SignRequest(transport::HttpRequest& request,
                                     const Credentials& credentials, const SigningScope& scope,
                                     std::chrono::system_clock::time_point now,
                                     const SigningOptions& options);

}  // namespace cordon::aws
