// The exact form parameters of every EC2 change cordon makes, checked against what botocore
// (and so the aws CLI) serializes for the same request.
#include <gtest/gtest.h>

#include <string>

#include "providers/aws/ec2_client.h"
#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

// A successful EC2 answer to `action`, as EC2 writes it.
std::string Ok(const std::string& action, const std::string& request_id) {
  return "<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" +
         request_id + "</requestId><return>true</return></" + action + "Response>";
}

TEST(Ec2MutationsTest, TerminationProtectionOn) {
  FakeAwsApi api;
  api.QueueXml(Ok("ModifyInstanceAttribute", "req-1"));

  auto done = Ec2Client(api).SetDisableApiTermination("i-1", true);

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->request_id, "req-1");
  EXPECT_EQ(api.Calls()[0].action, "ModifyInstanceAttribute");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"InstanceId", "i-1"}, {"DisableApiTermination.Value", "true"}}));
}

TEST(Ec2MutationsTest, ShutdownBehaviourStop) {
  FakeAwsApi api;
  api.QueueXml(Ok("ModifyInstanceAttribute", "req-1"));

  auto done = Ec2Client(api).SetInstanceInitiatedShutdownBehavior("i-1", "stop");

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(
      api.Calls()[0].params,
      (QueryParams{{"InstanceId", "i-1"}, {"InstanceInitiatedShutdownBehavior.Value", "stop"}}));
}

TEST(Ec2MutationsTest, DeleteOnTerminationPerDevice) {
  FakeAwsApi api;
  api.QueueXml(Ok("ModifyInstanceAttribute", "req-1"));

  auto done =
      Ec2Client(api).SetDeleteOnTermination("i-1", {{"/dev/sda1", false}, {"/dev/sdf", false}});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"InstanceId", "i-1"},
                         {"BlockDeviceMapping.1.DeviceName", "/dev/sda1"},
                         {"BlockDeviceMapping.1.Ebs.DeleteOnTermination", "false"},
                         {"BlockDeviceMapping.2.DeviceName", "/dev/sdf"},
                         {"BlockDeviceMapping.2.Ebs.DeleteOnTermination", "false"}}));
}

TEST(Ec2MutationsTest, ChangesWithNothingToChangeAreRefusedWithoutACall) {
  FakeAwsApi api;
  Ec2Client ec2(api);

  auto devices = ec2.SetDeleteOnTermination("i-1", {});
  auto rules = ec2.RevokeSecurityGroupEgress("sg-1", {});
  auto groups = ec2.SetNetworkInterfaceSecurityGroups("eni-1", {});
  auto tags = ec2.CreateTags({"i-1"}, {});

  for (const auto* result : {&devices, &rules, &groups, &tags}) {
    ASSERT_FALSE(*result);
    EXPECT_EQ(result->error().kind, ErrorKind::kInvalidInput);
  }
  EXPECT_TRUE(api.Calls().empty());
}

TEST(Ec2MutationsTest, CreateSnapshotsOfAnInstanceTagsEverySnapshot) {
  FakeAwsApi api;
  api.QueueFile("ec2_create_snapshots.xml");
  CreateSnapshotsRequest request;
  request.instance_id = "i-aaaaccc01e64b1ff3";
  request.description = "cordon case c1: evidence";
  request.tags = {{"IR-Case", "c1"}, {"Name", "cordon-c1"}};

  auto created = Ec2Client(api).CreateSnapshots(request);

  ASSERT_TRUE(created) << created.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "CreateSnapshots");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"InstanceSpecification.InstanceId", "i-aaaaccc01e64b1ff3"},
                         {"Description", "cordon case c1: evidence"},
                         {"TagSpecification.1.ResourceType", "snapshot"},
                         {"TagSpecification.1.Tag.1.Key", "IR-Case"},
                         {"TagSpecification.1.Tag.1.Value", "c1"},
                         {"TagSpecification.1.Tag.2.Key", "Name"},
                         {"TagSpecification.1.Tag.2.Value", "cordon-c1"}}));
  EXPECT_EQ(created->request_id, "request-id");
  ASSERT_EQ(created->snapshots.size(), 2u);
  EXPECT_EQ(created->snapshots[0].snapshot_id, "snap-54805072f48e7f663");
  EXPECT_EQ(created->snapshots[0].volume_id, "vol-2edd178c9ec6ef6f3");
  EXPECT_EQ(created->snapshots[1].snapshot_id, "snap-c86579fd5d4164148");
  EXPECT_EQ(created->snapshots[1].volume_id, "vol-6845bd159dc7e9055");
}

TEST(Ec2MutationsTest, CreateSnapshotsReadsTheStateElementOfItsOwnShape) {
  FakeAwsApi api;
  api.QueueXml(
      "<CreateSnapshotsResponse><requestId>r</requestId><snapshotSet><item>"
      "<snapshotId>snap-1</snapshotId><volumeId>vol-1</volumeId><state>pending</state>"
      "</item></snapshotSet></CreateSnapshotsResponse>");

  auto created = Ec2Client(api).CreateSnapshots({"i-1", "", {}});

  ASSERT_TRUE(created) << created.error().Describe();
  EXPECT_EQ(created->snapshots.at(0).state, "pending");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceSpecification.InstanceId", "i-1"}}));
}

TEST(Ec2MutationsTest, CreateSecurityGroupInAVpcWithTags) {
  FakeAwsApi api;
  api.QueueFile("ec2_create_security_group.xml");

  auto created = Ec2Client(api).CreateSecurityGroup("cordon-quarantine", "no traffic", "vpc-1",
                                                    {{"IR-Case", "c1"}});

  ASSERT_TRUE(created) << created.error().Describe();
  EXPECT_EQ(created->group_id, "sg-12e460c287a53136c");
  EXPECT_EQ(api.Calls()[0].action, "CreateSecurityGroup");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"GroupName", "cordon-quarantine"},
                         {"GroupDescription", "no traffic"},
                         {"VpcId", "vpc-1"},
                         {"TagSpecification.1.ResourceType", "security-group"},
                         {"TagSpecification.1.Tag.1.Key", "IR-Case"},
                         {"TagSpecification.1.Tag.1.Value", "c1"}}));
}

TEST(Ec2MutationsTest, CreateSecurityGroupWithoutGroupIdIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<CreateSecurityGroupResponse><requestId>req-5</requestId></CreateSecurityGroupResponse>");

  auto created = Ec2Client(api).CreateSecurityGroup("g", "d", "vpc-1", {});

  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(created.error().request_id, "req-5");
}

TEST(Ec2MutationsTest, RevokeEgressSendsEverySourceOfEveryRule) {
  FakeAwsApi api;
  api.QueueXml(Ok("RevokeSecurityGroupEgress", "req-1"));
  IpPermission all;
  all.ip_protocol = "-1";
  all.ip_ranges = {{"0.0.0.0/0", "every address"}};
  all.ipv6_ranges = {{"::/0", ""}};
  IpPermission database;
  database.ip_protocol = "tcp";
  database.from_port = 5432;
  database.to_port = 5432;
  database.prefix_list_ids = {{"pl-1", ""}};
  database.user_id_group_pairs = {{"sg-db", "", "123456789012", "", "", "to db"}};

  auto done = Ec2Client(api).RevokeSecurityGroupEgress("sg-q", {all, database});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "RevokeSecurityGroupEgress");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"GroupId", "sg-q"},
                         {"IpPermissions.1.IpProtocol", "-1"},
                         {"IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"},
                         {"IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "::/0"},
                         {"IpPermissions.2.IpProtocol", "tcp"},
                         {"IpPermissions.2.FromPort", "5432"},
                         {"IpPermissions.2.ToPort", "5432"},
                         {"IpPermissions.2.PrefixListIds.1.PrefixListId", "pl-1"},
                         {"IpPermissions.2.Groups.1.GroupId", "sg-db"}}));
}

TEST(Ec2MutationsTest, ReturnFalseMeansTheChangeWasNotMade) {
  FakeAwsApi api;
  api.QueueXml(
      "<RevokeSecurityGroupEgressResponse><requestId>req-7</requestId><return>false</return>"
      "</RevokeSecurityGroupEgressResponse>");
  IpPermission all;
  all.ip_protocol = "-1";

  auto done = Ec2Client(api).RevokeSecurityGroupEgress("sg-q", {all});

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(done.error().request_id, "req-7");
}

TEST(Ec2MutationsTest, IsolatesOneInterfaceWithTheInterfaceLevelCall) {
  FakeAwsApi api;
  api.QueueXml(Ok("ModifyNetworkInterfaceAttribute", "req-1"));

  auto done = Ec2Client(api).SetNetworkInterfaceSecurityGroups("eni-2", {"sg-q"});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "ModifyNetworkInterfaceAttribute");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"NetworkInterfaceId", "eni-2"}, {"SecurityGroupId.1", "sg-q"}}));
}

TEST(Ec2MutationsTest, CreateTagsOnEveryResource) {
  FakeAwsApi api;
  api.QueueXml(Ok("CreateTags", "req-1"));

  auto done =
      Ec2Client(api).CreateTags({"i-1", "vol-1"}, {{"IR-Case", "c1"}, {"IR-Status", "contained"}});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "CreateTags");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"ResourceId.1", "i-1"},
                                                {"ResourceId.2", "vol-1"},
                                                {"Tag.1.Key", "IR-Case"},
                                                {"Tag.1.Value", "c1"},
                                                {"Tag.2.Key", "IR-Status"},
                                                {"Tag.2.Value", "contained"}}));
}

TEST(Ec2MutationsTest, AFailedChangeReturnsTheProviderError) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kPermission, "not authorized", "UnauthorizedOperation", "req-3",
                       403, false});

  auto done = Ec2Client(api).CreateTags({"i-1"}, {{"IR-Case", "c1"}});

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kPermission);
  EXPECT_EQ(done.error().request_id, "req-3");
}

}  // namespace
}  // namespace cordon::aws
