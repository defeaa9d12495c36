// The isolate step on the wire (recorded EC2 responses): every interface goes to the all-traffic
// group and then to the quarantine group, and an interface whose quarantine call fails is put
// back on its own groups rather than left open. moto cannot fail the second call on demand.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

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

class IsolationStepTest : public ::testing::Test {
 protected:
  IsolationStepTest()
      : home_(std::filesystem::temp_directory_path() /
              ("cordon-isolation-" +
               std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
               std::to_string(reinterpret_cast<std::uintptr_t>(this)))) {}
  ~IsolationStepTest() override { std::filesystem::remove_all(home_); }

  std::filesystem::path home_;
  FixedClock clock_{std::chrono::system_clock::from_time_t(1796000000)};
};

TEST_F(IsolationStepTest, AFailedQuarantineCallPutsTheInterfacesOwnGroupsBack) {
  planning::PlanRequest request;
  request.case_id = "C1";
  const planning::Target target{planning::TargetKind::kAwsEc2Instance, "i-aaaaccc01e64b1ff3", "",
                                "us-east-1", ""};
  request.inputs.push_back({target, "--target", {}, {}});
  const planning::Plan plan = planning::BuildPlan(request);
  auto case_dir = journal::CaseDir::At(home_, "C1");
  ASSERT_TRUE(case_dir) << case_dir.error().Describe();
  auto journal = journal::Journal::Open(*case_dir, clock_);
  ASSERT_TRUE(journal) << journal.error().Describe();
  journal::EvidenceStore evidence(*case_dir, clock_);
  aws::FakeAwsApi api;
  AwsStepRunner runner([&](const std::string&) -> aws::AwsApi& { return api; }, plan,
                       {"C1", "arn:aws:iam::123456789012:user/responder", false}, {},
                       journal->get(), &evidence, clock_, {});
  for (const char* file :
       {"ec2_describe_instances.xml", "ec2_describe_instance_attribute_termination.xml",
        "ec2_describe_instance_attribute_shutdown.xml", "ec2_describe_network_interfaces.xml",
        "ec2_describe_volumes.xml", "ec2_describe_security_groups.xml"}) {
    api.QueueFile(file);
  }
  ASSERT_EQ(runner.Run(*plan.FindStep(target.Key() + "/capture")).outcome, Outcome::kOk);
  api.QueueXml(GroupXml("sg-quarantine", "cordon-quarantine"));
  api.QueueXml(GroupXml("sg-untrack", "cordon-untrack"));
  api.QueueFile("ec2_describe_network_interfaces.xml");
  api.QueueXml(kModified);  // first interface: all-traffic group
  api.QueueXml(kModified);  // first interface: quarantine group
  api.QueueXml(kModified);  // second interface: all-traffic group
  Error refused;
  refused.kind = ErrorKind::kProvider;
  refused.provider_code = "InvalidGroup.NotFound";
  refused.message = "The security group does not exist";
  api.QueueError(refused);  // second interface: quarantine group
  api.QueueXml(kModified);  // second interface: its own groups back
  const size_t before = api.Calls().size();

  StepResult result = runner.Run(*plan.FindStep(target.Key() + "/isolate"));

  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_NE(result.message.find("its own groups were put back"), std::string::npos)
      << result.message;
  std::vector<std::vector<std::string>> modified;
  const auto calls = api.Calls();
  for (size_t i = before; i < calls.size(); ++i) {
    if (calls[i].action == "ModifyNetworkInterfaceAttribute") {
      modified.push_back(Groups(calls[i]));
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
  EXPECT_EQ(api.Pending(), 0u);
}

}  // namespace
}  // namespace cordon::execution
