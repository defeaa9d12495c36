// The production HttpTransport, on libcurl.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "transport/http.h"

namespace cordon::transport {

struct CurlTransportOptions {
  // Longest time to set up a connection (DNS, TCP and TLS). A request's own timeout bounds the
  // whole exchange, connecting included, and caps this one too.
  std::chrono::milliseconds connect_timeout{10000};

  // PEM file of trusted certificate authorities; empty means the system's trust store. Peer and
  // host-name verification are always on, whatever this says.
  std::string ca_file;

  // A response body larger than this is refused (kProvider), so a misbehaving endpoint cannot
  // exhaust memory.
  size_t max_response_bytes = size_t{256} << 20;

  // Sent as User-Agent on every request.
  std::string user_agent = "cordon/0.1";

  // Idle handles kept for reuse; each holds its own open connections.
  size_t max_idle_handles = 16;
};

// Returns a thread-safe HttpTransport on libcurl. Concurrent Sends each use their own easy
// handle from a pool, so connections (and their TLS sessions) are reused across calls; the DNS
// cache and TLS session cache are shared between handles under locks. Only http and https are
// spoken, redirects are never followed, and proxies from the environment are honoured except for
// loopback hosts. Transfer failures (refused, reset, timeout, TLS, body shorter than its
// Content-Length) fail with kTransient and retryable set; the message names the host and curl's
// reason, never the URL's query string. A malformed URL fails with kInvalidInput.
// curl_global_init runs once per process, on the first call.
std::unique_ptr<HttpTransport> MakeCurlTransport(CurlTransportOptions options = {});

}  // namespace cordon::transport
