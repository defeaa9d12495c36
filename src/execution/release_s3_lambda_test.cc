// Release of S3 bucket and Lambda function changes, planned in dry runs from the saved prior
// state (the calls themselves are checked against moto in tests/s3_lambda_test.cc).
#include <gtest/gtest.h>

#include "execution/release.h"
#include "providers/aws/fake_aws_api.h"

namespace cordon::execution {
namespace {

using nlohmann::json;

journal::Record Change(std::int64_t seq, const std::string& operation, json request, json prior) {
  journal::Record record;
  record.seq = seq;
  record.kind = journal::RecordKind::kIntent;
  record.step_id = "t/step-" + std::to_string(seq);
  record.target = "t";
  record.operation = operation;
  record.request_digest = "d" + std::to_string(seq);
  record.detail = {{"request", std::move(request)}};
  record.prior_state = prior.dump();
  return record;
}

TEST(ReleaseS3LambdaTest, UndoCallsFollowTheSavedPriorState) {
  const json app_policy = {{"Version", "2012-10-17"}, {"Statement", json::array()}};
  const std::vector<journal::Record> records = {
      Change(1, "s3:PutBucketVersioning", {{"Bucket", "b"}}, {{"status", "NeverEnabled"}}),
      Change(2, "s3:PutBucketPolicy", {{"Bucket", "b"}},
             {{"region", "us-east-1"}, {"policy", nullptr}}),
      Change(3, "s3:PutBucketPolicy", {{"Bucket", "b"}}, {{"policy", app_policy}}),
      Change(4, "s3:PutPublicAccessBlock", {{"Bucket", "b"}}, {{"public_access_block", nullptr}}),
      Change(5, "lambda:PutFunctionConcurrency", {{"FunctionName", "f"}},
             {{"reserved_concurrent_executions", nullptr}}),
      Change(6, "lambda:PutFunctionConcurrency", {{"FunctionName", "f"}},
             {{"reserved_concurrent_executions", 7}}),
      Change(7, "lambda:UpdateEventSourceMapping", {{"UUID", "u-1"}}, {{"enabled", true}}),
      Change(8, "lambda:UpdateEventSourceMapping", {{"UUID", "u-2"}}, {{"enabled", false}}),
  };
  planning::Plan plan;
  aws::FakeAwsApi api;
  AwsReleaser releaser([&](const std::string&) -> aws::AwsApi& { return api; }, plan,
                       {"C1", "arn:aws:iam::123456789012:user/responder", true}, nullptr);
  ReleaseOptions options;
  options.dry_run = true;

  auto items = releaser.Release(records, options);

  ASSERT_EQ(items.size(), 8u);
  auto call = [&](std::int64_t seq) -> json {
    for (const auto& item : items) {
      if (item.seq == seq) {
        return item.calls.empty() ? json(nullptr) : item.calls[0];
      }
    }
    return nullptr;
  };
  EXPECT_EQ(items.back().status, ReleaseStatus::kIrreversible);  // versioning, seq 1
  EXPECT_EQ(call(1), nullptr);
  EXPECT_EQ(call(2)["operation"], "s3:DeleteBucketPolicy");
  EXPECT_EQ(call(3)["operation"], "s3:PutBucketPolicy");
  EXPECT_EQ(call(3)["params"]["Policy"], app_policy);
  EXPECT_EQ(call(4)["operation"], "s3:DeletePublicAccessBlock");
  EXPECT_EQ(call(5)["operation"], "lambda:DeleteFunctionConcurrency");
  EXPECT_EQ(call(6)["operation"], "lambda:PutFunctionConcurrency");
  EXPECT_EQ(call(6)["params"]["ReservedConcurrentExecutions"], 7);
  EXPECT_EQ(call(7)["params"]["Enabled"], true);
  EXPECT_EQ(call(8), nullptr) << "a mapping that was disabled before stays disabled";
  EXPECT_TRUE(api.RestCalls().empty());
}

}  // namespace
}  // namespace cordon::execution
