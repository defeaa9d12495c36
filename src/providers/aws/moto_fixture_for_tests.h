// For tests only: a GoogleTest fixture that runs one moto_server per test suite on a free
// loopback port (stopped by its pid when the suite ends), resets it before every test, and runs
// boto3 snippets against it to seed state and read it back independently of cordon's clients.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "providers/aws/aws_api_client.h"
#include "transport/child_process_for_tests.h"
#include "transport/curl_transport.h"

namespace cordon::aws {

class MotoFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = testing::ChildProcess::Start({"moto_server", "-H", "127.0.0.1", "-p", "0"},
                                                "Running on http://127.0.0.1:");
    ASSERT_TRUE(started) << started.error().message;
    shared_moto = started->release();
    const std::string& line = shared_moto->ReadyLine();
    shared_endpoint = line.substr(line.find("http://"));
    while (!shared_endpoint.empty() &&
           (shared_endpoint.back() == '\r' || shared_endpoint.back() == ' ')) {
      shared_endpoint.pop_back();
    }
    shared_http = transport::MakeCurlTransport().release();
  }

  static void TearDownTestSuite() {
    delete shared_http;
    shared_http = nullptr;
    delete shared_moto;
    shared_moto = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(shared_moto, nullptr);
    ASSERT_EQ(Admin("/moto-api/reset", ""), 200) << "moto did not reset";
    api_ = Client();
  }

  void TearDown() override { Admin("/moto-api/reset-auth", "inf"); }

  // A client for us-east-1 with moto's test keys (or `credentials`) and two attempts per call
  // (moto answers some unimplemented calls with 500, which should not wait out a long backoff).
  static std::unique_ptr<AwsApiClient> Client(Credentials credentials = {"AKIAIOSFODNN7EXAMPLE",
                                                                         "moto-test-secret", "",
                                                                         "test"}) {
    transport::RetryPolicy retry;
    retry.max_attempts = 2;
    return std::make_unique<AwsApiClient>(*shared_http, std::move(credentials), "us-east-1",
                                          EndpointResolver({{"AWS_ENDPOINT_URL", shared_endpoint}}),
                                          retry);
  }

  // Turns on moto's SigV4 and IAM checks for the rest of the test, after creating (unchecked)
  // a user allowed everything; returns that user's keys. From then on a call is answered only
  // when cordon signed it the way the service expects.
  static Result<Credentials> CheckSignatures() {
    if (Admin("/moto-api/reset-auth", "3") != 200) {
      return Fail(ErrorKind::kIo, "moto did not turn on signature checks");
    }
    auto setup = Client();
    auto user = setup->Query("iam", "CreateUser", {{"UserName", "responder"}});
    auto policy = setup->Query(
        "iam", "PutUserPolicy",
        {{"UserName", "responder"},
         {"PolicyName", "all"},
         {"PolicyDocument",
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"}});
    auto key = setup->Query("iam", "CreateAccessKey", {{"UserName", "responder"}});
    for (const auto* step : {&user, &policy, &key}) {
      if (!*step) {
        return Fail(step->error());
      }
    }
    const pugi::xml_node access_key = key->Root().child("CreateAccessKeyResult").child("AccessKey");
    return Credentials{access_key.child_value("AccessKeyId"),
                       access_key.child_value("SecretAccessKey"), "", "test"};
  }

  // Runs `code` with python3 and boto3 against the server. The code sees `client(name)` (a
  // boto3 client for the server, us-east-1) and `emit(value)`, which must be called once with
  // the JSON-serialisable result. Fails with the program's output when it ends without emitting.
  static Result<nlohmann::json> Boto(const std::string& code) {
    static constexpr char kMarker[] = "CORDON-BOTO-RESULT ";
    const std::string program = std::string(R"(
import boto3, json, sys
def client(name):
    return boto3.client(name, endpoint_url=sys.argv[1], region_name="us-east-1",
                        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                        aws_secret_access_key="moto-test-secret")
def emit(value):
    print(")") + kMarker + R"(" + json.dumps(value, default=str), flush=True)
)" + code;
    auto run = testing::ChildProcess::Start({"python3", "-c", program, shared_endpoint}, kMarker);
    if (!run) {
      return Fail(run.error());
    }
    const std::string& line = (*run)->ReadyLine();
    auto parsed = nlohmann::json::parse(line.substr(line.find(kMarker) + sizeof(kMarker) - 1),
                                        nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      return Fail(ErrorKind::kCorrupt, "the boto3 snippet emitted no JSON: " + line);
    }
    return parsed;
  }

  static std::string Endpoint() { return shared_endpoint; }

  // POSTs to moto's own control API; the HTTP status, 0 when unreachable.
  static int Admin(const std::string& path, const std::string& body) {
    transport::HttpRequest request;
    request.method = "POST";
    request.url = shared_endpoint + path;
    request.headers = {{"Content-Type", "text/plain"}};
    request.body = body;
    auto response = shared_http->Send(request);
    return response ? response->status : 0;
  }

  std::unique_ptr<AwsApiClient> api_;

 private:
  static inline testing::ChildProcess* shared_moto = nullptr;
  static inline transport::HttpTransport* shared_http = nullptr;
  static inline std::string shared_endpoint;
};

}  // namespace cordon::aws
