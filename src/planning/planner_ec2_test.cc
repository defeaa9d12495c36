// The order of the EC2 playbook's steps: evidence before the network, Auto Scaling and the load
// balancer before isolation, the all-traffic group before the quarantine group, the instance
// profile after its role's sessions.
#include <gtest/gtest.h>

#include <set>

#include "planning/planner.h"

namespace cordon::planning {
namespace {

const std::string kKey = "aws:ec2-instance:i-0123456789abcdef0";

Plan InstancePlan(PlanOptions options = {}) {
  PlanRequest request;
  request.case_id = "C1";
  request.created_at = "2026-12-04T00:00:00.000Z";
  request.options = options;
  const Target target{TargetKind::kAwsEc2Instance, "i-0123456789abcdef0", "123456789012",
                      "us-east-1", ""};
  request.inputs.push_back({target, "--target " + target.Key(), {}, {}});
  return BuildPlan(request);
}

PlanOptions WithMemoryCapture() {
  PlanOptions options;
  options.memory_capture_command = "avml /var/tmp/memory.lime";
  options.memory_capture_timeout_seconds = 900;
  return options;
}

// Every step id `id` waits for, directly or transitively.
std::set<std::string> Ancestors(const Plan& plan, const std::string& id) {
  std::set<std::string> seen;
  std::vector<std::string> todo = {id};
  while (!todo.empty()) {
    const Step* step = plan.FindStep(todo.back());
    todo.pop_back();
    if (step == nullptr) {
      continue;
    }
    for (const auto& dep : step->depends_on) {
      if (seen.insert(dep).second) {
        todo.push_back(dep);
      }
    }
  }
  return seen;
}

bool Waits(const Plan& plan, const std::string& step, const std::string& for_step) {
  return Ancestors(plan, kKey + "/" + step).count(kKey + "/" + for_step) != 0;
}

TEST(PlannerEc2Test, SnapshotAndMemoryCaptureComeBeforeEveryNetworkStep) {
  const Plan plan = InstancePlan(WithMemoryCapture());

  const Step* memory = plan.FindStep(kKey + "/memory-capture");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->action, "ssm.capture_memory");
  EXPECT_EQ(memory->params["command"], "avml /var/tmp/memory.lime");
  EXPECT_EQ(memory->params["timeout_seconds"], 900);
  int network_steps = 0;
  for (const auto& step : plan.steps) {
    if (step.phase == Phase::kIsolate || step.phase == Phase::kRevoke) {
      ++network_steps;
      EXPECT_TRUE(Ancestors(plan, step.id).count(kKey + "/snapshot")) << step.id;
      EXPECT_TRUE(Ancestors(plan, step.id).count(kKey + "/memory-capture")) << step.id;
    }
  }
  EXPECT_EQ(network_steps, 8);  // six isolate, two revoke
  EXPECT_EQ(PlanToJson(plan)["options"]["memory_capture_command"], "avml /var/tmp/memory.lime");
}

TEST(PlannerEc2Test, AutoScalingAndTargetGroupsAreLeftBeforeIsolation) {
  const Plan plan = InstancePlan();

  EXPECT_TRUE(Waits(plan, "isolate", "leave-auto-scaling"));
  EXPECT_TRUE(Waits(plan, "isolate", "deregister-targets"));
  EXPECT_TRUE(Waits(plan, "deregister-targets", "leave-auto-scaling"));
  EXPECT_EQ(plan.FindStep(kKey + "/memory-capture"), nullptr) << "off by default";
}

TEST(PlannerEc2Test, TheAllTrafficGroupIsReadyBeforeTheQuarantineGroupIsApplied) {
  const Plan plan = InstancePlan();

  EXPECT_TRUE(Waits(plan, "isolate", "untrack-group"));
  EXPECT_TRUE(Waits(plan, "isolate", "quarantine-group"));
  const Step* untrack = plan.FindStep(kKey + "/untrack-group");
  ASSERT_NE(untrack, nullptr);
  EXPECT_EQ(untrack->action, "ec2.ensure_untrack_group");
  EXPECT_NE(untrack->summary.find(kUntrackGroupName), std::string::npos);
  for (const auto& note : plan.targets[0].notes) {
    EXPECT_EQ(note.find("may survive"), std::string::npos) << note;
  }
}

TEST(PlannerEc2Test, TheInstanceProfileIsDisassociatedAfterItsRoleSessionsAreRevoked) {
  const Plan plan = InstancePlan();

  EXPECT_TRUE(Waits(plan, "detach-profile", "revoke-role-sessions"));
  EXPECT_TRUE(Waits(plan, "revoke-role-sessions", "isolate"));
  EXPECT_TRUE(Waits(plan, "tag", "detach-profile"));
  EXPECT_TRUE(Waits(plan, "tag", "detach-elastic-ips"));
}

TEST(PlannerEc2Test, ContainFirstPlansNoMemoryCapture) {
  PlanOptions options = WithMemoryCapture();
  options.contain_first = true;

  const Plan plan = InstancePlan(options);

  EXPECT_EQ(plan.FindStep(kKey + "/memory-capture"), nullptr);
  EXPECT_TRUE(Waits(plan, "snapshot", "isolate"));
  EXPECT_TRUE(Waits(plan, "isolate", "leave-auto-scaling"));
}

TEST(PlannerEc2Test, MemoryCommandsThatReadDevMemAreRefused) {
  EXPECT_TRUE(MemoryCaptureCommandProblem("dd if=/dev/mem of=/tmp/mem bs=1M"));
  EXPECT_TRUE(MemoryCaptureCommandProblem("cat /dev/kmem > /tmp/k"));
  EXPECT_TRUE(MemoryCaptureCommandProblem("  "));
  EXPECT_FALSE(MemoryCaptureCommandProblem("avml /var/tmp/memory.lime"));
  EXPECT_FALSE(MemoryCaptureCommandProblem("insmod lime.ko path=/dev/memdump format=lime"));
}

}  // namespace
}  // namespace cordon::planning
