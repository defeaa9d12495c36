#include "planning/planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace cordon::planning {
namespace {

Target Instance(const std::string& id) {
  return {TargetKind::kAwsEc2Instance, id, "123456789012", "us-east-1", ""};
}

PlanRequest Request(std::vector<Target> targets, PlanOptions options = {}) {
  PlanRequest request;
  request.case_id = "C1";
  request.created_at = "2026-12-03T00:00:00.000Z";
  request.options = options;
  for (auto& target : targets) {
    request.inputs.push_back({target, "--target " + target.Key(), {}, {}});
  }
  return request;
}

// Every step id that `id` depends on, directly or transitively.
std::set<std::string> Ancestors(const Plan& plan, const std::string& id) {
  std::set<std::string> seen;
  std::vector<std::string> todo = {id};
  while (!todo.empty()) {
    const Step* step = plan.FindStep(todo.back());
    todo.pop_back();
    for (const auto& dep : step->depends_on) {
      if (seen.insert(dep).second) {
        todo.push_back(dep);
      }
    }
  }
  return seen;
}

size_t Position(const Plan& plan, const std::string& id) {
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    if (plan.steps[i].id == id) {
      return i;
    }
  }
  return plan.steps.size();
}

TEST(PlannerTest, EverySnapshotStepPrecedesEveryNetworkStepOfTheInstance) {
  Plan plan = BuildPlan(Request({Instance("i-0123456789abcdef0"), Instance("i-0fedcba987654321")}));

  for (const auto& planned : plan.targets) {
    const std::string key = planned.target.Key();
    const std::string snapshot = key + "/snapshot";
    ASSERT_NE(plan.FindStep(snapshot), nullptr) << key;
    int network_steps = 0;
    for (const auto& step : plan.steps) {
      if (step.target != key || step.phase != Phase::kIsolate) {
        continue;
      }
      ++network_steps;
      EXPECT_TRUE(Ancestors(plan, step.id).count(snapshot)) << step.id << " may run first";
      EXPECT_LT(Position(plan, snapshot), Position(plan, step.id)) << step.id;
    }
    EXPECT_GE(network_steps, 2) << key;
  }
}

TEST(PlannerTest, ContainFirstPutsIsolationBeforeTheSnapshot) {
  PlanOptions options;
  options.contain_first = true;

  Plan plan = BuildPlan(Request({Instance("i-0123456789abcdef0")}, options));

  const std::string key = "aws:ec2-instance:i-0123456789abcdef0";
  EXPECT_TRUE(Ancestors(plan, key + "/snapshot").count(key + "/isolate"));
  EXPECT_FALSE(Ancestors(plan, key + "/isolate").count(key + "/snapshot"));
  EXPECT_FALSE(plan.notes.empty());
}

TEST(PlannerTest, EveryMutatingStepOfATargetWaitsForItsCapture) {
  Plan plan = BuildPlan(Request({Instance("i-0123456789abcdef0"),
                                 {TargetKind::kAwsIamUser, "alice", "", "", ""},
                                 {TargetKind::kAwsIamRole, "web", "", "", ""}}));

  for (const auto& step : plan.steps) {
    if (!step.mutating) {
      continue;
    }
    EXPECT_TRUE(Ancestors(plan, step.id).count(step.target + "/capture")) << step.id;
  }
}

TEST(PlannerTest, DuplicateTargetsArePlannedOnce) {
  Target user{TargetKind::kAwsIamUser, "alice", "", "", ""};
  PlanRequest request = Request({user, user});

  Plan plan = BuildPlan(request);

  ASSERT_EQ(plan.targets.size(), 1u);
  EXPECT_EQ(std::count_if(plan.steps.begin(), plan.steps.end(),
                          [](const Step& s) { return s.action == "iam.capture_user"; }),
            1);
}

TEST(PlannerTest, DeleteKeysMakesTheKeyStepIrreversible) {
  PlanOptions options;
  options.delete_keys = true;

  Plan plan = BuildPlan(Request({{TargetKind::kAwsIamUser, "alice", "", "", ""}}, options));

  const Step* keys = plan.FindStep("aws:iam-user:alice/delete-keys");
  ASSERT_NE(keys, nullptr);
  EXPECT_TRUE(keys->params.at("delete").get<bool>());
  EXPECT_FALSE(keys->reversible);
}

TEST(PlannerTest, BucketsAndFunctionsGetTheirPlaybookNameAndNotes) {
  const Target bucket{TargetKind::kAwsS3Bucket, "customer-data", "123456789012", "", ""};
  const Target function{TargetKind::kAwsLambdaFunction, "resize", "123456789012", "us-east-1", ""};

  Plan plan = BuildPlan(Request({bucket, function}));

  ASSERT_EQ(plan.targets.size(), 2u);
  EXPECT_EQ(plan.targets[0].playbook, "aws-s3-bucket");
  EXPECT_EQ(plan.targets[1].playbook, "aws-lambda-function");
  EXPECT_EQ(plan.steps.size(), 9u);
  const auto& lambda_notes = plan.targets[1].notes;
  EXPECT_TRUE(std::any_of(lambda_notes.begin(), lambda_notes.end(), [](const std::string& note) {
    return note.find("dead-letter queue or on-failure destination, or are lost") !=
           std::string::npos;
  }));
}

TEST(PlannerTest, PlanSurvivesAJsonRoundTrip) {
  Plan plan =
      BuildPlan(Request({Instance("i-0123456789abcdef0"),
                         {TargetKind::kAwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "", "", "alice"}}));

  auto back = PlanFromJson(PlanToJson(plan));

  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(PlanToJson(*back), PlanToJson(plan));
}

TEST(PlannerTest, PlanFromJsonNamesTheBadField) {
  nlohmann::json json = PlanToJson(BuildPlan(Request({Instance("i-0123456789abcdef0")})));
  json["steps"][1]["phase"] = "explode";

  auto plan = PlanFromJson(json);

  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(plan.error().message.find("steps[1].phase"), std::string::npos) << plan.error().message;
}

TEST(PlannerTest, PlanFromJsonRefusesAnEditedRegionOrAccount) {
  nlohmann::json json = PlanToJson(BuildPlan(Request({Instance("i-0123456789abcdef0")})));
  nlohmann::json bad_region = json;
  bad_region["targets"][0]["target"]["region"] = "evil.example.com#";
  nlohmann::json bad_account = json;
  bad_account["targets"][0]["target"]["account"] = "12345";

  auto region = PlanFromJson(bad_region);
  auto account = PlanFromJson(bad_account);

  ASSERT_FALSE(region);
  EXPECT_NE(region.error().message.find("targets[0].target.region"), std::string::npos)
      << region.error().message;
  ASSERT_FALSE(account);
  EXPECT_NE(account.error().message.find("targets[0].target.account"), std::string::npos)
      << account.error().message;
}

}  // namespace
}  // namespace cordon::planning
