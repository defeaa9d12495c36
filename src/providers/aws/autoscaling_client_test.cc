// AutoScalingClient over real moto responses: parsing, the exact form parameters (checked against
// what botocore, and so the aws CLI, sends), pagination and errors.
#include "providers/aws/autoscaling_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

Error ValidationError(const std::string& message) {
  return Error{ErrorKind::kProvider, message, "ValidationError", "req-400", 400, false};
}

TEST(AutoScalingClientTest, InstancesInAGroupAreDescribedAndOthersAreAbsent) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_describe_auto_scaling_instances.xml");

  auto instances = AutoScalingClient(api).DescribeAutoScalingInstances(
      {"i-6bc4a34c701a29476", "i-748125b0ed438db59", "i-4e8b695ca174d76d0"});

  ASSERT_TRUE(instances) << instances.error().Describe();
  EXPECT_EQ(api.Calls()[0].service, "autoscaling");
  EXPECT_EQ(api.Calls()[0].action, "DescribeAutoScalingInstances");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceIds.member.1", "i-6bc4a34c701a29476"},
                                                {"InstanceIds.member.2", "i-748125b0ed438db59"},
                                                {"InstanceIds.member.3", "i-4e8b695ca174d76d0"}}));
  ASSERT_EQ(instances->size(), 2u);
  const AutoScalingInstanceDetails& first = instances->front();
  EXPECT_EQ(first.instance_id, "i-6bc4a34c701a29476");
  EXPECT_EQ(first.auto_scaling_group_name, "web-asg");
  EXPECT_EQ(first.availability_zone, "us-east-1a");
  EXPECT_EQ(first.lifecycle_state, "InService");
  EXPECT_EQ(first.health_status, "Healthy");
  EXPECT_FALSE(first.protected_from_scale_in);
}

TEST(AutoScalingClientTest, AnInstanceInStandbyReadsAsStandby) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_describe_auto_scaling_instances_standby.xml");

  auto instances = AutoScalingClient(api).DescribeAutoScalingInstances({"i-6bc4a34c701a29476"});

  ASSERT_TRUE(instances) << instances.error().Describe();
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_EQ(instances->front().lifecycle_state, "Standby");
}

TEST(AutoScalingClientTest, InstancesAreReadToTheLastPage) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_describe_auto_scaling_instances_page1.xml");
  api.QueueFile("autoscaling_describe_auto_scaling_instances_page2.xml");

  auto instances = AutoScalingClient(api).DescribeAutoScalingInstances({"i-1", "i-2"});

  ASSERT_TRUE(instances) << instances.error().Describe();
  ASSERT_EQ(api.Calls().size(), 2u);
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"InstanceIds.member.1", "i-1"},
                                                {"InstanceIds.member.2", "i-2"},
                                                {"NextToken", "dG9rZW4tcGFnZS0y"}}));
  ASSERT_EQ(instances->size(), 2u);
  EXPECT_EQ((*instances)[0].instance_id, "i-6bc4a34c701a29476");
  EXPECT_EQ((*instances)[1].instance_id, "i-748125b0ed438db59");
}

TEST(AutoScalingClientTest, AFailedSecondPageFailsTheWholeList) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_describe_auto_scaling_instances_page1.xml");
  api.QueueError(Error{ErrorKind::kThrottled, "Rate exceeded", "Throttling", "r", 400, true});

  auto instances = AutoScalingClient(api).DescribeAutoScalingInstances({"i-1", "i-2"});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kThrottled);
}

TEST(AutoScalingClientTest, MoreThanFiftyInstancesAreDescribedFiftyAtATime) {
  FakeAwsApi api;
  std::vector<std::string> ids;
  ids.reserve(51);
  for (int i = 0; i < 51; ++i) {
    ids.push_back("i-" + std::to_string(i));
  }
  api.QueueFile("autoscaling_describe_auto_scaling_instances_page2.xml");
  api.QueueFile("autoscaling_describe_auto_scaling_instances_standby.xml");

  auto instances = AutoScalingClient(api).DescribeAutoScalingInstances(ids);

  ASSERT_TRUE(instances) << instances.error().Describe();
  ASSERT_EQ(api.Calls().size(), 2u);
  EXPECT_EQ(api.Calls()[0].params.size(), 50u);
  EXPECT_EQ(api.Calls()[0].params.back(),
            (std::pair<std::string, std::string>{"InstanceIds.member.50", "i-49"}));
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"InstanceIds.member.1", "i-50"}}));
  EXPECT_EQ(instances->size(), 2u);
}

TEST(AutoScalingClientTest, NoInstanceIdsMeansNoCall) {
  FakeAwsApi api;

  auto instances = AutoScalingClient(api).DescribeAutoScalingInstances({});
  auto groups = AutoScalingClient(api).DescribeAutoScalingGroups({});

  ASSERT_TRUE(instances);
  ASSERT_TRUE(groups);
  EXPECT_TRUE(instances->empty());
  EXPECT_TRUE(groups->empty());
  EXPECT_TRUE(api.Calls().empty());
}

TEST(AutoScalingClientTest, AnInstanceWithoutLifecycleStateIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeAutoScalingInstancesResponse><DescribeAutoScalingInstancesResult>"
      "<AutoScalingInstances><member><InstanceId>i-1</InstanceId><AutoScalingGroupName>g"
      "</AutoScalingGroupName></member></AutoScalingInstances>"
      "</DescribeAutoScalingInstancesResult><ResponseMetadata><RequestId>req-9</RequestId>"
      "</ResponseMetadata></DescribeAutoScalingInstancesResponse>");

  auto instances = AutoScalingClient(api).DescribeAutoScalingInstances({"i-1"});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(instances.error().request_id, "req-9");
}

TEST(AutoScalingClientTest, GroupsReadCapacityTargetGroupsInstancesAndTags) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_describe_auto_scaling_groups.xml");

  auto groups = AutoScalingClient(api).DescribeAutoScalingGroups({"web-asg"});

  ASSERT_TRUE(groups) << groups.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DescribeAutoScalingGroups");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"AutoScalingGroupNames.member.1", "web-asg"}}));
  ASSERT_EQ(groups->size(), 1u);
  const AutoScalingGroup& group = groups->front();
  EXPECT_EQ(group.auto_scaling_group_name, "web-asg");
  EXPECT_EQ(group.auto_scaling_group_arn.rfind("arn:aws:autoscaling:us-east-1:123456789012:", 0),
            0u);
  EXPECT_EQ(group.min_size, 1);
  EXPECT_EQ(group.max_size, 4);
  EXPECT_EQ(group.desired_capacity, 2);
  EXPECT_EQ(group.default_cooldown, 300);
  EXPECT_EQ(group.health_check_type, "EC2");
  EXPECT_EQ(group.availability_zones, (std::vector<std::string>{"us-east-1a", "us-east-1b"}));
  EXPECT_TRUE(group.load_balancer_names.empty());
  EXPECT_EQ(group.target_group_arns,
            (std::vector<std::string>{"arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                                      "targetgroup/tg-2/ec5bd049b3e3238f"}));
  EXPECT_TRUE(group.suspended_processes.empty());
  ASSERT_EQ(group.instances.size(), 2u);
  EXPECT_EQ(group.instances[0].instance_id, "i-6bc4a34c701a29476");
  EXPECT_EQ(group.instances[0].lifecycle_state, "InService");
  EXPECT_EQ(group.instances[0].health_status, "Healthy");
  ASSERT_EQ(group.tags.size(), 1u);
  EXPECT_EQ(group.tags[0].key, "team");
  EXPECT_EQ(group.tags[0].value, "web");
}

TEST(AutoScalingClientTest, AGroupWithoutDesiredCapacityIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeAutoScalingGroupsResponse><DescribeAutoScalingGroupsResult><AutoScalingGroups>"
      "<member><AutoScalingGroupName>g</AutoScalingGroupName><MinSize>1</MinSize></member>"
      "</AutoScalingGroups></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>");

  auto groups = AutoScalingClient(api).DescribeAutoScalingGroups({"g"});

  ASSERT_FALSE(groups);
  EXPECT_EQ(groups.error().kind, ErrorKind::kProvider);
}

TEST(AutoScalingClientTest, EnterStandbyKeepsTheDesiredCapacityAndReturnsTheActivity) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_enter_standby.xml");

  auto done = AutoScalingClient(api).EnterStandby("web-asg", {"i-6bc4a34c701a29476"}, false);

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "EnterStandby");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceIds.member.1", "i-6bc4a34c701a29476"},
                                                {"AutoScalingGroupName", "web-asg"},
                                                {"ShouldDecrementDesiredCapacity", "false"}}));
  EXPECT_EQ(done->request_id, "vtdAxJwpOQiTDkw99x2B0iG2TnSK3vVNsifuZJJULwjCUUetw2hP");
  ASSERT_EQ(done->activities.size(), 1u);
  const ScalingActivity& activity = done->activities.front();
  EXPECT_EQ(activity.activity_id, "6ebf4d82-4584-4629-9bb3-2555cb5ddb04");
  EXPECT_EQ(activity.auto_scaling_group_name, "web-asg");
  EXPECT_EQ(activity.description, "Moving EC2 instance to StandBy: i-6bc4a34c701a29476");
  EXPECT_EQ(activity.status_code, "InProgress");
  EXPECT_EQ(activity.progress, 50);
  EXPECT_EQ(activity.start_time, "2026-12-04T05:04:48.762377Z");
}

TEST(AutoScalingClientTest, EnterStandbyCanDecrementTheDesiredCapacity) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_enter_standby.xml");

  auto done = AutoScalingClient(api).EnterStandby("web-asg", {"i-1", "i-2"}, true);

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceIds.member.1", "i-1"},
                                                {"InstanceIds.member.2", "i-2"},
                                                {"AutoScalingGroupName", "web-asg"},
                                                {"ShouldDecrementDesiredCapacity", "true"}}));
}

TEST(AutoScalingClientTest, ExitStandbySendsNoCapacityFlag) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_exit_standby.xml");

  auto done = AutoScalingClient(api).ExitStandby("web-asg", {"i-6bc4a34c701a29476"});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "ExitStandby");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceIds.member.1", "i-6bc4a34c701a29476"},
                                                {"AutoScalingGroupName", "web-asg"}}));
  ASSERT_EQ(done->activities.size(), 1u);
  EXPECT_EQ(done->activities[0].status_code, "PreInService");
}

TEST(AutoScalingClientTest, DetachInstancesWithoutDecrementingAndAttachBack) {
  FakeAwsApi api;
  api.QueueFile("autoscaling_detach_instances.xml");
  api.QueueFile("autoscaling_attach_instances.xml");
  AutoScalingClient autoscaling(api);

  auto detached = autoscaling.DetachInstances("web-asg", {"i-748125b0ed438db59"}, false);
  auto attached = autoscaling.AttachInstances("web-asg", {"i-748125b0ed438db59"});

  ASSERT_TRUE(detached) << detached.error().Describe();
  ASSERT_TRUE(attached) << attached.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DetachInstances");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceIds.member.1", "i-748125b0ed438db59"},
                                                {"AutoScalingGroupName", "web-asg"},
                                                {"ShouldDecrementDesiredCapacity", "false"}}));
  ASSERT_EQ(detached->activities.size(), 1u);
  EXPECT_EQ(detached->activities[0].description, "Detaching EC2 instance: i-748125b0ed438db59");
  EXPECT_EQ(api.Calls()[1].action, "AttachInstances");
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"InstanceIds.member.1", "i-748125b0ed438db59"},
                                                {"AutoScalingGroupName", "web-asg"}}));
  EXPECT_EQ(attached->request_id, "nNtQHTwFTBhZkwl2FSawqMP5x7DQBdLBc37GTHrLAGPs8qlqZ6hu");
}

TEST(AutoScalingClientTest, SetDesiredCapacityIgnoresTheCooldownUnlessAsked) {
  FakeAwsApi api;
  api.QueueXml(
      "<SetDesiredCapacityResponse><ResponseMetadata><RequestId>req-1</RequestId>"
      "</ResponseMetadata></SetDesiredCapacityResponse>");
  api.QueueXml(
      "<SetDesiredCapacityResponse><ResponseMetadata><RequestId>req-2</RequestId>"
      "</ResponseMetadata></SetDesiredCapacityResponse>");
  AutoScalingClient autoscaling(api);

  auto now = autoscaling.SetDesiredCapacity("web-asg", 2, false);
  auto later = autoscaling.SetDesiredCapacity("web-asg", 3, true);

  ASSERT_TRUE(now) << now.error().Describe();
  ASSERT_TRUE(later) << later.error().Describe();
  EXPECT_EQ(now->request_id, "req-1");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"AutoScalingGroupName", "web-asg"},
                                                {"DesiredCapacity", "2"},
                                                {"HonorCooldown", "false"}}));
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"AutoScalingGroupName", "web-asg"},
                                                {"DesiredCapacity", "3"},
                                                {"HonorCooldown", "true"}}));
}

TEST(AutoScalingClientTest, ScalingActivitiesOfAGroupByIdToTheLastPage) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeScalingActivitiesResponse><DescribeScalingActivitiesResult><Activities/>"
      "<NextToken>more</NextToken></DescribeScalingActivitiesResult>"
      "</DescribeScalingActivitiesResponse>");
  api.QueueFile("autoscaling_describe_scaling_activities.xml");

  auto activities = AutoScalingClient(api).DescribeScalingActivities(
      "web-asg", {"6ebf4d82-4584-4629-9bb3-2555cb5ddb04"});

  ASSERT_TRUE(activities) << activities.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DescribeScalingActivities");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"ActivityIds.member.1", "6ebf4d82-4584-4629-9bb3-2555cb5ddb04"},
                         {"AutoScalingGroupName", "web-asg"}}));
  EXPECT_EQ(api.Calls()[1].params.back(),
            (std::pair<std::string, std::string>{"NextToken", "more"}));
  ASSERT_EQ(activities->size(), 1u);
  EXPECT_EQ(activities->front().status_code, "Successful");
  EXPECT_EQ(activities->front().progress, 100);
}

TEST(AutoScalingClientTest, ChangesWithoutInstancesAreRefusedWithoutACall) {
  FakeAwsApi api;
  AutoScalingClient autoscaling(api);

  auto standby = autoscaling.EnterStandby("g", {}, false);
  auto exit = autoscaling.ExitStandby("g", {});
  auto detach = autoscaling.DetachInstances("g", {}, false);
  auto attach = autoscaling.AttachInstances("g", {});

  ASSERT_FALSE(standby);
  ASSERT_FALSE(exit);
  ASSERT_FALSE(detach);
  ASSERT_FALSE(attach);
  for (const Error* error : {&standby.error(), &exit.error(), &detach.error(), &attach.error()}) {
    EXPECT_EQ(error->kind, ErrorKind::kInvalidInput);
  }
  EXPECT_TRUE(api.Calls().empty());
}

TEST(AutoScalingClientTest, AnUnknownGroupPassesThroughAsValidationError) {
  FakeAwsApi api;
  api.QueueError(ValidationError("AutoScalingGroup name not found - nope"));

  auto done = AutoScalingClient(api).EnterStandby("nope", {"i-1"}, false);

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(done.error().provider_code, "ValidationError");
}

}  // namespace
}  // namespace cordon::aws
