// The CloudTrail activity step the planner adds to every playbook when a window is set.
#include <gtest/gtest.h>

#include <algorithm>

#include "planning/planner.h"

namespace cordon::planning {
namespace {

PlanRequest Request(std::vector<Target> targets, const std::string& since) {
  PlanRequest request;
  request.case_id = "C1";
  request.created_at = "2026-12-03T00:00:00.000Z";
  request.options.activity_since = since;
  for (auto& target : targets) {
    request.inputs.push_back({target, "--target " + target.Key(), {}, {}});
  }
  return request;
}

TEST(PlannerActivityTest, EveryTargetStartsWithAnActivityStepNothingWaitsFor) {
  const Plan plan =
      BuildPlan(Request({{TargetKind::kAwsIamUser, "alice", "", "", ""},
                         {TargetKind::kAwsEc2Instance, "i-0abc", "123456789012", "us-east-1", ""}},
                        "2026-12-01T00:00:00Z"));

  for (const std::string key : {"aws:iam-user:alice", "aws:ec2-instance:i-0abc"}) {
    const Step* activity = plan.FindStep(key + "/activity");
    ASSERT_NE(activity, nullptr) << key;
    EXPECT_EQ(activity->phase, Phase::kPreserve);
    EXPECT_EQ(activity->action, "cloudtrail.export_activity");
    EXPECT_FALSE(activity->mutating);
    EXPECT_TRUE(activity->depends_on.empty());
    EXPECT_EQ(activity->params["since"], "2026-12-01T00:00:00Z");
  }
  for (const auto& step : plan.steps) {
    for (const auto& dep : step.depends_on) {
      EXPECT_EQ(dep.find("/activity"), std::string::npos)
          << step.id << ": a failed lookup must not hold containment back";
    }
  }
  const auto first_of_user = std::find_if(plan.steps.begin(), plan.steps.end(), [](const Step& s) {
    return s.target == "aws:iam-user:alice";
  });
  EXPECT_EQ(first_of_user->id, "aws:iam-user:alice/activity");
}

TEST(PlannerActivityTest, NoWindowNoActivityStep) {
  const Plan plan = BuildPlan(Request({{TargetKind::kAwsIamUser, "alice", "", "", ""}}, ""));

  EXPECT_EQ(plan.FindStep("aws:iam-user:alice/activity"), nullptr);
}

}  // namespace
}  // namespace cordon::planning
