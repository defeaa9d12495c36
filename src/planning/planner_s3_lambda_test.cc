// The S3 bucket and Lambda function playbooks: which steps, in which order.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "planning/planner.h"

namespace cordon::planning {
namespace {

PlanRequest Request(const Target& target, PlanOptions options = {}) {
  PlanRequest request;
  request.case_id = "C7";
  request.created_at = "2026-12-04T00:00:00.000Z";
  request.options = options;
  request.inputs.push_back({target, "--target " + target.Key(), {}, {}});
  return request;
}

std::vector<std::string> Names(const Plan& plan) {
  std::vector<std::string> names;
  for (const auto& step : plan.steps) {
    names.push_back(step.id.substr(step.id.rfind('/') + 1));
  }
  return names;
}

size_t IndexOf(const Plan& plan, const std::string& name) {
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i].id.substr(plan.steps[i].id.rfind('/') + 1) == name) {
      return i;
    }
  }
  return plan.steps.size();
}

const Target kBucket{TargetKind::kAwsS3Bucket, "customer-data", "123456789012", "", ""};
const Target kFunction{TargetKind::kAwsLambdaFunction, "resize", "123456789012", "eu-west-1", ""};

TEST(PlannerS3LambdaTest, BucketCapturesAndVersionsBeforeAnyAccessChange) {
  Plan plan = BuildPlan(Request(kBucket));

  EXPECT_EQ(Names(plan), (std::vector<std::string>{"capture", "versioning", "deny-policy",
                                                   "public-access-block", "tag"}));
  const Step* capture = plan.FindStep("aws:s3-bucket:customer-data/capture");
  ASSERT_NE(capture, nullptr);
  EXPECT_FALSE(capture->mutating);
  const Step* deny = plan.FindStep("aws:s3-bucket:customer-data/deny-policy");
  ASSERT_NE(deny, nullptr);
  EXPECT_EQ(deny->action, "s3.deny_bucket_policy");
  EXPECT_TRUE(deny->reversible);
  EXPECT_EQ(std::set<std::string>(deny->depends_on.begin(), deny->depends_on.end()),
            (std::set<std::string>{"aws:s3-bucket:customer-data/capture",
                                   "aws:s3-bucket:customer-data/versioning"}));
  const Step* versioning = plan.FindStep("aws:s3-bucket:customer-data/versioning");
  ASSERT_NE(versioning, nullptr);
  EXPECT_FALSE(versioning->reversible) << "versioning can never be turned off again";
  // The public access block follows the policy, so release relaxes it before restoring a
  // policy that BlockPublicPolicy would reject.
  const Step* block = plan.FindStep("aws:s3-bucket:customer-data/public-access-block");
  ASSERT_NE(block, nullptr);
  EXPECT_NE(std::find(block->depends_on.begin(), block->depends_on.end(), deny->id),
            block->depends_on.end());
}

TEST(PlannerS3LambdaTest, ContainFirstPutsVersioningAfterThePolicy) {
  PlanOptions options;
  options.contain_first = true;

  Plan plan = BuildPlan(Request(kBucket, options));

  EXPECT_LT(IndexOf(plan, "deny-policy"), IndexOf(plan, "versioning"));
  EXPECT_EQ(IndexOf(plan, "capture"), 0u);
}

TEST(PlannerS3LambdaTest, FunctionCapturesBeforeThrottlingDisablingAndRevoking) {
  Plan plan = BuildPlan(Request(kFunction));

  ASSERT_EQ(plan.steps.size(), 4u);
  EXPECT_EQ(IndexOf(plan, "capture"), 0u);
  for (const auto& step : plan.steps) {
    if (step.mutating) {
      EXPECT_NE(std::find(step.depends_on.begin(), step.depends_on.end(),
                          "aws:lambda-function:resize/capture"),
                step.depends_on.end())
          << step.id;
      EXPECT_TRUE(step.reversible) << step.id;
    }
  }
  EXPECT_EQ(plan.FindStep("aws:lambda-function:resize/concurrency")->action,
            "lambda.stop_invocations");
  EXPECT_EQ(plan.FindStep("aws:lambda-function:resize/disable-mappings")->action,
            "lambda.disable_event_source_mappings");
  const Step* revoke = plan.FindStep("aws:lambda-function:resize/revoke-role-sessions");
  ASSERT_NE(revoke, nullptr);
  EXPECT_EQ(revoke->params.at("policy_name"), RevokeSessionsPolicyName("C7"));
  EXPECT_LT(IndexOf(plan, "concurrency"), IndexOf(plan, "revoke-role-sessions"));
}

}  // namespace
}  // namespace cordon::planning
