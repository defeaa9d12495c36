// AutoScalingClient and Elbv2Client over the real wire layer against moto_server, started and
// stopped (by pid) by the suite on a free loopback port. Each test reads back the state it made.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "providers/aws/autoscaling_client.h"
#include "providers/aws/elbv2_client.h"
#include "providers/aws/moto_server_for_tests.h"

namespace cordon::aws {
namespace {

class AutoScalingElbv2MotoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = MotoServer::Start();
    ASSERT_TRUE(started) << started.error().message;
    moto = started->release();
  }

  static void TearDownTestSuite() {
    delete moto;
    moto = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(moto, nullptr);
    ASSERT_EQ(moto->Admin("/moto-api/reset", ""), 200);
    api = moto->Client();
  }

  // A set-up call that must succeed; its response's document element.
  pugi::xml_node Seed(std::string_view service, std::string_view action,
                      const QueryParams& params) {
    auto response = api->Query(service, action, params);
    EXPECT_TRUE(response) << action << ": " << response.error().Describe();
    if (!response) {
      return {};
    }
    kept.push_back(*response);
    return response->Root();
  }

  static MotoServer* moto;
  std::unique_ptr<AwsApiClient> api;
  std::vector<QueryResponse> kept;
};

MotoServer* AutoScalingElbv2MotoTest::moto = nullptr;

std::string LifecycleOf(const AutoScalingClient& autoscaling, const std::string& instance_id) {
  auto instances = autoscaling.DescribeAutoScalingInstances({instance_id});
  if (!instances) {
    return "error: " + instances.error().Describe();
  }
  return instances->empty() ? "not in a group" : instances->front().lifecycle_state;
}

TEST_F(AutoScalingElbv2MotoTest, StandbyDetachAndBackAreReadBack) {
  Seed("autoscaling", "CreateLaunchConfiguration",
       {{"LaunchConfigurationName", "web-lc"},
        {"ImageId", "ami-12c6146b"},
        {"InstanceType", "t3.micro"}});
  Seed("autoscaling", "CreateAutoScalingGroup",
       {{"AutoScalingGroupName", "web-asg"},
        {"LaunchConfigurationName", "web-lc"},
        {"MinSize", "1"},
        {"MaxSize", "4"},
        {"DesiredCapacity", "2"},
        {"AvailabilityZones.member.1", "us-east-1a"}});
  AutoScalingClient autoscaling(*api);

  auto groups = autoscaling.DescribeAutoScalingGroups({"web-asg", "no-such-group"});
  ASSERT_TRUE(groups) << groups.error().Describe();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ(groups->front().desired_capacity, 2);
  ASSERT_EQ(groups->front().instances.size(), 2u);
  const std::string id = groups->front().instances.front().instance_id;
  EXPECT_EQ(LifecycleOf(autoscaling, id), "InService");

  auto standby = autoscaling.EnterStandby("web-asg", {id}, false);
  ASSERT_TRUE(standby) << standby.error().Describe();
  EXPECT_FALSE(standby->activities.empty());
  EXPECT_EQ(LifecycleOf(autoscaling, id), "Standby");

  auto back = autoscaling.ExitStandby("web-asg", {id});
  ASSERT_TRUE(back) << back.error().Describe();
  EXPECT_EQ(LifecycleOf(autoscaling, id), "InService");

  auto detached = autoscaling.DetachInstances("web-asg", {id}, false);
  ASSERT_TRUE(detached) << detached.error().Describe();
  EXPECT_EQ(LifecycleOf(autoscaling, id), "not in a group");

  auto attached = autoscaling.AttachInstances("web-asg", {id});
  ASSERT_TRUE(attached) << attached.error().Describe();
  EXPECT_EQ(LifecycleOf(autoscaling, id), "InService");

  auto set = autoscaling.SetDesiredCapacity("web-asg", 2, false);
  ASSERT_TRUE(set) << set.error().Describe();
  auto after = autoscaling.DescribeAutoScalingGroups({"web-asg"});
  ASSERT_TRUE(after) << after.error().Describe();
  EXPECT_EQ(after->front().desired_capacity, 2);
}

TEST_F(AutoScalingElbv2MotoTest, TargetsOfAnInstanceAreFoundDeregisteredAndRegisteredBack) {
  const pugi::xml_node vpcs =
      Seed("ec2", "DescribeVpcs", {{"Filter.1.Name", "is-default"}, {"Filter.1.Value.1", "true"}});
  const std::string vpc_id = vpcs.child("vpcSet").child("item").child_value("vpcId");
  const pugi::xml_node run = Seed("ec2", "RunInstances",
                                  {{"ImageId", "ami-12c6146b"},
                                   {"MinCount", "1"},
                                   {"MaxCount", "1"},
                                   {"InstanceType", "t3.micro"}});
  const pugi::xml_node instance = run.child("instancesSet").child("item");
  const std::string id = instance.child_value("instanceId");
  const std::string ip = instance.child_value("privateIpAddress");
  auto create_group = [&](const std::string& name, const std::string& port,
                          const std::string& type) {
    const pugi::xml_node created = Seed("elasticloadbalancing", "CreateTargetGroup",
                                        {{"Name", name},
                                         {"Protocol", "HTTP"},
                                         {"Port", port},
                                         {"VpcId", vpc_id},
                                         {"TargetType", type}});
    return std::string(created.child("CreateTargetGroupResult")
                           .child("TargetGroups")
                           .child("member")
                           .child_value("TargetGroupArn"));
  };
  const std::string web = create_group("web", "80", "instance");
  const std::string admin = create_group("admin", "80", "instance");
  const std::string by_ip = create_group("by-ip", "80", "ip");
  create_group("unrelated", "80", "instance");
  ASSERT_FALSE(id.empty());
  ASSERT_FALSE(ip.empty());
  Elbv2Client elbv2(*api);
  ASSERT_TRUE(elbv2.RegisterTargets(web, {{id, std::nullopt, ""}}));
  ASSERT_TRUE(elbv2.RegisterTargets(admin, {{id, 8080, ""}}));
  ASSERT_TRUE(elbv2.RegisterTargets(by_ip, {{ip, 443, ""}}));

  auto found = elbv2.FindTargetsOfInstance(id, {ip});
  ASSERT_TRUE(found) << found.error().Describe();
  ASSERT_EQ(found->size(), 3u);
  auto port_in = [&](const std::vector<TargetGroupMembership>& memberships,
                     const std::string& arn) -> std::optional<int> {
    for (const auto& membership : memberships) {
      if (membership.target_group_arn == arn) {
        return membership.target.target.port;
      }
    }
    return std::nullopt;
  };
  EXPECT_EQ(port_in(*found, web), 80);
  EXPECT_EQ(port_in(*found, admin), 8080);
  EXPECT_EQ(port_in(*found, by_ip), 443);

  for (const auto& membership : *found) {
    auto done = elbv2.DeregisterTargets(membership.target_group_arn, {membership.target.target});
    ASSERT_TRUE(done) << done.error().Describe();
  }
  auto none = elbv2.FindTargetsOfInstance(id, {ip});
  ASSERT_TRUE(none) << none.error().Describe();
  EXPECT_TRUE(none->empty());

  for (const auto& membership : *found) {
    auto done = elbv2.RegisterTargets(membership.target_group_arn, {membership.target.target});
    ASSERT_TRUE(done) << done.error().Describe();
  }
  auto again = elbv2.FindTargetsOfInstance(id, {ip});
  ASSERT_TRUE(again) << again.error().Describe();
  ASSERT_EQ(again->size(), 3u);
  EXPECT_EQ(port_in(*again, admin), 8080);
}

TEST_F(AutoScalingElbv2MotoTest, AnUnknownTargetGroupIsTargetGroupNotFound) {
  Elbv2Client elbv2(*api);

  auto targets = elbv2.DescribeTargetHealth(
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef");

  ASSERT_FALSE(targets);
  EXPECT_EQ(targets.error().provider_code, "TargetGroupNotFound");
}

}  // namespace
}  // namespace cordon::aws
