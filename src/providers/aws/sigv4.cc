#include "providers/aws/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string_view>
#include <utility>
#include <vector>

#include "core/crypto.h"

namespace cordon::aws {
namespace {

using transport::Headers;
using transport::HttpRequest;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";

// Query parameters that carry a query-string signature; an earlier signing's are dropped.
constexpr std::array<std::string_view, 7> kQueryAuthParams = {
    "X-Amz-Algorithm",     "X-Amz-Credential",     "X-Amz-Date",     "X-Amz-Expires",
    "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature"};

// Headers that proxies and HTTP stacks may add, drop or rewrite, so signing them breaks requests.
constexpr std::array<std::string_view, 6> kUnsignedHeaders = {
    "authorization", "user-agent", "expect", "connection", "transfer-encoding", "x-amzn-trace-id"};

struct UrlParts {
  std::string scheme;     // lower-case
  std::string authority;  // host[:port], without user info
  std::string path;       // as written in the URL, may be empty
  std::string query;      // without '?', may be empty
  std::string base;       // the URL as written up to the end of the path
};

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ToLower(a) == ToLower(b);
}

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// RFC 3986 percent-encoding of every byte but the unreserved ones (and '/' when asked).
std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += c;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

// Decodes %XX escapes; a '%' not followed by two hex digits stands for itself. '+' is literal.
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::optional<UrlParts> SplitUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    return std::nullopt;
  }
  UrlParts parts;
  parts.scheme = ToLower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }

  const size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (authority.empty()) {
    return std::nullopt;
  }
  parts.authority = std::string(authority);

  const std::string_view path_and_query =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  const size_t question = path_and_query.find('?');
  parts.path = std::string(path_and_query.substr(0, question));
  const size_t path_start =
      scheme_end + 3 + (authority_end == std::string_view::npos ? rest.size() : authority_end);
  parts.base = std::string(url.substr(0, path_start + parts.path.size()));
  if (question != std::string_view::npos) {
    parts.query = std::string(path_and_query.substr(question + 1));
  }
  return parts;
}

// The Host header value for the URL: the authority without a port that is the scheme's default.
std::string HostFor(const UrlParts& url) {
  const std::string_view authority = url.authority;
  const size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos || authority.find(']', colon) != std::string_view::npos) {
    return url.authority;
  }
  const std::string_view port = authority.substr(colon + 1);
  if ((url.scheme == "https" && port == "443") || (url.scheme == "http" && port == "80")) {
    return std::string(authority.substr(0, colon));
  }
  return url.authority;
}

// RFC 3986 section 5.2.4 dot-segment removal, also dropping empty segments (repeated slashes).
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  bool trailing_slash = false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    const std::string_view segment = path.substr(start, end - start);
    const bool is_last = end == path.size();
    if (segment == "..") {
      if (!segments.empty()) {
        segments.pop_back();
      }
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (is_last) {
      // "/a/", "/a/." and "/a/b/.." all name a directory, so they keep their final slash.
      trailing_slash = segment.empty() || segment == "." || segment == "..";
      break;
    }
    start = end + 1;
  }

  std::string out;
  for (const std::string_view segment : segments) {
    out += '/';
    out += segment;
  }
  if (out.empty() || trailing_slash) {
    out += '/';
  }
  return out;
}

std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode) {
  std::string raw = normalize ? NormalizePath(path) : std::string(path);
  if (raw.empty()) {
    raw = "/";
  }
  return UriEncode(double_encode ? raw : PercentDecode(raw), /*keep_slash=*/true);
}

bool IsQueryAuthParam(std::string_view piece) {
  const std::string key = PercentDecode(piece.substr(0, piece.find('=')));
  return std::any_of(kQueryAuthParams.begin(), kQueryAuthParams.end(),
                     [&](std::string_view name) { return key == name; });
}

// The URL's query pieces ("k=v" as written), without empty ones and, when asked, without the
// parameters of an earlier query-string signature.
std::vector<std::string_view> QueryPieces(std::string_view query, bool drop_auth_params) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    const std::string_view piece = query.substr(start, end - start);
    if (!piece.empty() && !(drop_auth_params && IsQueryAuthParam(piece))) {
      pieces.push_back(piece);
    }
    start = end + 1;
  }
  return pieces;
}

using EncodedParams = std::vector<std::pair<std::string, std::string>>;

// Each piece re-encoded the canonical way, whatever encoding the URL used.
EncodedParams EncodePieces(const std::vector<std::string_view>& pieces) {
  EncodedParams params;
  for (const std::string_view piece : pieces) {
    const size_t equals = piece.find('=');
    const std::string_view key = piece.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1);
    params.emplace_back(UriEncode(PercentDecode(key), /*keep_slash=*/false),
                        UriEncode(PercentDecode(value), /*keep_slash=*/false));
  }
  return params;
}

std::string JoinParams(EncodedParams params, bool sorted) {
  if (sorted) {
    std::sort(params.begin(), params.end());
  }
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) {
      out += '&';
    }
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

// Trims the value and collapses each inner run of whitespace to one space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;         // "name:value\n" lines
  std::string signed_names;  // "name;name"
};

CanonicalHeaders CanonicalizeHeaders(const Headers& headers) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& [name, value] : headers) {
    std::string lower = ToLower(name);
    if (lower.empty() || std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), lower) !=
                             kUnsignedHeaders.end()) {
      continue;
    }
    entries.emplace_back(std::move(lower), CanonicalHeaderValue(value));
  }
  // Stable, so repeated headers keep their order when their values are joined.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  CanonicalHeaders out;
  for (size_t i = 0; i < entries.size(); ++i) {
    const bool continues = i > 0 && entries[i].first == entries[i - 1].first;
    if (continues) {
      out.block += ',';
    } else {
      if (i > 0) {
        out.block += '\n';
        out.signed_names += ';';
      }
      out.block += entries[i].first + ':';
      out.signed_names += entries[i].first;
    }
    out.block += entries[i].second;
  }
  if (!entries.empty()) {
    out.block += '\n';
  }
  return out;
}

void RemoveHeader(Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

bool HasHeader(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

struct AmzTime {
  std::string date;       // YYYYMMDD
  std::string date_time;  // YYYYMMDD'T'HHMMSS'Z'
};

AmzTime FormatAmzTime(std::chrono::system_clock::time_point now) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const auto days = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{seconds - days};

  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d%02u%02uT%02d%02d%02dZ", int{ymd.year()},
                unsigned{ymd.month()}, unsigned{ymd.day()}, static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  const std::string date_time(buffer.data());
  return AmzTime{date_time.substr(0, 8), date_time};
}

// HMAC chain of the SigV4 key derivation; intermediate keys are wiped once used.
std::string Signature(const Credentials& credentials, const AmzTime& time,
                      const SigningScope& scope, std::string_view string_to_sign) {
  std::string key = "AWS4" + credentials.secret_access_key;
  for (const std::string_view part : {std::string_view(time.date), std::string_view(scope.region),
                                      std::string_view(scope.service), kTerminator}) {
    std::string next = HmacSha256(key, part);
    OPENSSL_cleanse(key.data(), key.size());
    key = std::move(next);
  }
  std::string signature = HexEncode(HmacSha256(key, string_to_sign));
  OPENSSL_cleanse(key.data(), key.size());
  return signature;
}

// The options resolved against the service's defaults, plus the values every step needs.
struct Plan {
  bool in_header = true;
  bool normalize = true;
  bool double_encode = true;
  bool add_content_sha256 = false;
  bool has_token = false;
  bool sign_token = true;
  AmzTime time;
  std::string credential_scope;  // date/region/service/aws4_request
  std::string payload_hash;
};

Plan MakePlan(const HttpRequest& request, const Credentials& credentials, const SigningScope& scope,
              std::chrono::system_clock::time_point now, const SigningOptions& options) {
  const bool is_s3 = scope.service == "s3";
  Plan plan;
  plan.in_header = options.location == SignatureLocation::kHeader;
  plan.normalize = options.normalize_path.value_or(!is_s3);
  plan.double_encode = options.double_encode_path.value_or(!is_s3);
  plan.add_content_sha256 = plan.in_header && options.add_content_sha256.value_or(is_s3);
  plan.has_token = !credentials.session_token.empty();
  plan.sign_token = options.sign_session_token;
  plan.time = FormatAmzTime(now);
  plan.credential_scope =
      plan.time.date + "/" + scope.region + "/" + scope.service + "/" + std::string(kTerminator);
  // A presigned S3 URL is made before its body is known, so S3 expects it unsigned.
  plan.payload_hash = options.payload_hash.value_or(
      is_s3 && !plan.in_header ? "UNSIGNED-PAYLOAD" : Sha256Hex(request.body));
  return plan;
}

// Puts in the headers to be signed. Headers this signer owns are replaced, so signing again
// (say, before a retry) is clean.
void PrepareHeaders(Headers& headers, const Plan& plan, const UrlParts& url,
                    const Credentials& credentials) {
  RemoveHeader(headers, "Authorization");
  RemoveHeader(headers, "X-Amz-Date");
  if (plan.has_token) {
    RemoveHeader(headers, "X-Amz-Security-Token");
  }
  if (plan.add_content_sha256) {
    RemoveHeader(headers, "x-amz-content-sha256");
  }
  if (!HasHeader(headers, "Host")) {
    headers.emplace_back("Host", HostFor(url));
  }
  if (!plan.in_header) {
    return;
  }
  headers.emplace_back("X-Amz-Date", plan.time.date_time);
  if (plan.has_token && plan.sign_token) {
    headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  if (plan.add_content_sha256) {
    headers.emplace_back("x-amz-content-sha256", plan.payload_hash);
  }
}

// The signed X-Amz-* query parameters of a presigned URL, encoded.
EncodedParams QueryAuthParams(const Plan& plan, const Credentials& credentials,
                              const std::string& signed_headers, std::chrono::seconds expires) {
  EncodedParams params = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", UriEncode(credentials.access_key_id + "/" + plan.credential_scope,
                                     /*keep_slash=*/false)},
      {"X-Amz-Date", plan.time.date_time},
      {"X-Amz-Expires", std::to_string(expires.count())},
      {"X-Amz-SignedHeaders", UriEncode(signed_headers, /*keep_slash=*/false)}};
  if (plan.has_token && plan.sign_token) {
    params.emplace_back("X-Amz-Security-Token",
                        UriEncode(credentials.session_token, /*keep_slash=*/false));
  }
  return params;
}

}  // namespace

Result<SigningArtifacts> SignRequest(HttpRequest& request, const Credentials& credentials,
                                     const SigningScope& scope,
                                     std::chrono::system_clock::time_point now,
                                     const SigningOptions& options) {
  const std::optional<UrlParts> url = SplitUrl(request.url);
  if (!url) {
    return Fail(ErrorKind::kInvalidInput, "cannot sign a request whose URL is not absolute");
  }
  const Plan plan = MakePlan(request, credentials, scope, now, options);

  PrepareHeaders(request.headers, plan, *url, credentials);
  const CanonicalHeaders headers = CanonicalizeHeaders(request.headers);
  const std::vector<std::string_view> pieces = QueryPieces(url->query, !plan.in_header);
  EncodedParams query = EncodePieces(pieces);
  EncodedParams auth_params;
  if (!plan.in_header) {
    auth_params = QueryAuthParams(plan, credentials, headers.signed_names, options.expires);
    query.insert(query.end(), auth_params.begin(), auth_params.end());
  }

  SigningArtifacts artifacts;
  artifacts.canonical_request = request.method + "\n" +
                                CanonicalUri(url->path, plan.normalize, plan.double_encode) + "\n" +
                                JoinParams(query, /*sorted=*/true) + "\n" + headers.block + "\n" +
                                headers.signed_names + "\n" + plan.payload_hash;
  artifacts.string_to_sign = std::string(kAlgorithm) + "\n" + plan.time.date_time + "\n" +
                             plan.credential_scope + "\n" + Sha256Hex(artifacts.canonical_request);
  artifacts.signature = Signature(credentials, plan.time, scope, artifacts.string_to_sign);

  const bool token_after = plan.has_token && !plan.sign_token;
  if (plan.in_header) {
    request.headers.emplace_back(
        "Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id +
                             "/" + plan.credential_scope + ", SignedHeaders=" +
                             headers.signed_names + ", Signature=" + artifacts.signature);
    if (token_after) {
      request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
    }
    return artifacts;
  }

  // The URL keeps its own query pieces as written and gains the signature parameters.
  if (token_after) {
    auth_params.emplace_back("X-Amz-Security-Token",
                             UriEncode(credentials.session_token, /*keep_slash=*/false));
  }
  auth_params.emplace_back("X-Amz-Signature", artifacts.signature);
  std::string new_query;
  for (const std::string_view piece : pieces) {
    new_query += std::string(piece) + "&";
  }
  request.url = url->base + "?" + new_query + JoinParams(auth_params, /*sorted=*/false);
  return artifacts;
}

void SignRequest(HttpRequest& request, const Credentials& credentials, const SigningScope& scope,
                 std::chrono::system_clock::time_point now) {
  // A failure means the caller built a relative URL; the unsigned request is then rejected by
  // the service with an authentication error, which is reported like any other.
  (void)SignRequest(request, credentials, scope, now, SigningOptions{});
}

}  // namespace cordon::aws
