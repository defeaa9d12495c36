// The CloudTrail activity step over recorded LookupEvents pages in the official shape
// (src/providers/aws/testdata/cloudtrail_lookup_events_page{1,2}.json): moto does not serve
// LookupEvents.
#include "execution/aws_activity.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "journal/journal_test_util.h"
#include "providers/aws/aws_api_client.h"
#include "providers/aws/fake_aws_api.h"
#include "providers/aws/fake_http_transport.h"

namespace cordon::execution {
namespace {

class ActivityExporterTest : public journal::CaseTest {
 protected:
  ActivityExporterTest() {
    step_.id = "aws:iam-user:alice/activity";
    step_.target = "aws:iam-user:alice";
    step_.action = "cloudtrail.export_activity";
    step_.params = {{"since", "2025-11-27T00:00:00Z"}};
    target_.kind = planning::TargetKind::kAwsIamUser;
    target_.id = "alice";
  }

  nlohmann::json Page(const std::string& name) {
    return nlohmann::json::parse(aws::ReadTestdata(name));
  }

  std::string EvidenceFile(const std::string& name) {
    std::ifstream in(case_dir_.evidence_dir() / name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  planning::Step step_;
  planning::Target target_;
  RunContext context_{"IR-2025-001", "arn:aws:iam::123456789012:user/responder", false};
  std::set<std::string> completed_;
};

TEST_F(ActivityExporterTest, EveryPageOfEveryLookupIsStoredAsOneLinePerEvent) {
  auto journal = OpenJournal();
  journal::EvidenceStore evidence(case_dir_, clock_);
  aws::FakeAwsApi api;
  // By Username: two pages (three events); by ResourceName: one page repeating an event.
  api.QueueJson(Page("cloudtrail_lookup_events_page1.json"));
  api.QueueJson(Page("cloudtrail_lookup_events_page2.json"));
  api.QueueJson(Page("cloudtrail_lookup_events_page2.json"));
  ActivityExporter exporter(context_, journal.get(), &evidence, clock_, completed_);

  StepResult result = exporter.Run(step_, target_, api);

  ASSERT_EQ(result.outcome, Outcome::kOk) << result.message;
  const auto calls = api.JsonCalls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].body["LookupAttributes"][0]["AttributeKey"], "Username");
  EXPECT_FALSE(calls[0].body.contains("NextToken"));
  EXPECT_TRUE(calls[1].body.contains("NextToken"));
  EXPECT_EQ(calls[2].body["LookupAttributes"][0]["AttributeKey"], "ResourceName");
  EXPECT_EQ(calls[0].body["StartTime"], 1764201600);
  const std::string text = EvidenceFile("cloudtrail-aws-iam-user-alice.jsonl");
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> ids;
  while (std::getline(lines, line)) {
    auto event = nlohmann::json::parse(line);
    ids.insert(event["EventId"].get<std::string>());
    EXPECT_TRUE(event["CloudTrailEvent"].is_string());
  }
  EXPECT_EQ(ids.size(), 3u) << text;
  auto manifest = journal::ReadManifest(case_dir_);
  ASSERT_TRUE(manifest);
  ASSERT_EQ(manifest->size(), 1u);
  EXPECT_EQ((*manifest)[0].name, "cloudtrail-aws-iam-user-alice.jsonl");
  EXPECT_EQ((*manifest)[0].sha256, Sha256Hex(text));
  EXPECT_EQ(result.detail["events"], 3);
}

TEST_F(ActivityExporterTest, AFailedSecondPageIsUnknownAndStoresNothing) {
  auto journal = OpenJournal();
  journal::EvidenceStore evidence(case_dir_, clock_);
  aws::FakeAwsApi api;
  api.QueueJson(Page("cloudtrail_lookup_events_page1.json"));
  api.QueueJsonError(Error{ErrorKind::kTransient, "HTTP 500", "", "req-2", 500, true});
  ActivityExporter exporter(context_, journal.get(), &evidence, clock_, completed_);

  StepResult result = exporter.Run(step_, target_, api);

  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_NE(result.message.find("page 2"), std::string::npos) << result.message;
  EXPECT_NE(result.message.find("nothing stored"), std::string::npos) << result.message;
  EXPECT_FALSE(
      std::filesystem::exists(case_dir_.evidence_dir() / "cloudtrail-aws-iam-user-alice.jsonl"));
  auto manifest = journal::ReadManifest(case_dir_);
  ASSERT_TRUE(manifest);
  EXPECT_TRUE(manifest->empty());
}

TEST_F(ActivityExporterTest, LookupsFitTheTargetKind) {
  planning::Target key{planning::TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "", "", ""};
  planning::Target instance{planning::TargetKind::kAwsEc2Instance, "i-0abc", "", "", ""};

  auto key_lookups = ActivityLookups(key);
  auto instance_lookups = ActivityLookups(instance);

  ASSERT_EQ(key_lookups.size(), 2u);
  EXPECT_EQ(key_lookups[0].key, "AccessKeyId");
  ASSERT_EQ(instance_lookups.size(), 1u);
  EXPECT_EQ(instance_lookups[0].key, "ResourceName");
  EXPECT_EQ(instance_lookups[0].value, "i-0abc");
  EXPECT_EQ(ActivityFileName(instance), "cloudtrail-aws-ec2-instance-i-0abc.jsonl");
}

TEST_F(ActivityExporterTest, RetriesAgainstA500AreCappedAndShort) {
  auto journal = OpenJournal();
  journal::EvidenceStore evidence(case_dir_, clock_);
  // What moto answers to LookupEvents, every time.
  aws::FakeHttpTransport http({aws::Reply(500, "<html>Internal Server Error</html>")});
  transport::RetryPolicy policy = ActivityRetryPolicy();
  std::chrono::milliseconds slept{0};
  policy.sleep = [&](std::chrono::milliseconds delay) { slept += delay; };
  aws::AwsApiClient api(http, {"AKIDEXAMPLE", "secret", "", "test"}, "us-east-1",
                        aws::EndpointResolver({}), policy);
  ActivityExporter exporter(context_, journal.get(), &evidence, clock_, completed_);

  StepResult result = exporter.Run(step_, target_, api);

  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(http.Sent().size(), 3u) << "one lookup, three attempts, then the step gives up";
  EXPECT_LE(slept, std::chrono::milliseconds(2000));
}

}  // namespace
}  // namespace cordon::execution

namespace cordon::execution {
namespace {

TEST(PacedApiTest, LookupsAreSpacedAtLeastTheIntervalApart) {
  aws::FakeAwsApi inner;
  for (int i = 0; i < 3; ++i) {
    inner.QueueJson(nlohmann::json::object());
  }
  PacedApi paced(inner, std::chrono::milliseconds(100));

  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(paced.Json("cloudtrail", "LookupEvents", nlohmann::json::object()));
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;

  EXPECT_GE(elapsed, std::chrono::milliseconds(200));
  EXPECT_EQ(inner.JsonCalls().size(), 3u);
}

}  // namespace
}  // namespace cordon::execution
