#include "execution/release.h"

#include <gtest/gtest.h>

#include "providers/aws/fake_aws_api.h"

namespace cordon::execution {
namespace {

journal::Record Api(std::int64_t seq, journal::RecordKind kind, const std::string& step,
                    const std::string& operation, const std::string& outcome = "") {
  journal::Record record;
  record.seq = seq;
  record.kind = kind;
  record.step_id = step;
  record.operation = operation;
  record.request_digest = "d-" + step + operation;
  record.outcome = outcome;
  return record;
}

using journal::RecordKind;

TEST(ReleaseTest, ChangesAreNewestFirstAndSkipFailedCallsButKeepUnfinishedOnes) {
  std::vector<journal::Record> records = {
      Api(1, RecordKind::kIntent, "u/keys", "iam.deactivate_access_keys"),  // step level
      Api(2, RecordKind::kIntent, "u/keys", "iam:UpdateAccessKey"),
      Api(3, RecordKind::kResult, "u/keys", "iam:UpdateAccessKey", "ok"),
      Api(4, RecordKind::kIntent, "u/deny", "iam:PutUserPolicy"),
      Api(5, RecordKind::kResult, "u/deny", "iam:PutUserPolicy", "failed"),
      Api(6, RecordKind::kIntent, "i/isolate", "ec2:ModifyNetworkInterfaceAttribute"),
      // killed here: no result for 6
  };

  auto changes = ReleasableChanges(records, {});

  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].seq, 6);
  EXPECT_EQ(changes[1].seq, 2);
}

TEST(ReleaseTest, StepFilterAndEarlierUndoRecordsAreHonoured) {
  std::vector<journal::Record> records = {
      Api(1, RecordKind::kIntent, "u/keys", "iam:UpdateAccessKey"),
      Api(2, RecordKind::kResult, "u/keys", "iam:UpdateAccessKey", "ok"),
      Api(3, RecordKind::kIntent, "u/tag", "iam:TagUser"),
      Api(4, RecordKind::kResult, "u/tag", "iam:TagUser", "ok"),
      Api(5, RecordKind::kIntent, "release/1", "iam:UpdateAccessKey"),
      Api(6, RecordKind::kResult, "release/1", "iam:UpdateAccessKey", "ok"),
  };
  ReleaseOptions options;
  options.steps = {"u/keys"};

  auto changes = ReleasableChanges(records, options);

  ASSERT_EQ(changes.size(), 1u) << "undo records are never released themselves";
  EXPECT_EQ(changes[0].step_id, "u/keys");
}

TEST(ReleaseTest, DryRunPlansTheUndoCallsFromThePriorState) {
  std::vector<journal::Record> records = {
      Api(1, RecordKind::kIntent, "aws:iam-user:bob/keys", "iam:UpdateAccessKey"),
      Api(2, RecordKind::kIntent, "aws:iam-user:bob/delete", "iam:DeleteAccessKey"),
      Api(3, RecordKind::kIntent, "aws:ec2-instance:i-1/snap", "ec2:CreateSnapshots")};
  records[0].detail = {{"request", {{"UserName", "bob"}, {"AccessKeyId", "AKIAEXAMPLE"}}}};
  records[0].prior_state = R"({"access_key_id":"AKIAEXAMPLE","status":"Active"})";
  records[1].detail = {{"request", {{"UserName", "bob"}, {"AccessKeyId", "AKIAOTHER"}}}};
  planning::Plan plan;
  aws::FakeAwsApi api;  // a dry run makes no call: nothing is queued, and Calls() stays empty
  AwsReleaser releaser([&](const std::string&) -> aws::AwsApi& { return api; }, plan,
                       {"C1", "arn:aws:iam::123456789012:user/responder", true}, nullptr);
  ReleaseOptions options;
  options.dry_run = true;

  auto items = releaser.Release(records, options);

  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].status, ReleaseStatus::kKept);          // snapshots are evidence
  EXPECT_EQ(items[1].status, ReleaseStatus::kIrreversible);  // a deleted key
  EXPECT_EQ(items[2].status, ReleaseStatus::kUndone);
  ASSERT_EQ(items[2].calls.size(), 1u);
  EXPECT_EQ(items[2].calls[0]["operation"], "iam:UpdateAccessKey");
  EXPECT_EQ(items[2].calls[0]["params"]["Status"], "Active");
  EXPECT_TRUE(api.Calls().empty());
}

}  // namespace
}  // namespace cordon::execution
