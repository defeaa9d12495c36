#include "tests/support/moto_server.h"

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <thread>
#include <utility>

namespace cordon::testing {
namespace {

constexpr std::chrono::seconds kStartTimeout{60};
constexpr long kCallTimeoutMs = 30000;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

size_t AppendBody(char* data, size_t size, size_t count, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * count);
  return size * count;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The port in the server's "Running on http://127.0.0.1:PORT" line, or 0 when not there yet.
int PortFromLog(const std::string& log) {
  static constexpr std::string_view kRunning = "Running on http://127.0.0.1:";
  size_t at = log.find(kRunning);
  if (at == std::string::npos) {
    return 0;
  }
  int port = 0;
  for (size_t i = at + kRunning.size(); i < log.size() && std::isdigit(log[i]) != 0; ++i) {
    port = port * 10 + (log[i] - '0');
  }
  return port > 0 && port < 65536 ? port : 0;
}

}  // namespace

Result<std::unique_ptr<MotoServer>> MotoServer::Start() {
  auto python = Python();
  if (!python) {
    return Fail(python.error());
  }
  auto dir = TempDir::Create("cordon-moto");
  if (!dir) {
    return Fail(dir.error());
  }
  std::filesystem::create_directories(dir->File("home"));
  const std::string log = dir->File("moto.log");
  Environment env = {{"PATH", ParentPath()}, {"HOME", dir->File("home")}};
  auto process = BackgroundProcess::Start(
      {*python, std::string(CORDON_SOURCE_DIR) + "/scripts/moto_counting_server.py", "--host",
       "127.0.0.1", "--port", "0"},
      env, log);
  if (!process) {
    return Fail(process.error());
  }
  std::unique_ptr<MotoServer> server(new MotoServer(std::move(*dir), std::move(*process)));

  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (server->port_ == 0) {
    server->port_ = PortFromLog(ReadWhole(log));
    if (server->port_ != 0) {
      break;
    }
    if (!server->process_.Running() || std::chrono::steady_clock::now() > deadline) {
      return Fail(ErrorKind::kTransient, "moto server did not start: " + server->LogTail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (auto ready = server->RequestCount(); !ready) {
    return Fail(ErrorKind::kTransient, "moto server does not answer: " + ready.error().message +
                                           "; log: " + server->LogTail());
  }
  return server;
}

MotoServer::~MotoServer() { process_.Stop(); }

std::string MotoServer::Endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

Status MotoServer::Reset() {
  auto answer = Call("POST", "/moto-api/reset");
  if (!answer) {
    return Fail(answer.error());
  }
  return {};
}

Status MotoServer::ResetAuth(size_t unchecked_calls) {
  auto answer = Call("POST", "/moto-api/reset-auth", std::to_string(unchecked_calls), "text/plain");
  if (!answer) {
    return Fail(answer.error());
  }
  return {};
}

Status MotoServer::DisableAuth() {
  auto answer = Call("POST", "/moto-api/reset-auth", "inf", "text/plain");
  if (!answer) {
    return Fail(answer.error());
  }
  return {};
}

Status MotoServer::MarkRequests() {
  auto answer = Call("POST", "/_cordon/mark");
  if (!answer) {
    return Fail(answer.error());
  }
  return {};
}

Result<size_t> MotoServer::RequestCount() {
  auto answer = Call("GET", "/_cordon/requests");
  if (!answer) {
    return Fail(answer.error());
  }
  auto parsed = nlohmann::json::parse(*answer, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed["count"].is_number_unsigned()) {
    return Fail(ErrorKind::kCorrupt, "unexpected request count answer: " + *answer);
  }
  return parsed["count"].get<size_t>();
}

Environment MotoServer::AwsEnv() const {
  const std::string home = dir_.File("home");
  return {
      {"PATH", ParentPath()},
      {"HOME", home},
      {"XDG_CONFIG_HOME", home + "/.config"},
      {"XDG_DATA_HOME", home + "/.local/share"},
      {"XDG_CACHE_HOME", home + "/.cache"},
      {"XDG_STATE_HOME", home + "/.local/state"},
      {"AWS_CONFIG_FILE", home + "/.aws/config"},
      {"AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"},
      {"AWS_ENDPOINT_URL", Endpoint()},
      {"AWS_ACCESS_KEY_ID", kTestAccessKeyId},
      {"AWS_SECRET_ACCESS_KEY", kTestSecretAccessKey},
      {"AWS_REGION", kTestRegion},
      {"AWS_DEFAULT_REGION", kTestRegion},
      {"AWS_EC2_METADATA_DISABLED", "true"},
  };
}

std::string MotoServer::LogTail() const {
  std::string log = ReadWhole(dir_.File("moto.log"));
  constexpr size_t kLimit = 4000;
  return log.size() <= kLimit ? log : "..." + log.substr(log.size() - kLimit);
}

Result<std::string> MotoServer::Call(const std::string& method, const std::string& path,
                                     const std::string& body, const std::string& content_type) {
  CurlPtr curl(curl_easy_init());
  if (!curl) {
    return Fail(ErrorKind::kInternal, "curl_easy_init failed");
  }
  const std::string url = Endpoint() + path;
  std::string answer;
  SlistPtr headers;
  if (!content_type.empty()) {
    headers.reset(curl_slist_append(nullptr, ("Content-Type: " + content_type).c_str()));
  }
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, kCallTimeoutMs);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  if (method == "POST") {
    curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }

  CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    return Fail(ErrorKind::kTransient, method + " " + url + ": " + curl_easy_strerror(code));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return Fail(ErrorKind::kTransient,
                method + " " + url + " answered " + std::to_string(status) + ": " + answer);
  }
  return answer;
}

}  // namespace cordon::testing
