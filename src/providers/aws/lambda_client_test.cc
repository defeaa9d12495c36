// LambdaClient request forms and response readings over FakeAwsApi, with the botocore model's
// documented examples as responses (testdata/lambda_*.json). Real moto responses are in
// lambda_client_moto_test.cc.
#include "providers/aws/lambda_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

RestResponse Ok(std::string body, int status = 200) {
  return RestResponse{status, {}, std::move(body), "lambda-req"};
}

RestResponse OkFile(const std::string& name) { return Ok(ReadTestdata(name)); }

Error NotFound() {
  return Error{ErrorKind::kNotFound,
               "The resource you requested does not exist.",
               "ResourceNotFoundException",
               "nf-req",
               404,
               false};
}

std::string HeaderOf(const RestRequest& request, std::string_view name) {
  RestResponse view;
  view.headers = request.headers;
  return view.Header(name);
}

TEST(LambdaClientTest, GetFunctionConfigurationReadsTheDocumentedExample) {
  FakeAwsApi api;
  api.QueueRest(OkFile("lambda_get_function_configuration.json"));

  auto config = LambdaClient(api).GetFunctionConfiguration("my-function");

  ASSERT_TRUE(config) << config.error().Describe();
  EXPECT_EQ(config->function_name, "my-function");
  EXPECT_EQ(config->function_arn, "arn:aws:lambda:us-west-2:123456789012:function:my-function");
  EXPECT_EQ(config->role, "arn:aws:iam::123456789012:role/lambda-role");
  EXPECT_EQ(config->state, "Active");
  EXPECT_EQ(config->revision_id, "b75dcd81-xmpl-48a8-a75a-93ba8b5b9727");
  EXPECT_EQ(config->dead_letter_target_arn, "arn:aws:sqs:us-west-2:123456789012:my-function-dlq");
  EXPECT_EQ(config->raw["Environment"]["Variables"]["PREFIX"], "inbound");
  EXPECT_EQ(api.RestCalls().at(0).service, "lambda");
  EXPECT_EQ(api.RestCalls().at(0).request.method, "GET");
  EXPECT_EQ(api.RestCalls().at(0).request.path, "/2015-03-31/functions/my-function/configuration");
}

TEST(LambdaClientTest, FunctionArnIsEncodedIntoOnePathSegment) {
  FakeAwsApi api;
  api.QueueRest(Ok(R"({"ReservedConcurrentExecutions": 3})"));

  ASSERT_TRUE(LambdaClient(api).GetFunctionConcurrency(
      "arn:aws:lambda:us-east-1:123456789012:function:fn/x"));

  EXPECT_EQ(api.RestCalls().at(0).request.path,
            "/2019-09-30/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afn"
            "%2Fx/concurrency");
}

TEST(LambdaClientTest, NoReservedConcurrencyIsDistinctFromZero) {
  FakeAwsApi api;
  api.QueueRest(Ok(R"({"ReservedConcurrentExecutions": null})"));
  api.QueueRest(Ok("{}"));
  api.QueueRest(Ok(R"({"ReservedConcurrentExecutions": 0})"));
  api.QueueRest(Ok(R"({"ReservedConcurrentExecutions": 250})"));
  const LambdaClient lambda(api);

  auto null_value = lambda.GetFunctionConcurrency("fn");
  auto absent = lambda.GetFunctionConcurrency("fn");
  auto zero = lambda.GetFunctionConcurrency("fn");
  auto documented = lambda.GetFunctionConcurrency("fn");

  ASSERT_TRUE(null_value);
  EXPECT_EQ(*null_value, std::nullopt);
  ASSERT_TRUE(absent);
  EXPECT_EQ(*absent, std::nullopt);
  ASSERT_TRUE(zero);
  EXPECT_EQ(*zero, std::optional<int>(0));
  ASSERT_TRUE(documented);
  EXPECT_EQ(*documented, std::optional<int>(250));
}

TEST(LambdaClientTest, ConcurrencyIsPutAndDeletedAtThe20171031Uri) {
  FakeAwsApi api;
  api.QueueRest(Ok(R"({"ReservedConcurrentExecutions": 0})"));
  api.QueueRest(Ok("", 204));
  const LambdaClient lambda(api);

  auto put = lambda.PutFunctionConcurrency("fn", 0);
  auto removed = lambda.DeleteFunctionConcurrency("fn");
  auto negative = lambda.PutFunctionConcurrency("fn", -1);

  ASSERT_TRUE(put) << put.error().Describe();
  ASSERT_TRUE(removed) << removed.error().Describe();
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().kind, ErrorKind::kInvalidInput);
  const auto calls = api.RestCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].request.method, "PUT");
  EXPECT_EQ(calls[0].request.path, "/2017-10-31/functions/fn/concurrency");
  EXPECT_EQ(calls[0].request.body, R"({"ReservedConcurrentExecutions":0})");
  EXPECT_EQ(HeaderOf(calls[0].request, "Content-Type"), "application/json");
  EXPECT_EQ(calls[1].request.method, "DELETE");
  EXPECT_EQ(calls[1].request.path, "/2017-10-31/functions/fn/concurrency");
}

TEST(LambdaClientTest, ListEventSourceMappingsFollowsNextMarkerToTheEnd) {
  FakeAwsApi api;
  api.QueueRest(OkFile("lambda_list_event_source_mappings_page1.json"));
  api.QueueRest(OkFile("lambda_list_event_source_mappings_page2.json"));

  auto mappings = LambdaClient(api).ListEventSourceMappings("my-function");

  ASSERT_TRUE(mappings) << mappings.error().Describe();
  ASSERT_EQ(mappings->size(), 3u);
  EXPECT_EQ((*mappings)[0].uuid, "a1b2c3d4-5678-90ab-cdef-11111EXAMPLE");
  EXPECT_EQ((*mappings)[0].state, "Enabled");
  EXPECT_EQ((*mappings)[0].batch_size, std::optional<int>(5));
  EXPECT_EQ((*mappings)[1].state, "Disabled");
  EXPECT_EQ((*mappings)[2].event_source_arn,
            "arn:aws:kinesis:us-west-2:123456789012:stream/clicks");
  EXPECT_EQ((*mappings)[2].raw["StartingPosition"], "LATEST");
  const auto calls = api.RestCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].request.path, "/2015-03-31/event-source-mappings");
  EXPECT_THAT(calls[0].request.query,
              ElementsAre(Pair("FunctionName", "my-function"), Pair("MaxItems", "100")));
  EXPECT_THAT(
      calls[1].request.query,
      ElementsAre(
          Pair("FunctionName", "my-function"), Pair("MaxItems", "100"),
          Pair("Marker", "eyJVVUlEIjoiYTFiMmMzZDQtNTY3OC05MGFiLWNkZWYtMjIyMjJFWEFNUExFIn0=")));
}

TEST(LambdaClientTest, AFailedPageFailsTheWholeMappingList) {
  FakeAwsApi api;
  api.QueueRest(OkFile("lambda_list_event_source_mappings_page1.json"));
  api.QueueRestError(
      Error{ErrorKind::kThrottled, "slow down", "TooManyRequestsException", "page-2", 429, true});

  auto mappings = LambdaClient(api).ListEventSourceMappings("my-function");

  ASSERT_FALSE(mappings);
  EXPECT_EQ(mappings.error().provider_code, "TooManyRequestsException");
  EXPECT_THAT(mappings.error().message, HasSubstr("page 2 failed, so the list is incomplete"));
}

TEST(LambdaClientTest, ARepeatedMarkerStopsTheListing) {
  FakeAwsApi api;
  api.QueueRest(OkFile("lambda_list_event_source_mappings_page1.json"));
  api.QueueRest(OkFile("lambda_list_event_source_mappings_page1.json"));

  auto mappings = LambdaClient(api).ListEventSourceMappings("my-function");

  ASSERT_FALSE(mappings);
  EXPECT_EQ(mappings.error().kind, ErrorKind::kProvider);
  EXPECT_THAT(mappings.error().message, HasSubstr("same pagination token twice"));
}

TEST(LambdaClientTest, UpdateEventSourceMappingSendsOnlyEnabled) {
  FakeAwsApi api;
  api.QueueRest(Ok(R"({"UUID":"u-1","State":"Disabling","BatchSize":10})", 202));

  auto mapping = LambdaClient(api).UpdateEventSourceMapping("u-1", false);

  ASSERT_TRUE(mapping) << mapping.error().Describe();
  EXPECT_EQ(mapping->state, "Disabling");
  const RestRequest request = api.RestCalls().at(0).request;
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.path, "/2015-03-31/event-source-mappings/u-1");
  EXPECT_EQ(request.body, R"({"Enabled":false})");
}

TEST(LambdaClientTest, MappingWithoutUuidIsAProviderError) {
  FakeAwsApi api;
  api.QueueRest(Ok(R"({"State":"Enabled"})"));

  auto mapping = LambdaClient(api).GetEventSourceMapping("u-1");

  ASSERT_FALSE(mapping);
  EXPECT_EQ(mapping.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(mapping.error().request_id, "lambda-req");
}

TEST(LambdaClientTest, GetPolicyIsNoneWhenLambdaHasNoPolicy) {
  FakeAwsApi api;
  api.QueueRest(OkFile("lambda_get_policy.json"));
  api.QueueRestError(NotFound());
  const LambdaClient lambda(api);

  auto policy = lambda.GetPolicy("my-function");
  auto none = lambda.GetPolicy("my-function");

  ASSERT_TRUE(policy) << policy.error().Describe();
  ASSERT_TRUE(policy->has_value());
  EXPECT_THAT((*policy)->policy, HasSubstr("\"Sid\":\"xaccount\""));
  EXPECT_EQ((*policy)->revision_id, "4843f2f6-7c59-4fda-b484-afd0bc0e22b8");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(api.RestCalls().at(0).request.path, "/2015-03-31/functions/my-function/policy");
}

TEST(LambdaClientTest, EventInvokeConfigNamesTheFailureDestination) {
  FakeAwsApi api;
  api.QueueRest(OkFile("lambda_get_function_event_invoke_config.json"));
  api.QueueRestError(NotFound());
  const LambdaClient lambda(api);

  auto config = lambda.GetFunctionEventInvokeConfig("my-function");
  auto none = lambda.GetFunctionEventInvokeConfig("my-function");

  ASSERT_TRUE(config) << config.error().Describe();
  ASSERT_TRUE(config->has_value());
  EXPECT_EQ((*config)->on_failure_destination,
            "arn:aws:sqs:us-east-2:123456789012:failed-invocations");
  EXPECT_EQ((*config)->on_success_destination, "");
  EXPECT_EQ((*config)->maximum_retry_attempts, std::optional<int>(0));
  EXPECT_EQ((*config)->maximum_event_age_in_seconds, std::optional<int>(3600));
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(api.RestCalls().at(0).request.path,
            "/2019-09-25/functions/my-function/event-invoke-config");
}

TEST(LambdaClientTest, MissingFunctionIsNotFoundAndEmptyNamesAreRefused) {
  FakeAwsApi api;
  api.QueueRestError(NotFound());
  const LambdaClient lambda(api);

  auto missing = lambda.GetFunctionConfiguration("nope");
  auto empty = lambda.ListEventSourceMappings("");

  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(api.RestCalls().size(), 1u);
}

}  // namespace
}  // namespace cordon::aws
