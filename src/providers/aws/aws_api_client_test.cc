#include "providers/aws/aws_api_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/log.h"
#include "providers/aws/fake_http_transport.h"
#include "providers/aws/sigv4.h"

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

using FakeTransport = FakeHttpTransport;

std::string QueryError(const std::string& code, const std::string& request_id) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code +
         "</Code><Message>no</Message></Error><RequestId>" + request_id +
         "</RequestId></ErrorResponse>";
}

constexpr char kListUsersOk[] =
    "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListUsersResult>"
    "<Users/><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata>"
    "<RequestId>iam-req-1</RequestId></ResponseMetadata></ListUsersResponse>";

std::string Header(const transport::HttpRequest& request, std::string_view name) {
  transport::HttpResponse as_response;
  as_response.headers = request.headers;
  return as_response.Header(name);
}

std::chrono::system_clock::time_point Jan2() {
  using namespace std::chrono;
  return sys_days{year{2026} / January / 2} + hours{3} + minutes{4} + seconds{5};
}

// A client with a fixed clock whose sleeper only records (and moves the clock on), so retries
// take no real time.
class AwsApiClientTest : public ::testing::Test {
 protected:
  AwsApiClient Client(FakeTransport& http, Environment env = {}, int max_attempts = 5,
                      std::string region = "eu-west-1") {
    transport::RetryPolicy retry;
    retry.max_attempts = max_attempts;
    retry.random = [] { return 0.5; };
    retry.sleep = [this](milliseconds delay) {
      sleeps_.push_back(delay);
      clock_.Set(clock_.Now() + delay + std::chrono::seconds(1));
    };
    return AwsApiClient(http, credentials_, std::move(region), EndpointResolver(std::move(env)),
                        std::move(retry), clock_);
  }

  Credentials credentials_{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                           "session-token-value", "test"};
  FixedClock clock_{Jan2()};
  std::vector<milliseconds> sleeps_;
};

TEST_F(AwsApiClientTest, PostsASignedFormBodyToTheResolvedEndpoint) {
  FakeTransport http({Reply(200,
                            "<DescribeInstancesResponse><requestId>ec2-req-1</requestId>"
                            "<reservationSet/></DescribeInstancesResponse>")});
  AwsApiClient client = Client(http, {{"AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:9/base"}});

  auto response = client.Query("ec2", "DescribeInstances",
                               {{"InstanceId.1", "i-1"}, {"Filter.1.Value.1", "a b/c~*+é"}});

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(std::string(response->Root().name()), "DescribeInstancesResponse");
  EXPECT_EQ(response->request_id, "ec2-req-1");
  const auto sent = http.Sent();
  ASSERT_EQ(sent.size(), 1u);
  const transport::HttpRequest& request = sent[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://127.0.0.1:9/base/");
  EXPECT_EQ(request.body,
            "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1"
            "&Filter.1.Value.1=a+b%2Fc~%2A%2B%C3%A9");
  EXPECT_EQ(Header(request, "Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(Header(request, "X-Amz-Date"), "20260102T030405Z");
  EXPECT_EQ(Header(request, "X-Amz-Security-Token"), "session-token-value");
  EXPECT_THAT(Header(request, "Authorization"),
              HasSubstr("Credential=AKIDEXAMPLE/20260102/eu-west-1/ec2/aws4_request"));
  EXPECT_EQ(client.RequestsSent(), 1u);
  EXPECT_EQ(client.Region(), "eu-west-1");
}

TEST_F(AwsApiClientTest, SignatureMatchesAnIndependentSigningOfTheSameRequest) {
  FakeTransport http({Reply(200, kListUsersOk)});
  AwsApiClient client = Client(http);

  ASSERT_TRUE(client.Query("iam", "ListUsers", {{"MaxItems", "10"}}));

  const transport::HttpRequest sent = http.Sent().at(0);
  transport::HttpRequest expected;
  expected.method = "POST";
  expected.url = "https://iam.amazonaws.com/";
  expected.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  expected.body = "Action=ListUsers&Version=2010-05-08&MaxItems=10";
  SignRequest(expected, credentials_, {"us-east-1", "iam"}, Jan2());
  EXPECT_EQ(sent.url, expected.url);
  EXPECT_EQ(sent.body, expected.body);
  EXPECT_EQ(Header(sent, "Authorization"), Header(expected, "Authorization"));
  EXPECT_THAT(Header(sent, "Authorization"), HasSubstr("/20260102/us-east-1/iam/aws4_request"));
}

TEST_F(AwsApiClientTest, ServiceUnavailableIsRetriedAndResignedThenSucceeds) {
  FakeTransport http(
      {Reply(503, QueryError("ServiceUnavailable", "r-503")), Reply(200, kListUsersOk)});
  AwsApiClient client = Client(http);

  auto response = client.Query("iam", "ListUsers", {});

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->request_id, "iam-req-1");
  const auto sent = http.Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(Header(sent[0], "X-Amz-Date"), Header(sent[1], "X-Amz-Date"));
  EXPECT_NE(Header(sent[0], "Authorization"), Header(sent[1], "Authorization"));
  EXPECT_EQ(sleeps_, std::vector<milliseconds>{milliseconds(50)});
  EXPECT_EQ(client.RequestsSent(), 2u);
}

TEST_F(AwsApiClientTest, ThrottlingIsRetriedWithGrowingBackoff) {
  FakeTransport http({Reply(400, QueryError("Throttling", "t-1")),
                      Reply(400, QueryError("Throttling", "t-2")), Reply(200, kListUsersOk)});
  AwsApiClient client = Client(http);

  auto response = client.Query("iam", "ListUsers", {});

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(http.Sent().size(), 3u);
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(50), milliseconds(100)}));
}

TEST_F(AwsApiClientTest, RetryAfterFromTheServerIsHonoured) {
  FakeTransport http({Reply(503, "", {{"Retry-After", "2"}}), Reply(200, kListUsersOk)});
  AwsApiClient client = Client(http);

  ASSERT_TRUE(client.Query("iam", "ListUsers", {}));

  EXPECT_EQ(sleeps_, std::vector<milliseconds>{milliseconds(2000)});
}

TEST_F(AwsApiClientTest, AccessDeniedIsNotRetried) {
  FakeTransport http(
      {Reply(403, QueryError("AccessDenied", "denied-1")), Reply(200, kListUsersOk)});
  AwsApiClient client = Client(http);

  auto response = client.Query("iam", "GetUser", {{"UserName", "alice"}});

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kPermission);
  EXPECT_EQ(response.error().provider_code, "AccessDenied");
  EXPECT_EQ(response.error().request_id, "denied-1");
  EXPECT_EQ(response.error().http_status, 403);
  EXPECT_THAT(response.error().message, HasSubstr("iam GetUser"));
  EXPECT_EQ(http.Sent().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(AwsApiClientTest, TruncatedXmlOnSuccessIsRetriedThenTransient) {
  const std::string truncated = std::string(kListUsersOk).substr(0, 80);
  FakeTransport http({Reply(200, truncated, {{"x-amzn-RequestId", "trunc-1"}})});
  AwsApiClient client = Client(http, {}, 3);

  auto response = client.Query("iam", "ListUsers", {});

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_TRUE(response.error().retryable);
  EXPECT_EQ(response.error().request_id, "trunc-1");
  EXPECT_EQ(http.Sent().size(), 3u);
  EXPECT_EQ(client.RequestsSent(), 3u);
}

TEST_F(AwsApiClientTest, GivesUpWithTheLastError) {
  FakeTransport http({Reply(500, QueryError("InternalError", "first")),
                      Reply(503, QueryError("ServiceUnavailable", "last"))});
  AwsApiClient client = Client(http, {}, 2);

  auto response = client.Query("sts", "GetCallerIdentity", {});

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().provider_code, "ServiceUnavailable");
  EXPECT_EQ(response.error().request_id, "last");
  EXPECT_EQ(http.Sent().size(), 2u);
  EXPECT_EQ(http.Sent()[0].url, "https://sts.eu-west-1.amazonaws.com/");
}

TEST_F(AwsApiClientTest, TransportFailuresAreRetried) {
  Error reset{ErrorKind::kTransient, "HTTP POST to sts failed: reset", {}, {}, 0, true};
  FakeTransport http(
      {Fail(reset), Reply(200, "<GetCallerIdentityResponse/>", {{"x-amzn-RequestId", "hdr-req"}})});
  AwsApiClient client = Client(http);

  auto response = client.Query("sts", "GetCallerIdentity", {});

  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->request_id, "hdr-req");
  EXPECT_EQ(http.Sent().size(), 2u);
}

TEST_F(AwsApiClientTest, ConfigurationErrorsFailBeforeSending) {
  FakeTransport http({Reply(200, kListUsersOk)});
  AwsApiClient bad_override = Client(http, {{"AWS_ENDPOINT_URL", "http://192.0.2.1:5000"}});
  AwsApiClient plain = Client(http);

  auto invalid = bad_override.Query("iam", "ListUsers", {});
  auto unknown = plain.Query("cloudtrail", "LookupEvents", {});

  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().kind, ErrorKind::kInvalidInput);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInternal);
  EXPECT_TRUE(http.Sent().empty());
}

TEST_F(AwsApiClientTest, RetryLogNamesTheCallButNoSecrets) {
  FakeTransport http({Reply(400, QueryError("Throttling", "log-req")), Reply(200, kListUsersOk)});
  AwsApiClient client = Client(http);
  const log::Level before = log::CurrentLevel();
  log::SetLevel(log::Level::kDebug);

  ::testing::internal::CaptureStderr();
  ASSERT_TRUE(client.Query("iam", "ListUsers", {{"PathPrefix", "/private-param/"}}));
  const std::string logged = ::testing::internal::GetCapturedStderr();
  log::SetLevel(before);

  EXPECT_THAT(logged, HasSubstr("\"http.retry\""));
  EXPECT_THAT(logged, HasSubstr("\"http.request\""));
  EXPECT_THAT(logged, HasSubstr("log-req"));
  EXPECT_THAT(logged, HasSubstr("Throttling"));
  EXPECT_THAT(logged, Not(HasSubstr(credentials_.secret_access_key)));
  EXPECT_THAT(logged, Not(HasSubstr(credentials_.session_token)));
  EXPECT_THAT(logged, Not(HasSubstr("Signature=")));
  EXPECT_THAT(logged, Not(HasSubstr("private-param")));
}

TEST_F(AwsApiClientTest, CountsRequestsFromConcurrentCallers) {
  FakeTransport http({Reply(200, kListUsersOk)});
  AwsApiClient client = Client(http);

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&client] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_TRUE(client.Query("iam", "ListUsers", {}));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(client.RequestsSent(), 100u);
  EXPECT_EQ(http.Sent().size(), 100u);
}

TEST(FormEncodeTest, KeepsUnreservedAndEncodesEverythingElse) {
  EXPECT_EQ(FormEncode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(FormEncode(" !*'()&=+/:?"), "%20%21%2A%27%28%29%26%3D%2B%2F%3A%3F");
  EXPECT_EQ(FormEncode("\xC3\xA9\n"), "%C3%A9%0A");
}

}  // namespace
}  // namespace cordon::aws
