// The requests AwsApiClient sends, signed again by botocore (the AWS SDK for Python) with the
// same keys and time: the Authorization headers must be identical. This checks, against AWS's own
// client, what moto cannot: moto's Lambda signature check rejects boto3's own requests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "providers/aws/aws_api_client.h"
#include "providers/aws/fake_http_transport.h"
#include "transport/child_process_for_tests.h"

namespace cordon::aws {
namespace {

constexpr char kMarker[] = "BOTOCORE-AUTH ";

// Signs the request described by argv[1] with botocore at 2026-01-02T03:04:05Z.
constexpr char kBotocoreSigner[] = R"(
import datetime, json, sys
from unittest import mock
import botocore.auth, botocore.awsrequest, botocore.credentials
spec = json.loads(sys.argv[1])
credentials = botocore.credentials.Credentials(spec['key'], spec['secret'], spec['token'] or None)
signer_class = botocore.auth.S3SigV4Auth if spec['service'] == 's3' else botocore.auth.SigV4Auth
signer = signer_class(credentials, spec['service'], spec['region'])
own = ('authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'host')
headers = [(name, value) for name, value in spec['headers'] if name.lower() not in own]
request = botocore.awsrequest.AWSRequest(method=spec['method'], url=spec['url'],
                                         headers=dict(headers), data=spec['body'].encode())
with mock.patch('botocore.auth.get_current_datetime',
                return_value=datetime.datetime(2026, 1, 2, 3, 4, 5)):
    signer.add_auth(request)
print('BOTOCORE-AUTH ' + request.headers['Authorization'], flush=True)
)";

class AwsApiClientBotocoreTest : public ::testing::Test {
 protected:
  AwsApiClient Client(FakeHttpTransport& http) {
    transport::RetryPolicy retry;
    retry.max_attempts = 1;
    return AwsApiClient(http, credentials_, "eu-west-1",
                        EndpointResolver(Environment{{"AWS_ENDPOINT_URL", "http://127.0.0.1:9"}}),
                        std::move(retry), clock_);
  }

  // botocore's Authorization header for `sent`, signed for `service`.
  std::string BotocoreAuthorization(const transport::HttpRequest& sent,
                                    const std::string& service) {
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [name, value] : sent.headers) {
      headers.push_back({name, value});
    }
    const nlohmann::json spec = {{"key", credentials_.access_key_id},
                                 {"secret", credentials_.secret_access_key},
                                 {"token", credentials_.session_token},
                                 {"service", service},
                                 {"region", "eu-west-1"},
                                 {"method", sent.method},
                                 {"url", sent.url},
                                 {"headers", headers},
                                 {"body", sent.body}};
    auto run =
        testing::ChildProcess::Start({"python3", "-c", kBotocoreSigner, spec.dump()}, kMarker);
    EXPECT_TRUE(run) << (run ? "" : run.error().message);
    if (!run) {
      return {};
    }
    const std::string& line = (*run)->ReadyLine();
    return line.substr(line.find(kMarker) + sizeof(kMarker) - 1);
  }

  Credentials credentials_{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                           "session-token-value", "test"};
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 1 / 2} + std::chrono::hours{3} +
                    std::chrono::minutes{4} + std::chrono::seconds{5}};
};

TEST_F(AwsApiClientBotocoreTest, JsonCallIsSignedAsBotocoreSignsIt) {
  FakeHttpTransport http({Reply(200, "{}")});
  AwsApiClient client = Client(http);

  ASSERT_TRUE(client.Json("ssm", "SendCommand",
                          {{"InstanceIds", {"i-1"}}, {"Comment", "cordon c-1 \xC3\xA9"}}));

  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(RequestHeader(sent, "Authorization"), BotocoreAuthorization(sent, "ssm"));
}

TEST_F(AwsApiClientBotocoreTest, S3ObjectPutIsSignedAsBotocoreSignsIt) {
  FakeHttpTransport http({Reply(200, "")});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.method = "PUT";
  request.operation = "PutObject";
  request.path = "/evidence/" + PathEncode("cases/c 1/\xC3\xA9+x.jsonl", /*keep_slash=*/true);
  request.headers = {{"Content-Type", "application/x-ndjson"},
                     {"x-amz-object-lock-mode", "GOVERNANCE"},
                     {"x-amz-checksum-sha256", "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="}};
  request.body = "hello";

  ASSERT_TRUE(client.Rest("s3", request));

  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(RequestHeader(sent, "Authorization"), BotocoreAuthorization(sent, "s3"));
}

TEST_F(AwsApiClientBotocoreTest, S3SubResourceGetIsSignedAsBotocoreSignsIt) {
  FakeHttpTransport http({Reply(200, "")});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.operation = "GetPublicAccessBlock";
  request.path = "/case-bucket";
  request.query = {{"publicAccessBlock", ""}};

  ASSERT_TRUE(client.Rest("s3", request));

  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(RequestHeader(sent, "Authorization"), BotocoreAuthorization(sent, "s3"));
}

TEST_F(AwsApiClientBotocoreTest, LambdaCallByArnIsSignedAsBotocoreSignsIt) {
  FakeHttpTransport http({Reply(200, "{}")});
  AwsApiClient client = Client(http);
  const std::string arn = "arn:aws:lambda:eu-west-1:123456789012:function:exfil-fn";
  RestRequest request;
  request.method = "PUT";
  request.operation = "PutFunctionConcurrency";
  request.path = "/2017-10-31/functions/" + PathEncode(arn, /*keep_slash=*/false) + "/concurrency";
  request.query = {{"Marker", "a b/c=="}};
  request.headers = {{"Content-Type", "application/json"}};
  request.body = R"({"ReservedConcurrentExecutions":0})";

  ASSERT_TRUE(client.Rest("lambda", request));

  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(RequestHeader(sent, "Authorization"), BotocoreAuthorization(sent, "lambda"));
}

}  // namespace
}  // namespace cordon::aws
