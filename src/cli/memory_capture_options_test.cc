// The memory capture option: from the flag or the configuration into the plan, and the commands
// and combinations refused as input errors before anything is called.
#include <gtest/gtest.h>

#include "cli/config.h"
#include "cli/inputs.h"

namespace cordon::cli {
namespace {

const EnvLookup kNoEnv = [](const std::string&) -> std::optional<std::string> {
  return std::nullopt;
};

PlanArgs InstanceArgs(const std::string& command) {
  PlanArgs args;
  args.case_id = "C1";
  args.targets = {"arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"};
  args.memory_capture_command = command;
  args.memory_capture_timeout = 900;
  return args;
}

TEST(MemoryCaptureOptionsTest, TheCommandReachesThePlan) {
  const FixedClock clock(std::chrono::system_clock::from_time_t(1796000000));

  auto plan = PlanFromArgs(InstanceArgs("avml /var/tmp/memory.lime"), kNoEnv, clock);

  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->options.memory_capture_command, "avml /var/tmp/memory.lime");
  EXPECT_EQ(plan->options.memory_capture_timeout_seconds, 900);
  const planning::Step* step =
      plan->FindStep("aws:ec2-instance:i-0123456789abcdef0/memory-capture");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->params["command"], "avml /var/tmp/memory.lime");
}

TEST(MemoryCaptureOptionsTest, ReadingDevMemIsAnInputError) {
  const FixedClock clock(std::chrono::system_clock::from_time_t(1796000000));

  auto plan = PlanFromArgs(InstanceArgs("dd if=/dev/mem of=/var/tmp/mem"), kNoEnv, clock);

  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().kind, ErrorKind::kInvalidInput);
  EXPECT_NE(plan.error().message.find("--memory-capture-command"), std::string::npos);
  EXPECT_NE(plan.error().message.find("/dev/mem"), std::string::npos);
}

TEST(MemoryCaptureOptionsTest, ContainFirstWithAMemoryCaptureIsAnInputError) {
  const FixedClock clock(std::chrono::system_clock::from_time_t(1796000000));
  PlanArgs args = InstanceArgs("avml /var/tmp/memory.lime");
  args.contain_first = true;

  auto plan = PlanFromArgs(args, kNoEnv, clock);

  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("--contain-first"), std::string::npos);
}

TEST(MemoryCaptureOptionsTest, TheConfigurationKeyIsAString) {
  auto config = ParseConfig("memory_capture_command = \"avml /var/tmp/m.lime\"\n", "c.toml");
  auto wrong = ParseConfig("memory_capture_command = 3\n", "c.toml");

  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->memory_capture_command, "avml /var/tmp/m.lime");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("memory_capture_command"), std::string::npos);
}

}  // namespace
}  // namespace cordon::cli
