// The JSON 1.1 and REST wire forms of AwsApiClient, over a scripted transport.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "providers/aws/aws_api_client.h"
#include "providers/aws/fake_http_transport.h"
#include "providers/aws/sigv4.h"

namespace cordon::aws {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;
using ::testing::Not;

std::chrono::system_clock::time_point Jan2() {
  using namespace std::chrono;
  return sys_days{year{2026} / January / 2} + hours{3} + minutes{4} + seconds{5};
}

class AwsApiClientProtocolsTest : public ::testing::Test {
 protected:
  AwsApiClient Client(FakeHttpTransport& http, Environment env = {}, int max_attempts = 3) {
    transport::RetryPolicy retry;
    retry.max_attempts = max_attempts;
    retry.random = [] { return 0.5; };
    retry.sleep = [this](milliseconds delay) {
      sleeps_.push_back(delay);
      clock_.Set(clock_.Now() + delay + std::chrono::seconds(1));
    };
    return {http,  credentials_, "eu-west-1", EndpointResolver(std::move(env)), std::move(retry),
            clock_};
  }

  // The request as it would be signed again now, so its canonical form can be inspected.
  SigningArtifacts Resign(transport::HttpRequest request, const std::string& service) {
    auto artifacts = SignRequest(request, credentials_, {"eu-west-1", service}, Jan2(), {});
    EXPECT_TRUE(artifacts);
    return artifacts ? *artifacts : SigningArtifacts{};
  }

  Credentials credentials_{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "test"};
  FixedClock clock_{Jan2()};
  std::vector<milliseconds> sleeps_;
};

TEST_F(AwsApiClientProtocolsTest, JsonCallPostsTheTargetAndContentTypeSignedForTheService) {
  FakeHttpTransport http(
      {Reply(200, R"({"Command":{"CommandId":"c-1"}})", {{"x-amzn-RequestId", "ssm-req-1"}})});
  AwsApiClient client = Client(http);

  auto response = client.Json("ssm", "SendCommand", {{"InstanceIds", {"i-1"}}});

  ASSERT_TRUE(response) << response.error().Describe();
  EXPECT_EQ(response->body["Command"]["CommandId"], "c-1");
  EXPECT_EQ(response->request_id, "ssm-req-1");
  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://ssm.eu-west-1.amazonaws.com/");
  EXPECT_EQ(sent.body, R"({"InstanceIds":["i-1"]})");
  EXPECT_EQ(RequestHeader(sent, "X-Amz-Target"), "AmazonSSM.SendCommand");
  EXPECT_EQ(RequestHeader(sent, "Content-Type"), "application/x-amz-json-1.1");
  const std::string authorization = RequestHeader(sent, "Authorization");
  EXPECT_THAT(authorization,
              HasSubstr("Credential=AKIDEXAMPLE/20260102/eu-west-1/ssm/aws4_request"));
  EXPECT_THAT(authorization, HasSubstr("x-amz-target"));
  EXPECT_EQ(RequestHeader(sent, "x-amz-content-sha256"), "");
  EXPECT_EQ(Resign(sent, "ssm").signature, authorization.substr(authorization.rfind('=') + 1));
}

TEST_F(AwsApiClientProtocolsTest, CloudTrailUsesItsVersionedTargetPrefix) {
  FakeHttpTransport http({Reply(200, R"({"Events":[]})")});
  AwsApiClient client = Client(http, {{"AWS_ENDPOINT_URL_CLOUDTRAIL", "http://127.0.0.1:9"}});

  ASSERT_TRUE(client.Json("cloudtrail", "LookupEvents", nlohmann::json::object()));

  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/");
  EXPECT_EQ(RequestHeader(sent, "X-Amz-Target"),
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
  EXPECT_EQ(sent.body, "{}");
  EXPECT_THAT(RequestHeader(sent, "Authorization"),
              HasSubstr("/eu-west-1/cloudtrail/aws4_request"));
}

TEST_F(AwsApiClientProtocolsTest, JsonTypeErrorIsMappedWithCodeMessageAndRequestId) {
  FakeHttpTransport http(
      {Reply(400, R"({"__type":"InvalidCommandId","Message":"Invalid command id."})",
             {{"x-amzn-RequestId", "bad-1"}})});
  AwsApiClient client = Client(http);

  auto response = client.Json("ssm", "GetCommandInvocation", {{"CommandId", "x"}});

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(response.error().provider_code, "InvalidCommandId");
  EXPECT_EQ(response.error().request_id, "bad-1");
  EXPECT_EQ(response.error().http_status, 400);
  EXPECT_THAT(response.error().message, HasSubstr("ssm GetCommandInvocation: Invalid command id."));
  EXPECT_EQ(http.Sent().size(), 1u);
}

TEST_F(AwsApiClientProtocolsTest, JsonThrottlingIsRetriedAndResigned) {
  FakeHttpTransport http(
      {Reply(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})"),
       Reply(200, R"({"Events":[]})")});
  AwsApiClient client = Client(http);

  auto response = client.Json("cloudtrail", "LookupEvents", nlohmann::json::object());

  ASSERT_TRUE(response) << response.error().Describe();
  const auto sent = http.Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(RequestHeader(sent[0], "X-Amz-Date"), RequestHeader(sent[1], "X-Amz-Date"));
  EXPECT_EQ(sleeps_.size(), 1u);
  EXPECT_EQ(client.RequestsSent(), 2u);
}

TEST_F(AwsApiClientProtocolsTest, TruncatedJsonOnSuccessIsRetriedThenTransient) {
  FakeHttpTransport http({Reply(200, R"({"Events":[{"EventId")", {{"x-amzn-RequestId", "t-1"}})});
  AwsApiClient client = Client(http, {}, 2);

  auto response = client.Json("cloudtrail", "LookupEvents", nlohmann::json::object());

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kTransient);
  EXPECT_EQ(response.error().request_id, "t-1");
  EXPECT_EQ(http.Sent().size(), 2u);
}

TEST_F(AwsApiClientProtocolsTest, EmptyJsonBodyIsAnEmptyObject) {
  FakeHttpTransport http({Reply(200, "")});
  AwsApiClient client = Client(http);

  auto response = client.Json("ssm", "CancelCommand", {{"CommandId", "c"}});

  ASSERT_TRUE(response) << response.error().Describe();
  EXPECT_EQ(response->body, nlohmann::json::object());
}

TEST_F(AwsApiClientProtocolsTest, JsonThatCannotBeWrittenIsRefusedBeforeSending) {
  FakeHttpTransport http({Reply(200, "{}")});
  AwsApiClient client = Client(http);

  auto not_utf8 = client.Json("ssm", "SendCommand", {{"Comment", std::string("\xFF\xFE")}});
  auto unknown = client.Json("iam", "ListUsers", nlohmann::json::object());

  ASSERT_FALSE(not_utf8);
  EXPECT_EQ(not_utf8.error().kind, ErrorKind::kInvalidInput);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInternal);
  EXPECT_TRUE(http.Sent().empty());
}

TEST_F(AwsApiClientProtocolsTest, S3RestCallIsPathStyleWithPayloadHashAndSingleEncoding) {
  FakeHttpTransport http({Reply(200, "", {{"x-amz-request-id", "s3-req-1"}})});
  AwsApiClient client = Client(http, {{"AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9"}});
  RestRequest request;
  request.method = "PUT";
  request.operation = "PutObject";
  request.path = "/evidence-bucket/case%201/events.jsonl";
  request.headers = {{"Content-Type", "application/x-ndjson"}};
  request.body = "{\"a\":1}\n";

  auto response = client.Rest("s3", request);

  ASSERT_TRUE(response) << response.error().Describe();
  EXPECT_EQ(response->request_id, "s3-req-1");
  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(sent.method, "PUT");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/evidence-bucket/case%201/events.jsonl");
  EXPECT_EQ(sent.body, request.body);
  EXPECT_EQ(RequestHeader(sent, "x-amz-content-sha256"), Sha256Hex(request.body));
  EXPECT_THAT(RequestHeader(sent, "Authorization"), HasSubstr("/eu-west-1/s3/aws4_request"));
  const SigningArtifacts artifacts = Resign(sent, "s3");
  EXPECT_THAT(artifacts.canonical_request, HasSubstr("\n/evidence-bucket/case%201/events.jsonl\n"));
  EXPECT_THAT(RequestHeader(sent, "Authorization"), HasSubstr("Signature=" + artifacts.signature));
}

TEST_F(AwsApiClientProtocolsTest, S3SubResourceIsSentAsABareQueryName) {
  FakeHttpTransport http({Reply(200, "{}")});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.operation = "GetBucketPolicy";
  request.path = "/my.bucket";
  request.query = {{"policy", ""}};

  ASSERT_TRUE(client.Rest("s3", request));

  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, "https://s3.eu-west-1.amazonaws.com/my.bucket?policy");
  EXPECT_EQ(RequestHeader(sent, "x-amz-content-sha256"), Sha256Hex(""));
  EXPECT_THAT(Resign(sent, "s3").canonical_request, HasSubstr("\n/my.bucket\npolicy=\n"));
}

TEST_F(AwsApiClientProtocolsTest, LambdaRestCallEncodesQueryAndDoubleEncodesThePathToSign) {
  FakeHttpTransport http({Reply(200, R"({"EventSourceMappings":[]})")});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.operation = "ListEventSourceMappings";
  request.path = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3Af/policy";
  request.query = {{"FunctionName", "arn:aws:lambda:eu-west-1:1:function:f"}, {"Marker", "a b+c"}};

  ASSERT_TRUE(client.Rest("lambda", request));

  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(sent.url,
            "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/"
            "arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3Af/policy"
            "?FunctionName=arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3Af&Marker=a%20b%2Bc");
  EXPECT_EQ(RequestHeader(sent, "x-amz-content-sha256"), "");
  EXPECT_THAT(RequestHeader(sent, "Authorization"), HasSubstr("/eu-west-1/lambda/aws4_request"));
  EXPECT_THAT(
      Resign(sent, "lambda").canonical_request,
      HasSubstr("/functions/arn%253Aaws%253Alambda%253Aeu-west-1%253A1%253Afunction%253Af/"));
}

TEST_F(AwsApiClientProtocolsTest, BodilessPutCarriesAZeroContentLength) {
  FakeHttpTransport http({Reply(200, "")});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.method = "PUT";
  request.path = "/new-bucket";

  ASSERT_TRUE(client.Rest("s3", request));

  EXPECT_EQ(RequestHeader(http.Sent().at(0), "Content-Length"), "0");
}

TEST_F(AwsApiClientProtocolsTest, UnlabelledBodyIsSentAsOctetsNotAsAForm) {
  FakeHttpTransport http({Reply(200, "")});
  AwsApiClient client = Client(http);
  RestRequest labelled;
  labelled.method = "PUT";
  labelled.path = "/b/k";
  labelled.headers = {{"content-type", "text/plain"}};
  labelled.body = "x";
  RestRequest unlabelled = labelled;
  unlabelled.headers.clear();

  ASSERT_TRUE(client.Rest("s3", labelled));
  ASSERT_TRUE(client.Rest("s3", unlabelled));

  EXPECT_EQ(RequestHeader(http.Sent().at(0), "Content-Type"), "text/plain");
  EXPECT_EQ(RequestHeader(http.Sent().at(1), "Content-Type"), "application/octet-stream");
}

TEST_F(AwsApiClientProtocolsTest, S3XmlErrorKeepsCodeMessageAndRequestId) {
  FakeHttpTransport http(
      {Reply(404,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucketPolicy</Code>"
             "<Message>The bucket policy does not exist</Message><BucketName>b</BucketName>"
             "<RequestId>4442587FB7D0A2F9</RequestId><HostId>host</HostId></Error>",
             {{"x-amz-request-id", "4442587FB7D0A2F9"}})});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.operation = "GetBucketPolicy";
  request.path = "/b";
  request.query = {{"policy", ""}};

  auto response = client.Rest("s3", request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().provider_code, "NoSuchBucketPolicy");
  EXPECT_EQ(response.error().request_id, "4442587FB7D0A2F9");
  EXPECT_EQ(response.error().http_status, 404);
  EXPECT_THAT(response.error().message,
              HasSubstr("s3 GetBucketPolicy: The bucket policy does not exist"));
  EXPECT_EQ(http.Sent().size(), 1u);
}

TEST_F(AwsApiClientProtocolsTest, LambdaErrorNamedOnlyInTheHeaderIsMapped) {
  FakeHttpTransport http(
      {Reply(404, R"({"Type":"User","Message":"Function not found: f"})",
             {{"x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/"},
              {"x-amzn-RequestId", "lam-1"}})});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.operation = "GetFunctionConfiguration";
  request.path = "/2015-03-31/functions/f/configuration";

  auto response = client.Rest("lambda", request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(response.error().provider_code, "ResourceNotFoundException");
  EXPECT_EQ(response.error().request_id, "lam-1");
  EXPECT_THAT(response.error().message, HasSubstr("Function not found: f"));
}

TEST_F(AwsApiClientProtocolsTest, WrongRegionErrorNamesTheBucketsRegion) {
  FakeHttpTransport http({Reply(301, "", {{"x-amz-bucket-region", "ap-south-1"}})});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.method = "HEAD";
  request.operation = "HeadBucket";
  request.path = "/far-away";

  auto response = client.Rest("s3", request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().http_status, 301);
  EXPECT_THAT(response.error().message, HasSubstr("the bucket is in region ap-south-1"));
  EXPECT_THAT(response.error().message, HasSubstr("the call was made in eu-west-1"));
}

TEST_F(AwsApiClientProtocolsTest, SlowDownIsRetriedAndSuccessKeepsStatusAndHeaders) {
  FakeHttpTransport http(
      {Reply(503, "<Error><Code>SlowDown</Code><Message>Reduce</Message></Error>"),
       Reply(204, "", {{"x-amz-request-id", "del-1"}, {"X-Extra", "yes"}})});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.method = "DELETE";
  request.path = "/b";
  request.query = {{"policy", ""}};

  auto response = client.Rest("s3", request);

  ASSERT_TRUE(response) << response.error().Describe();
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->Header("x-extra"), "yes");
  EXPECT_EQ(response->request_id, "del-1");
  EXPECT_EQ(http.Sent().size(), 2u);
  EXPECT_EQ(client.RequestsSent(), 2u);
}

TEST_F(AwsApiClientProtocolsTest, RestPathWithoutLeadingSlashIsRefused) {
  FakeHttpTransport http({Reply(200, "")});
  AwsApiClient client = Client(http);
  RestRequest request;
  request.path = "bucket";

  auto response = client.Rest("s3", request);

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kInternal);
  EXPECT_TRUE(http.Sent().empty());
}

TEST(PathEncodeTest, KeepsUnreservedAndSlashOnlyWhenAsked) {
  EXPECT_EQ(PathEncode("a/b c:é", /*keep_slash=*/true), "a/b%20c%3A%C3%A9");
  EXPECT_EQ(PathEncode("a/b", /*keep_slash=*/false), "a%2Fb");
  EXPECT_THAT(PathEncode("AZaz09-_.~", false), Not(HasSubstr("%")));
}

}  // namespace
}  // namespace cordon::aws
