// For tests only: a moto_server on a free loopback port, stopped by its pid when the owner goes
// away, with helpers to reach it through the real wire layer. Header-only so no library ships it.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "core/result.h"
#include "providers/aws/aws_api_client.h"
#include "transport/child_process_for_tests.h"
#include "transport/curl_transport.h"

namespace cordon::aws {

// Not thread-safe to start or stop; the clients it makes are thread-safe.
class MotoServer {
 public:
  // Starts `moto_server -H 127.0.0.1 -p 0` and reads the port it chose. Fails with kIo when it
  // cannot start.
  static Result<std::unique_ptr<MotoServer>> Start() {
    auto started = cordon::testing::ChildProcess::Start(
        {"moto_server", "-H", "127.0.0.1", "-p", "0"}, "Running on http://127.0.0.1:");
    if (!started) {
      return tl::unexpected(started.error());
    }
    std::string endpoint = (*started)->ReadyLine();
    endpoint = endpoint.substr(endpoint.find("http://"));
    while (!endpoint.empty() && (endpoint.back() == '\r' || endpoint.back() == ' ')) {
      endpoint.pop_back();
    }
    return std::unique_ptr<MotoServer>(new MotoServer(std::move(*started), std::move(endpoint)));
  }

  const std::string& Endpoint() const { return endpoint_; }

  // POSTs to moto's own control API (e.g. "/moto-api/reset"); the HTTP status, 0 when
  // unreachable.
  int Admin(const std::string& path, const std::string& body) const {
    transport::HttpRequest request;
    request.method = "POST";
    request.url = endpoint_ + path;
    request.headers = {{"Content-Type", "text/plain"}};
    request.body = body;
    auto response = http_->Send(request);
    return response ? response->status : 0;
  }

  // A client of region us-east-1 signing with `credentials`, two attempts per call.
  std::unique_ptr<AwsApiClient> Client(Credentials credentials) const {
    transport::RetryPolicy retry;
    retry.max_attempts = 2;
    return std::make_unique<AwsApiClient>(*http_, std::move(credentials), "us-east-1",
                                          EndpointResolver({{"AWS_ENDPOINT_URL", endpoint_}}),
                                          retry);
  }

  std::unique_ptr<AwsApiClient> Client() const {
    return Client({"AKIAIOSFODNN7EXAMPLE", "moto-test-secret", "", "test"});
  }

 private:
  MotoServer(std::unique_ptr<cordon::testing::ChildProcess> process, std::string endpoint)
      : process_(std::move(process)),
        http_(transport::MakeCurlTransport()),
        endpoint_(std::move(endpoint)) {}

  std::unique_ptr<cordon::testing::ChildProcess> process_;
  std::unique_ptr<transport::HttpTransport> http_;
  std::string endpoint_;
};

}  // namespace cordon::aws
