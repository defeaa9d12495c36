// CloudTrailClient over recorded LookupEvents responses in the official shape (moto does not
// serve LookupEvents): testdata/cloudtrail_lookup_events_page{1,2}.json, which
// testdata/check_json_shapes.py checks against the installed botocore model.
#include "providers/aws/cloudtrail_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "providers/aws/aws_api_client.h"
#include "providers/aws/fake_aws_api.h"
#include "providers/aws/fake_http_transport.h"
#include "transport/child_process_for_tests.h"

namespace cordon::aws {
namespace {

using ::testing::HasSubstr;

nlohmann::json Fixture(const std::string& name) {
  return nlohmann::json::parse(ReadTestdata(name));
}

std::chrono::system_clock::time_point At(int day, int hour = 0) {
  using namespace std::chrono;
  return sys_days{year{2026} / January / day} + hours{hour};
}

TEST(CloudTrailClientTest, RecordedFixturesMatchTheBotocoreModels) {
  auto checked = testing::ChildProcess::Start(
      {"python3",
       std::string(CORDON_SOURCE_DIR) + "/src/providers/aws/testdata/check_json_shapes.py"},
      "fixtures match the models");

  ASSERT_TRUE(checked) << checked.error().message;
}

TEST(CloudTrailClientTest, LookupFollowsNextTokenAndParsesEachRecord) {
  FakeAwsApi api;
  api.QueueJson(Fixture("cloudtrail_lookup_events_page1.json"), "ct-1");
  api.QueueJson(Fixture("cloudtrail_lookup_events_page2.json"), "ct-2");

  auto events = CloudTrailClient(api).LookupEvents({"Username", "alice"}, At(1), At(8));

  ASSERT_TRUE(events) << events.error().Describe();
  ASSERT_EQ(events->size(), 3u);
  const CloudTrailEvent& first = (*events)[0];
  EXPECT_EQ(first.event_id, "4a1c2e7f-0b9d-4e63-a1f5-5c8d2b7e9f01");
  EXPECT_EQ(first.event_name, "CreateAccessKey");
  EXPECT_EQ(first.event_source, "iam.amazonaws.com");
  EXPECT_EQ(first.username, "alice");
  EXPECT_EQ(first.event_time, At(7, 21) + std::chrono::minutes(14) + std::chrono::seconds(9));
  EXPECT_TRUE(first.raw["CloudTrailEvent"].is_string());
  EXPECT_EQ(first.raw["Resources"][0]["ResourceName"], "AKIAI44QH8DHBEXAMPLE");
  EXPECT_EQ(first.record["userIdentity"]["arn"], "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(first.record["eventID"], first.event_id);
  EXPECT_EQ((*events)[2].event_name, "PutBucketPolicy");

  const auto calls = api.JsonCalls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].service, "cloudtrail");
  EXPECT_EQ(calls[0].operation, "LookupEvents");
  EXPECT_EQ(calls[0].body["LookupAttributes"],
            nlohmann::json::parse(R"([{"AttributeKey":"Username","AttributeValue":"alice"}])"));
  EXPECT_EQ(calls[0].body["MaxResults"], 50);
  EXPECT_FALSE(calls[0].body.contains("NextToken"));
  EXPECT_EQ(calls[1].body["NextToken"],
            Fixture("cloudtrail_lookup_events_page1.json")["NextToken"]);
  EXPECT_EQ(calls[1].body["StartTime"], calls[0].body["StartTime"]);
}

TEST(CloudTrailClientTest, WireFormIsJson11WithEpochSecondTimes) {
  FakeHttpTransport http({Reply(200, R"({"Events":[]})")});
  transport::RetryPolicy retry;
  retry.max_attempts = 1;
  AwsApiClient api(http, {"AKIDEXAMPLE", "secret", "", "test"}, "us-east-1", EndpointResolver({}),
                   retry);

  auto events = CloudTrailClient(api).LookupEvents({"ResourceName", "i-0abc"}, At(1),
                                                   At(8) + std::chrono::milliseconds(250));

  ASSERT_TRUE(events) << events.error().Describe();
  EXPECT_TRUE(events->empty());
  const transport::HttpRequest sent = http.Sent().at(0);
  EXPECT_EQ(sent.url, "https://cloudtrail.us-east-1.amazonaws.com/");
  EXPECT_EQ(RequestHeader(sent, "X-Amz-Target"),
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
  EXPECT_EQ(RequestHeader(sent, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(sent.body,
            R"({"EndTime":1767830400.25,"LookupAttributes":[{"AttributeKey":"ResourceName",)"
            R"("AttributeValue":"i-0abc"}],"MaxResults":50,"StartTime":1767225600})");
}

TEST(CloudTrailClientTest, AFailedPageFailsTheWholeLookup) {
  FakeAwsApi api;
  api.QueueJson(Fixture("cloudtrail_lookup_events_page1.json"));
  api.QueueJsonError(
      Error{ErrorKind::kThrottled, "Rate exceeded", "ThrottlingException", "ct-2", 400, true});

  auto events = CloudTrailClient(api).LookupEvents({"Username", "alice"}, At(1), At(8));

  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().provider_code, "ThrottlingException");
  EXPECT_THAT(events.error().message, HasSubstr("LookupEvents page 2 failed"));
}

TEST(CloudTrailClientTest, ARepeatedTokenIsAnErrorNotALoop) {
  FakeAwsApi api;
  api.QueueJson(Fixture("cloudtrail_lookup_events_page1.json"));
  api.QueueJson(Fixture("cloudtrail_lookup_events_page1.json"), "ct-again");

  auto events = CloudTrailClient(api).LookupEvents({"Username", "alice"}, At(1), At(8));

  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(events.error().request_id, "ct-again");
  EXPECT_EQ(api.JsonCalls().size(), 2u);
}

TEST(CloudTrailClientTest, MalformedEventsFailButAnUnparsableRecordIsKeptRaw) {
  FakeAwsApi api;
  api.QueueJson(nlohmann::json::parse(R"({"Events":[{"EventName":"X","EventTime":1}]})"));
  api.QueueJson(nlohmann::json::parse(
      R"({"Events":[{"EventId":"e-1","EventTime":1767225600.5,"CloudTrailEvent":"{not json"}]})"));
  const CloudTrailClient cloudtrail(api);

  auto no_id = cloudtrail.LookupEvents({"EventName", "X"}, At(1), At(2));
  auto bad_record = cloudtrail.LookupEvents({"EventId", "e-1"}, At(1), At(2));

  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().kind, ErrorKind::kProvider);
  ASSERT_TRUE(bad_record) << bad_record.error().Describe();
  ASSERT_EQ(bad_record->size(), 1u);
  EXPECT_TRUE((*bad_record)[0].record.is_null());
  EXPECT_EQ((*bad_record)[0].raw["CloudTrailEvent"], "{not json");
  EXPECT_EQ((*bad_record)[0].event_time, At(1) + std::chrono::milliseconds(500));
}

TEST(CloudTrailClientTest, BadLookupsAreRefusedBeforeSending) {
  FakeAwsApi api;
  const CloudTrailClient cloudtrail(api);

  auto unknown_key = cloudtrail.LookupEvents({"UserName", "alice"}, At(1), At(2));
  auto empty_value = cloudtrail.LookupEvents({"Username", ""}, At(1), At(2));
  auto backwards = cloudtrail.LookupEvents({"Username", "alice"}, At(2), At(1));

  EXPECT_EQ(unknown_key.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(empty_value.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(backwards.error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(api.JsonCalls().empty());
}

}  // namespace
}  // namespace cordon::aws
