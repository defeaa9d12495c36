// The HTTP seam: provider clients speak to an HttpTransport so tests can substitute fakes.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace cordon::transport {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, e.g. "https://iam.amazonaws.com/"
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names as received; look up with Header()
  std::string body;

  // The first header with this name, compared case-insensitively; empty when absent.
  std::string Header(std::string_view name) const;
};

// Sends one request. Returns the response for any HTTP status; fails only when no complete
// response arrived (connection refused or reset, timeout, truncated body, TLS failure), with
// ErrorKind::kTransient and retryable set. Implementations are thread-safe.
class HttpTransport {
 public:
  HttpTransport() = default;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;
  HttpTransport(HttpTransport&&) = delete;
  HttpTransport& operator=(HttpTransport&&) = delete;
  virtual ~HttpTransport() = default;

  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

}  // namespace cordon::transport
