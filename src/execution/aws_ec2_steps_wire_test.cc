// EC2 playbook steps on the wire (recorded responses), for what moto cannot show: the Auto
// Scaling rule (standby or detach, never lowering the capacity) for states moto cannot produce,
// and an interface whose quarantine call fails being put back on its own groups rather than
// left on the all-traffic group.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "execution/aws_runner.h"
#include "journal/case_dir.h"
#include "planning/planner.h"
#include "providers/aws/fake_aws_api.h"

namespace cordon::execution {
namespace {

std::string GroupXml(const std::string& id, const std::string& name) {
  return "<DescribeSecurityGroupsResponse><requestId>r</requestId><securityGroupInfo><item>"
         "<groupId>" +
         id + "</groupId><groupName>" + name +
         "</groupName><vpcId>vpc-876a5d863d2f1bc68</vpcId><ownerId>123456789012</ownerId>"
         "</item></securityGroupInfo></DescribeSecurityGroupsResponse>";
}

constexpr const char* kModified =
    "<ModifyNetworkInterfaceAttributeResponse><requestId>m</requestId><return>true</return>"
    "</ModifyNetworkInterfaceAttributeResponse>";

// The SecurityGroupId.N values of a call, in order.
std::vector<std::string> Groups(const aws::FakeAwsApi::Call& call) {
  std::vector<std::string> groups;
  for (const auto& [name, value] : call.params) {
    if (name.rfind("SecurityGroupId.", 0) == 0) {
      groups.push_back(value);
    }
  }
  return groups;
}

// One instance (the recorded i-aaaaccc01e64b1ff3 with two interfaces) planned and captured from
// recorded responses, with a real journal, so a step's calls can be read off the fake.
class Ec2StepsWireTest : public ::testing::Test {
 protected:
  Ec2StepsWireTest()
      : home_(std::filesystem::temp_directory_path() /
              ("cordon-ec2-wire-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)))) {}
  ~Ec2StepsWireTest() override { std::filesystem::remove_all(home_); }

  void SetUp() override {
    planning::PlanRequest request;
    request.case_id = "C1";
    request.inputs.push_back({target_, "--target", {}, {}});
    plan_ = planning::BuildPlan(request);
    auto case_dir = journal::CaseDir::At(home_, "C1");
    ASSERT_TRUE(case_dir) << case_dir.error().Describe();
    auto journal = journal::Journal::Open(*case_dir, clock_);
    ASSERT_TRUE(journal) << journal.error().Describe();
    journal_ = std::move(*journal);
    evidence_ = std::make_unique<journal::EvidenceStore>(*case_dir, clock_);
    runner_ = std::make_unique<AwsStepRunner>(
        [this](const std::string&) -> aws::AwsApi& { return api_; }, plan_,
        RunContext{"C1", "arn:aws:iam::123456789012:user/responder", false}, AwsGuards{},
        journal_.get(), evidence_.get(), clock_, std::set<std::string>{});
    for (const char* file :
         {"ec2_describe_instances.xml", "ec2_describe_instance_attribute_termination.xml",
          "ec2_describe_instance_attribute_shutdown.xml", "ec2_describe_network_interfaces.xml",
          "ec2_describe_volumes.xml", "ec2_describe_security_groups.xml"}) {
      api_.QueueFile(file);
    }
    ASSERT_EQ(Run("capture").outcome, Outcome::kOk);
    first_call_ = api_.Calls().size();
  }

  StepResult Run(const std::string& step) {
    return runner_->Run(*plan_.FindStep(target_.Key() + "/" + step));
  }

  // The calls the step under test made.
  std::vector<aws::FakeAwsApi::Call> StepCalls() const {
    const auto calls = api_.Calls();
    return {calls.begin() + static_cast<std::ptrdiff_t>(first_call_), calls.end()};
  }

  const planning::Target target_{planning::TargetKind::kAwsEc2Instance, "i-aaaaccc01e64b1ff3", "",
                                 "us-east-1", ""};
  std::filesystem::path home_;
  FixedClock clock_{std::chrono::system_clock::from_time_t(1796000000)};
  planning::Plan plan_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<journal::EvidenceStore> evidence_;
  aws::FakeAwsApi api_;
  std::unique_ptr<AwsStepRunner> runner_;
  size_t first_call_ = 0;
};

std::string Param(const aws::FakeAwsApi::Call& call, const std::string& name) {
  for (const auto& [key, value] : call.params) {
    if (key == name) {
      return value;
    }
  }
  return "<absent>";
}

std::string MembershipXml(const std::string& state) {
  return "<DescribeAutoScalingInstancesResponse><DescribeAutoScalingInstancesResult>"
         "<AutoScalingInstances><member><InstanceId>i-aaaaccc01e64b1ff3</InstanceId>"
         "<AutoScalingGroupName>web-asg</AutoScalingGroupName><LifecycleState>" +
         state +
         "</LifecycleState></member></AutoScalingInstances></DescribeAutoScalingInstancesResult>"
         "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata>"
         "</DescribeAutoScalingInstancesResponse>";
}

constexpr const char* kGroupXml =
    "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
    "<member><AutoScalingGroupName>web-asg</AutoScalingGroupName><MinSize>1</MinSize>"
    "<MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity></member></AutoScalingGroups>"
    "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>r</RequestId>"
    "</ResponseMetadata></DescribeAutoScalingGroupsResponse>";

TEST_F(Ec2StepsWireTest, AnInServiceInstanceEntersStandbyWithoutLoweringTheCapacity) {
  api_.QueueXml(MembershipXml("InService"));
  api_.QueueXml(kGroupXml);
  api_.QueueFile("autoscaling_enter_standby.xml");
  api_.QueueXml(MembershipXml("Standby"));

  StepResult result = Run("leave-auto-scaling");

  ASSERT_EQ(result.outcome, Outcome::kOk) << result.message;
  const auto calls = StepCalls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[2].action, "EnterStandby");
  EXPECT_EQ(Param(calls[2], "AutoScalingGroupName"), "web-asg");
  EXPECT_EQ(Param(calls[2], "InstanceIds.member.1"), "i-aaaaccc01e64b1ff3");
  EXPECT_EQ(Param(calls[2], "ShouldDecrementDesiredCapacity"), "false");
  EXPECT_EQ(result.detail["state"], "Standby");
}

TEST_F(Ec2StepsWireTest, AnInstanceNotInServiceIsDetachedWithoutLoweringTheCapacity) {
  api_.QueueXml(MembershipXml("Pending"));
  api_.QueueXml(kGroupXml);
  api_.QueueFile("autoscaling_detach_instances.xml");
  api_.QueueXml(
      "<DescribeAutoScalingInstancesResponse><DescribeAutoScalingInstancesResult>"
      "<AutoScalingInstances/></DescribeAutoScalingInstancesResult><ResponseMetadata>"
      "<RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingInstancesResponse>");

  StepResult result = Run("leave-auto-scaling");

  ASSERT_EQ(result.outcome, Outcome::kOk) << result.message;
  const auto calls = StepCalls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[2].action, "DetachInstances");
  EXPECT_EQ(Param(calls[2], "ShouldDecrementDesiredCapacity"), "false");
  EXPECT_EQ(result.detail["state"], "detached");
}

TEST_F(Ec2StepsWireTest, AnInstanceAlreadyInStandbyIsLeftAlone) {
  api_.QueueXml(MembershipXml("Standby"));

  StepResult result = Run("leave-auto-scaling");

  EXPECT_EQ(result.outcome, Outcome::kOk) << result.message;
  EXPECT_EQ(StepCalls().size(), 1u);
}

TEST_F(Ec2StepsWireTest, AFailedQuarantineCallPutsTheInterfacesOwnGroupsBack) {
  api_.QueueXml(GroupXml("sg-quarantine", "cordon-quarantine"));
  api_.QueueXml(GroupXml("sg-untrack", "cordon-untrack"));
  api_.QueueFile("ec2_describe_network_interfaces.xml");
  api_.QueueXml(kModified);  // first interface: all-traffic group
  api_.QueueXml(kModified);  // first interface: quarantine group
  api_.QueueXml(kModified);  // second interface: all-traffic group
  Error refused;
  refused.kind = ErrorKind::kProvider;
  refused.provider_code = "InvalidGroup.NotFound";
  refused.message = "The security group does not exist";
  api_.QueueError(refused);  // second interface: quarantine group
  api_.QueueXml(kModified);  // second interface: its own groups back

  StepResult result = Run("isolate");

  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_NE(result.message.find("its own groups were put back"), std::string::npos)
      << result.message;
  std::vector<std::vector<std::string>> modified;
  for (const auto& call : StepCalls()) {
    if (call.action == "ModifyNetworkInterfaceAttribute") {
      modified.push_back(Groups(call));
    }
  }
  ASSERT_EQ(modified.size(), 5u);
  EXPECT_EQ(modified[0], std::vector<std::string>{"sg-untrack"});
  EXPECT_EQ(modified[1], std::vector<std::string>{"sg-quarantine"});
  EXPECT_EQ(modified[2], std::vector<std::string>{"sg-untrack"});
  EXPECT_EQ(modified[3], std::vector<std::string>{"sg-quarantine"});
  ASSERT_FALSE(modified[4].empty());
  for (const auto& group : modified[4]) {
    EXPECT_EQ(group.rfind("sg-2afe", 0) == 0 || group.rfind("sg-e65a", 0) == 0, true) << group;
  }
  EXPECT_EQ(api_.Pending(), 0u);
}

// A plan with a memory capture, run from the fixture's captured instance.
class MemoryCaptureWireTest : public Ec2StepsWireTest {
 protected:
  void SetUp() override {
    Ec2StepsWireTest::SetUp();
    planning::PlanRequest request;
    request.case_id = "C1";
    request.options.memory_capture_command = "avml /var/tmp/memory.lime";
    request.options.memory_capture_timeout_seconds = 900;
    request.inputs.push_back({target_, "--target", {}, {}});
    memory_plan_ = planning::BuildPlan(request);
  }

  StepResult RunMemoryCapture() {
    return runner_->Run(*memory_plan_.FindStep(target_.Key() + "/memory-capture"));
  }

  nlohmann::json Invocation(const std::string& status, int code) const {
    return {{"CommandId", "c-1"},
            {"InstanceId", "i-aaaaccc01e64b1ff3"},
            {"Status", status},
            {"ResponseCode", code},
            {"StandardOutputContent", "image written"}};
  }

  planning::Plan memory_plan_;
};

TEST_F(MemoryCaptureWireTest, TheCommandIsSentAndWaitedForAndItsOutputKept) {
  api_.QueueJson({{"Command", {{"CommandId", "c-1"}, {"Status", "Pending"}}}});
  api_.QueueJsonError(
      Error{ErrorKind::kProvider, "not yet", "InvocationDoesNotExist", "", 400, false});
  api_.QueueJson(Invocation("Success", 0));

  StepResult result = RunMemoryCapture();

  ASSERT_EQ(result.outcome, Outcome::kOk) << result.message;
  EXPECT_EQ(result.detail["command_id"], "c-1");
  EXPECT_EQ(result.detail["status"], "Success");
  const auto calls = api_.JsonCalls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].operation, "SendCommand");
  EXPECT_EQ(calls[0].body["DocumentName"], "AWS-RunShellScript");
  EXPECT_EQ(calls[0].body["Parameters"]["commands"][0], "avml /var/tmp/memory.lime");
  EXPECT_EQ(calls[0].body["Parameters"]["executionTimeout"][0], "900");
  EXPECT_EQ(calls[2].operation, "GetCommandInvocation");
  EXPECT_TRUE(std::filesystem::exists(
      home_ / "cases/C1/evidence/ssm-memory-capture-i-aaaaccc01e64b1ff3.json"));
}

TEST_F(MemoryCaptureWireTest, AFailedCaptureFailsTheStepSoIsolationWaits) {
  api_.QueueJson({{"Command", {{"CommandId", "c-1"}, {"Status", "Pending"}}}});
  api_.QueueJson(Invocation("Failed", 127));

  StepResult result = RunMemoryCapture();

  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_NE(result.message.find("ended Failed"), std::string::npos) << result.message;
  EXPECT_EQ(result.detail["response_code"], 127);
}

TEST_F(MemoryCaptureWireTest, AnEditedPlanThatReadsDevMemIsRefusedWithoutACall) {
  planning::Step step = *memory_plan_.FindStep(target_.Key() + "/memory-capture");
  step.params["command"] = "dd if=/dev/mem of=/tmp/mem";

  StepResult result = runner_->Run(step);

  EXPECT_EQ(result.outcome, Outcome::kRefused);
  EXPECT_TRUE(api_.JsonCalls().empty());
}

}  // namespace
}  // namespace cordon::execution
