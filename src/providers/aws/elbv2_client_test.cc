// Elbv2Client over real moto responses: parsing, the exact form parameters (checked against what
// botocore, and so the aws CLI, sends), Marker pagination, the instance lookup and errors.
#include "providers/aws/elbv2_client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

constexpr char kTg0[] =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-0/209a2662ddac6259";
constexpr char kTg1[] =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-1/86a8305144b8a0ac";
constexpr char kTg2[] =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-2/ec5bd049b3e3238f";
constexpr char kInstance[] = "i-4e8b695ca174d76d0";

// A DescribeTargetHealth answer listing `members` (<member> elements).
std::string HealthXml(const std::string& members) {
  return "<DescribeTargetHealthResponse><DescribeTargetHealthResult><TargetHealthDescriptions>" +
         members +
         "</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>"
         "h</RequestId></ResponseMetadata></DescribeTargetHealthResponse>";
}

std::string GroupXml(const std::string& arn, const std::string& type) {
  return "<member><TargetGroupArn>" + arn + "</TargetGroupArn><TargetGroupName>" + type +
         "-group</TargetGroupName><TargetType>" + type + "</TargetType></member>";
}

Error TargetGroupNotFound() {
  return Error{ErrorKind::kProvider,
               "One or more target groups not found",
               "TargetGroupNotFound",
               "req-nf",
               400,
               false};
}

TEST(Elbv2ClientTest, TargetGroupsAreReadToTheLastMarker) {
  FakeAwsApi api;
  api.QueueFile("elbv2_describe_target_groups_page1.xml");
  api.QueueFile("elbv2_describe_target_groups_page2.xml");

  auto groups = Elbv2Client(api).DescribeTargetGroups();

  ASSERT_TRUE(groups) << groups.error().Describe();
  ASSERT_EQ(api.Calls().size(), 2u);
  EXPECT_EQ(api.Calls()[0].service, "elasticloadbalancing");
  EXPECT_EQ(api.Calls()[0].action, "DescribeTargetGroups");
  EXPECT_TRUE(api.Calls()[0].params.empty());
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"Marker", "bWFya2VyLXBhZ2UtMg=="}}));
  ASSERT_EQ(groups->size(), 3u);
  const TargetGroup& first = groups->front();
  EXPECT_EQ(first.target_group_arn, kTg0);
  EXPECT_EQ(first.target_group_name, "tg-0");
  EXPECT_EQ(first.protocol, "HTTP");
  EXPECT_EQ(first.port, 80);
  EXPECT_EQ(first.vpc_id, "vpc-300df795998a0bfef");
  EXPECT_EQ(first.target_type, "instance");
  EXPECT_TRUE(first.load_balancer_arns.empty());
  EXPECT_EQ((*groups)[2].target_group_arn, kTg2);
}

TEST(Elbv2ClientTest, AWholeListInOnePageAsMotoAnswers) {
  FakeAwsApi api;
  api.QueueFile("elbv2_describe_target_groups.xml");

  auto groups = Elbv2Client(api).DescribeTargetGroups();

  ASSERT_TRUE(groups) << groups.error().Describe();
  EXPECT_EQ(groups->size(), 3u);
  EXPECT_EQ(api.Calls().size(), 1u);
}

TEST(Elbv2ClientTest, AGroupsPageWithoutTheListIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeTargetGroupsResponse><DescribeTargetGroupsResult/><ResponseMetadata><RequestId>r"
      "</RequestId></ResponseMetadata></DescribeTargetGroupsResponse>");

  auto groups = Elbv2Client(api).DescribeTargetGroups();

  ASSERT_FALSE(groups);
  EXPECT_EQ(groups.error().kind, ErrorKind::kProvider);
}

TEST(Elbv2ClientTest, TargetHealthReadsTargetsAndStates) {
  FakeAwsApi api;
  api.QueueFile("elbv2_describe_target_health.xml");

  auto targets = Elbv2Client(api).DescribeTargetHealth(kTg0);

  ASSERT_TRUE(targets) << targets.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DescribeTargetHealth");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"TargetGroupArn", kTg0}}));
  ASSERT_EQ(targets->size(), 2u);
  const TargetHealthDescription& first = targets->front();
  EXPECT_EQ(first.target.id, kInstance);
  EXPECT_EQ(first.target.port, 80);
  EXPECT_EQ(first.target.availability_zone, "");
  EXPECT_EQ(first.health_check_port, "traffic-port");
  EXPECT_EQ(first.state, "healthy");
  EXPECT_EQ((*targets)[1].target.id, "i-6bc4a34c701a29476");
}

TEST(Elbv2ClientTest, TargetHealthReadsReasonAndZone) {
  FakeAwsApi api;
  api.QueueXml(HealthXml(
      "<member><Target><Id>10.0.1.6</Id><Port>443</Port><AvailabilityZone>all</AvailabilityZone>"
      "</Target><TargetHealth><State>unused</State><Reason>Target.NotInUse</Reason>"
      "<Description>Target group is not configured to receive traffic</Description>"
      "</TargetHealth></member>"));

  auto targets = Elbv2Client(api).DescribeTargetHealth(kTg1);

  ASSERT_TRUE(targets) << targets.error().Describe();
  ASSERT_EQ(targets->size(), 1u);
  EXPECT_EQ(targets->front().target.availability_zone, "all");
  EXPECT_EQ(targets->front().state, "unused");
  EXPECT_EQ(targets->front().reason, "Target.NotInUse");
  EXPECT_FALSE(targets->front().description.empty());
}

TEST(Elbv2ClientTest, ATargetWithoutStateIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(HealthXml("<member><Target><Id>i-1</Id></Target></member>"));

  auto targets = Elbv2Client(api).DescribeTargetHealth(kTg1);

  ASSERT_FALSE(targets);
  EXPECT_EQ(targets.error().kind, ErrorKind::kProvider);
}

TEST(Elbv2ClientTest, AnInstanceIsFoundInEveryGroupThatHoldsIt) {
  FakeAwsApi api;
  api.QueueFile("elbv2_describe_target_groups_page1.xml");
  api.QueueFile("elbv2_describe_target_groups_page2.xml");
  api.QueueFile("elbv2_describe_target_health.xml");
  api.QueueXml(HealthXml(std::string("<member><Target><Id>") + kInstance +
                         "</Id><Port>8080</Port></Target><TargetHealth><State>draining</State>"
                         "</TargetHealth></member>"));
  api.QueueError(TargetGroupNotFound());

  auto found = Elbv2Client(api).FindTargetsOfInstance(kInstance, {"10.0.1.6"});

  ASSERT_TRUE(found) << found.error().Describe();
  ASSERT_EQ(api.Calls().size(), 5u);
  EXPECT_EQ(api.Calls()[2].params, (QueryParams{{"TargetGroupArn", kTg0}}));
  EXPECT_EQ(api.Calls()[3].params, (QueryParams{{"TargetGroupArn", kTg1}}));
  EXPECT_EQ(api.Calls()[4].params, (QueryParams{{"TargetGroupArn", kTg2}}));
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].target_group_arn, kTg0);
  EXPECT_EQ((*found)[0].target_group_name, "tg-0");
  EXPECT_EQ((*found)[0].target.target.port, 80);
  EXPECT_EQ((*found)[1].target_group_arn, kTg1);
  EXPECT_EQ((*found)[1].target.target.port, 8080);
  EXPECT_EQ((*found)[1].target.state, "draining");
}

TEST(Elbv2ClientTest, IpGroupsMatchTheInstanceAddressesAndOtherTypesAreNotRead) {
  FakeAwsApi api;
  api.QueueXml("<DescribeTargetGroupsResponse><DescribeTargetGroupsResult><TargetGroups>" +
               GroupXml("arn:ip", "ip") + GroupXml("arn:lambda", "lambda") +
               GroupXml("arn:alb", "alb") +
               "</TargetGroups></DescribeTargetGroupsResult></DescribeTargetGroupsResponse>");
  api.QueueXml(HealthXml(
      "<member><Target><Id>10.0.1.9</Id><Port>80</Port></Target><TargetHealth><State>healthy"
      "</State></TargetHealth></member><member><Target><Id>10.0.1.6</Id><Port>80</Port>"
      "</Target><TargetHealth><State>healthy</State></TargetHealth></member>"));

  auto found = Elbv2Client(api).FindTargetsOfInstance(kInstance, {"10.0.1.6", "2001:db8::6"});

  ASSERT_TRUE(found) << found.error().Describe();
  ASSERT_EQ(api.Calls().size(), 2u);
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"TargetGroupArn", "arn:ip"}}));
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().target_type, "ip");
  EXPECT_EQ(found->front().target.target.id, "10.0.1.6");
}

TEST(Elbv2ClientTest, AFailureOtherThanAVanishedGroupFailsTheLookup) {
  FakeAwsApi api;
  api.QueueFile("elbv2_describe_target_groups.xml");
  api.QueueError(Error{ErrorKind::kPermission, "not authorized", "AccessDenied", "r", 403, false});

  auto found = Elbv2Client(api).FindTargetsOfInstance(kInstance, {});

  ASSERT_FALSE(found);
  EXPECT_EQ(found.error().kind, ErrorKind::kPermission);
  EXPECT_EQ(api.Calls().size(), 2u);
}

TEST(Elbv2ClientTest, DeregisterTargetsSendsIdPortAndZoneAsTheCliDoes) {
  FakeAwsApi api;
  api.QueueFile("elbv2_deregister_targets.xml");

  auto done =
      Elbv2Client(api).DeregisterTargets(kTg0, {{kInstance, 80, ""}, {"10.0.1.6", {}, "all"}});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->request_id, "YzEfgQksJbiqtYo4yUPVx1juBZsCKRa3tpWePfTOaDwGWwGsVdMX");
  EXPECT_EQ(api.Calls()[0].action, "DeregisterTargets");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"TargetGroupArn", kTg0},
                                                {"Targets.member.1.Id", kInstance},
                                                {"Targets.member.1.Port", "80"},
                                                {"Targets.member.2.Id", "10.0.1.6"},
                                                {"Targets.member.2.AvailabilityZone", "all"}}));
}

TEST(Elbv2ClientTest, RegisterTargetsSendsTheSameShape) {
  FakeAwsApi api;
  api.QueueFile("elbv2_register_targets.xml");

  auto done = Elbv2Client(api).RegisterTargets(kTg0, {{kInstance, 80, ""}});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "RegisterTargets");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"TargetGroupArn", kTg0},
                                                {"Targets.member.1.Id", kInstance},
                                                {"Targets.member.1.Port", "80"}}));
}

TEST(Elbv2ClientTest, TargetChangesWithoutTargetsAreRefusedWithoutACall) {
  FakeAwsApi api;
  Elbv2Client elbv2(api);

  auto registered = elbv2.RegisterTargets(kTg0, {});
  auto deregistered = elbv2.DeregisterTargets(kTg0, {});

  ASSERT_FALSE(registered);
  ASSERT_FALSE(deregistered);
  EXPECT_EQ(registered.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(deregistered.error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(api.Calls().empty());
}

TEST(Elbv2ClientTest, AnUnknownTargetGroupPassesThroughWithItsCode) {
  FakeAwsApi api;
  api.QueueError(TargetGroupNotFound());

  auto done = Elbv2Client(api).DeregisterTargets(kTg0, {{kInstance, 80, ""}});

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().provider_code, "TargetGroupNotFound");
}

}  // namespace
}  // namespace cordon::aws
