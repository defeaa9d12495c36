#include "transport/curl_transport.h"

#include <curl/curl.h>

#include <array>
#include <cctype>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

namespace cordon::transport {
namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct ShareDeleter {
  void operator()(CURLSH* share) const { curl_share_cleanup(share); }
};
using ShareHandle = std::unique_ptr<CURLSH, ShareDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

CURLcode GlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code;
}

// The host (and port) of an absolute URL, without user info, path or query.
std::string HostOf(std::string_view url) {
  const size_t scheme_end = url.find("://");
  std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    rest.remove_prefix(at + 1);
  }
  return std::string(rest);
}

bool IsLoopbackHost(std::string_view host_port) {
  std::string_view host = host_port;
  if (!host.empty() && host.front() == '[') {
    return host.substr(0, host.find(']') + 1) == "[::1]";
  }
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host.rfind("127.", 0) == 0;
}

// Replaces every occurrence of the URL's query string in `text`, in case curl quoted the URL.
std::string WithoutQuery(std::string text, std::string_view url) {
  const size_t question = url.find('?');
  if (question == std::string_view::npos || question + 1 >= url.size()) {
    return text;
  }
  const std::string query(url.substr(question + 1));
  for (size_t at = text.find(query); at != std::string::npos; at = text.find(query, at)) {
    text.replace(at, query.size(), "[query]");
  }
  return text;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

// What one transfer collects; the callbacks write here.
struct Transfer {
  HttpResponse response;
  size_t max_body = 0;
  bool body_too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->response.body.size() + bytes > transfer->max_body) {
    transfer->body_too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 100 Continue, say): only the final response's headers count.
    transfer->response.headers.clear();
    return bytes;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return bytes;
  }
  transfer->response.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                          std::string(Trim(line.substr(colon + 1))));
  return bytes;
}

class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options)
      : options_(std::move(options)), init_code_(GlobalInit()) {
    if (init_code_ != CURLE_OK) {
      return;
    }
    share_.reset(curl_share_init());
    if (share_) {
      curl_share_setopt(share_.get(), CURLSHOPT_LOCKFUNC, &CurlTransport::Lock);
      curl_share_setopt(share_.get(), CURLSHOPT_UNLOCKFUNC, &CurlTransport::Unlock);
      curl_share_setopt(share_.get(), CURLSHOPT_USERDATA, this);
      // Connections are not shared: libcurl does not support one connection cache used from
      // several threads at once, so each pooled handle keeps its own.
      curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
      curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
  }

  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;
  CurlTransport(CurlTransport&&) = delete;
  CurlTransport& operator=(CurlTransport&&) = delete;

  ~CurlTransport() override {
    // Every handle must be gone before the share they point at.
    std::lock_guard lock(pool_mutex_);
    idle_.clear();
  }

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  static void Lock(CURL* /*handle*/, curl_lock_data data, curl_lock_access /*access*/, void* user) {
    static_cast<CurlTransport*>(user)->LockFor(data).lock();
  }
  static void Unlock(CURL* /*handle*/, curl_lock_data data, void* user) {
    static_cast<CurlTransport*>(user)->LockFor(data).unlock();
  }
  std::mutex& LockFor(curl_lock_data data) {
    const auto index = static_cast<size_t>(data);
    return share_locks_[index < share_locks_.size() ? index : 0];
  }

  EasyHandle Acquire();
  void Release(EasyHandle handle);
  Status Configure(CURL* handle, const HttpRequest& request, curl_slist* headers,
                   Transfer& transfer, char* error_buffer) const;

  const CurlTransportOptions options_;
  const CURLcode init_code_;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;
  ShareHandle share_;
  std::mutex pool_mutex_;
  std::vector<EasyHandle> idle_;  // guarded by pool_mutex_
};

EasyHandle CurlTransport::Acquire() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      EasyHandle handle = std::move(idle_.back());
      idle_.pop_back();
      // Clears the options but keeps the handle's open connections and caches.
      curl_easy_reset(handle.get());
      return handle;
    }
  }
  return EasyHandle(curl_easy_init());
}

void CurlTransport::Release(EasyHandle handle) {
  std::lock_guard lock(pool_mutex_);
  if (idle_.size() < options_.max_idle_handles) {
    idle_.push_back(std::move(handle));
  }
}

Status CurlTransport::Configure(CURL* handle, const HttpRequest& request, curl_slist* headers,
                                Transfer& transfer, char* error_buffer) const {
  const long total_ms = static_cast<long>(request.timeout.count());
  long connect_ms = static_cast<long>(options_.connect_timeout.count());
  if (total_ms > 0 && total_ms < connect_ms) {
    connect_ms = total_ms;
  }

  bool ok = true;
  auto set = [&ok](CURLcode code) { ok = ok && code == CURLE_OK; };
  set(curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer));
  set(curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str()));
  set(curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L));
  set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L));
  if (!options_.ca_file.empty()) {
    set(curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str()));
  }
  if (share_) {
    set(curl_easy_setopt(handle, CURLOPT_SHARE, share_.get()));
  }
  if (IsLoopbackHost(HostOf(request.url))) {
    set(curl_easy_setopt(handle, CURLOPT_PROXY, ""));
  }
  set(curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, total_ms));
  set(curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, connect_ms));
  set(curl_easy_setopt(handle, CURLOPT_USERAGENT, options_.user_agent.c_str()));
  set(curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers));
  set(curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &OnBody));
  set(curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer));
  set(curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &OnHeader));
  set(curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer));

  if (request.method == "GET") {
    set(curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L));
  } else if (request.method == "HEAD") {
    set(curl_easy_setopt(handle, CURLOPT_NOBODY, 1L));
  } else {
    set(curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    if (!request.body.empty() || request.method == "POST") {
      set(curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(request.body.size())));
      set(curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data()));
    }
  }
  if (!ok) {
    return Fail(ErrorKind::kInternal, "cannot configure an HTTP request to " + HostOf(request.url));
  }
  return {};
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  const std::string host = HostOf(request.url);
  if (init_code_ != CURLE_OK) {
    return Fail(ErrorKind::kInternal,
                std::string("libcurl failed to initialise: ") + curl_easy_strerror(init_code_));
  }

  // curl would otherwise add "Expect: 100-continue" to larger bodies and wait for the server.
  Slist headers(curl_slist_append(nullptr, "Expect:"));
  for (const auto& [name, value] : request.headers) {
    std::string line = name;
    line += value.empty() ? ";" : ": ";
    line += value;
    curl_slist* extended = curl_slist_append(headers.get(), line.c_str());
    if (extended == nullptr) {
      return Fail(ErrorKind::kInternal, "out of memory building HTTP headers");
    }
    (void)headers.release();
    headers.reset(extended);
  }

  EasyHandle handle = Acquire();
  if (!handle || !headers) {
    return Fail(ErrorKind::kInternal, "cannot create a libcurl handle");
  }
  Transfer transfer;
  transfer.max_body = options_.max_response_bytes;
  char error_buffer[CURL_ERROR_SIZE] = {};
  if (auto configured = Configure(handle.get(), request, headers.get(), transfer, error_buffer);
      !configured) {
    return Fail(configured.error());
  }

  const CURLcode code = curl_easy_perform(handle.get());
  // The handle holds pointers into this frame; drop them before it goes back to the pool.
  curl_easy_setopt(handle.get(), CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(handle.get(), CURLOPT_HTTPHEADER, nullptr);
  long status = 0;
  curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
  Release(std::move(handle));

  if (code == CURLE_OK) {
    transfer.response.status = static_cast<int>(status);
    return std::move(transfer.response);
  }
  std::string reason = curl_easy_strerror(code);
  if (error_buffer[0] != '\0') {
    reason += " (" + WithoutQuery(std::string(Trim(error_buffer)), request.url) + ")";
  }
  if (transfer.body_too_large) {
    return Fail(ErrorKind::kProvider, "HTTP " + request.method + " to " + host +
                                          ": response body larger than " +
                                          std::to_string(options_.max_response_bytes) + " bytes");
  }
  if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
    return Fail(ErrorKind::kInvalidInput,
                "HTTP " + request.method + " to " + host + " failed: " + reason);
  }
  Error error{ErrorKind::kTransient,
              "HTTP " + request.method + " to " + host + " failed: " + reason,
              {},
              {},
              0,
              true};
  return Fail(std::move(error));
}

}  // namespace

std::unique_ptr<HttpTransport> MakeCurlTransport(CurlTransportOptions options) {
  return std::make_unique<CurlTransport>(std::move(options));
}

}  // namespace cordon::transport
