#include "execution/executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace cordon::execution {
namespace {

planning::Step MakeStep(const std::string& id, std::vector<std::string> deps) {
  planning::Step step;
  step.id = id;
  step.target = id.substr(0, id.find('/'));
  step.action = "test";
  step.depends_on = std::move(deps);
  return step;
}

TEST(ExecutorTest, RunsStepsOfOneTargetInDependencyOrder) {
  planning::Plan plan;
  plan.steps = {MakeStep("a/1", {}), MakeStep("a/2", {"a/1"}), MakeStep("a/3", {"a/2"})};
  std::mutex mutex;
  std::vector<std::string> order;

  auto results = RunPlan(plan,
                         [&](const planning::Step& step) {
                           std::lock_guard lock(mutex);
                           order.push_back(step.id);
                           return StepResult{Outcome::kOk, "", {}};
                         },
                         {8});

  EXPECT_EQ(order, (std::vector<std::string>{"a/1", "a/2", "a/3"}));
  EXPECT_EQ(results.size(), 3u);
}

TEST(ExecutorTest, RunsIndependentTargetsConcurrently) {
  planning::Plan plan;
  for (int t = 0; t < 4; ++t) {
    plan.steps.push_back(MakeStep("t" + std::to_string(t) + "/x", {}));
  }
  std::atomic<int> running{0};
  std::atomic<int> peak{0};

  RunPlan(plan,
          [&](const planning::Step&) {
            int now = ++running;
            int seen = peak.load();
            while (now > seen && !peak.compare_exchange_weak(seen, now)) {
            }
            // Hold the slot until every step has started, so concurrency is observable.
            for (int i = 0; i < 2000 && peak.load() < 4; ++i) {
              std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            --running;
            return StepResult{Outcome::kOk, "", {}};
          },
          {4});

  EXPECT_EQ(peak.load(), 4);
}

TEST(ExecutorTest, DependentsOfAnUnknownStepAreSkippedNotRun) {
  planning::Plan plan;
  plan.steps = {MakeStep("a/capture", {}), MakeStep("a/change", {"a/capture"}),
                MakeStep("a/tag", {"a/change"}), MakeStep("b/capture", {})};
  std::atomic<int> handled{0};

  auto results = RunPlan(
      plan,
      [&](const planning::Step& step) {
        ++handled;
        return StepResult{step.id == "a/capture" ? Outcome::kUnknown : Outcome::kOk, "", {}};
      },
      {2});

  EXPECT_EQ(handled.load(), 2);
  EXPECT_EQ(results["a/change"].outcome, Outcome::kSkipped);
  EXPECT_NE(results["a/change"].message.find("a/capture (unknown)"), std::string::npos);
  EXPECT_EQ(results["a/tag"].outcome, Outcome::kSkipped);
  EXPECT_EQ(results["b/capture"].outcome, Outcome::kOk);
}

TEST(ExecutorTest, EmptyPlanFinishes) {
  planning::Plan plan;

  auto results = RunPlan(plan, [](const planning::Step&) { return StepResult{}; }, {16});

  EXPECT_TRUE(results.empty());
}

TEST(ExecutorTest, StepsInADependencyCycleFailInsteadOfHanging) {
  planning::Plan plan;
  for (const auto& [id, dep] : std::vector<std::pair<std::string, std::string>>{
           {"a", "b"}, {"b", "a"}, {"c", "a"}, {"d", ""}}) {
    planning::Step step;
    step.id = id;
    step.target = "t";
    if (!dep.empty()) {
      step.depends_on = {dep};
    }
    plan.steps.push_back(step);
  }

  auto results = RunPlan(plan,
                         [](const planning::Step&) {
                           return StepResult{Outcome::kOk, "", {}};
                         },
                         {4});

  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results["a"].outcome, Outcome::kFailed);
  EXPECT_EQ(results["b"].outcome, Outcome::kFailed);
  EXPECT_EQ(results["c"].outcome, Outcome::kFailed);
  EXPECT_EQ(results["d"].outcome, Outcome::kOk);
}

}  // namespace
}  // namespace cordon::execution
