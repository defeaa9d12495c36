#include "providers/aws/ec2_client.h"

#include <gtest/gtest.h>

#include <string>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

constexpr char kInstance[] = "i-aaaaccc01e64b1ff3";
constexpr char kWeb[] = "sg-2afe2c4b85578c969";
constexpr char kDb[] = "sg-e65a71947565c606f";

Error Throttled() {
  return Error{ErrorKind::kThrottled, "Rate exceeded", "RequestLimitExceeded", "req-9", 503, true};
}

TEST(Ec2ClientTest, DescribeInstancesReadsAnInstanceWithTwoInterfacesAndTwoVolumes) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_instances.xml");

  auto instances = Ec2Client(api).DescribeInstances({kInstance});

  ASSERT_TRUE(instances) << instances.error().Describe();
  ASSERT_EQ(instances->size(), 1u);
  const Instance& instance = instances->front();
  EXPECT_EQ(instance.instance_id, kInstance);
  EXPECT_EQ(instance.state_name, "running");
  EXPECT_EQ(instance.instance_type, "t3.micro");
  EXPECT_EQ(instance.image_id, "ami-12c6146b");
  EXPECT_EQ(instance.launch_time, "2026-12-04T03:54:56.000Z");
  EXPECT_EQ(instance.vpc_id, "vpc-876a5d863d2f1bc68");
  EXPECT_EQ(instance.subnet_id, "subnet-5f306d32b7194321d");
  EXPECT_EQ(instance.availability_zone, "us-east-1a");
  EXPECT_EQ(instance.private_ip_address, "10.0.1.4");
  EXPECT_EQ(instance.public_ip_address, "");
  EXPECT_EQ(instance.iam_instance_profile_arn,
            "arn:aws:iam::123456789012:instance-profile/app-profile");
  ASSERT_EQ(instance.security_groups.size(), 1u);
  EXPECT_EQ(instance.security_groups[0].group_id, kWeb);
  EXPECT_EQ(instance.security_groups[0].group_name, "web");
  ASSERT_EQ(instance.tags.size(), 2u);
  EXPECT_EQ(instance.tags[0].key, "Name");
  EXPECT_EQ(instance.tags[0].value, "victim");
  EXPECT_EQ(instance.tags[1].key, "Env");

  ASSERT_EQ(instance.block_devices.size(), 2u);
  EXPECT_EQ(instance.block_devices[0].device_name, "/dev/sda1");
  EXPECT_EQ(instance.block_devices[0].volume_id, "vol-2edd178c9ec6ef6f3");
  EXPECT_TRUE(instance.block_devices[0].delete_on_termination);
  EXPECT_EQ(instance.block_devices[1].device_name, "/dev/sdf");
  EXPECT_EQ(instance.block_devices[1].volume_id, "vol-6845bd159dc7e9055");
  EXPECT_FALSE(instance.block_devices[1].delete_on_termination);

  ASSERT_EQ(instance.network_interfaces.size(), 2u);
  const NetworkInterface& primary = instance.network_interfaces[0];
  EXPECT_EQ(primary.network_interface_id, "eni-35176c124a9aa2a04");
  EXPECT_FALSE(primary.association.has_value()) << "an empty <association/> is no association";
  ASSERT_TRUE(primary.attachment.has_value());
  EXPECT_EQ(primary.attachment->device_index, 0);
  const NetworkInterface& second = instance.network_interfaces[1];
  EXPECT_EQ(second.network_interface_id, "eni-bbc8bfddce4af6f4c");
  ASSERT_EQ(second.groups.size(), 2u);
  EXPECT_EQ(second.groups[0].group_id, kDb);
  EXPECT_EQ(second.groups[1].group_id, kWeb);
  ASSERT_TRUE(second.association.has_value());
  EXPECT_EQ(second.association->public_ip, "127.210.75.98");
  ASSERT_TRUE(second.attachment.has_value());
  EXPECT_EQ(second.attachment->device_index, 1);
  EXPECT_EQ(second.ipv6_addresses,
            std::vector<std::string>{"2400:6500:891d:8900:4094:f3e5:ff33:1729"});
}

TEST(Ec2ClientTest, DescribeInstancesSendsNumberedInstanceIds) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_instances.xml");

  (void)Ec2Client(api).DescribeInstances({"i-1", "i-2"});

  ASSERT_EQ(api.Calls().size(), 1u);
  EXPECT_EQ(api.Calls()[0].service, "ec2");
  EXPECT_EQ(api.Calls()[0].action, "DescribeInstances");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"InstanceId.1", "i-1"}, {"InstanceId.2", "i-2"}}));
}

TEST(Ec2ClientTest, DescribeInstancesOfNoIdsMakesNoCall) {
  FakeAwsApi api;

  auto instances = Ec2Client(api).DescribeInstances({});

  ASSERT_TRUE(instances);
  EXPECT_TRUE(instances->empty());
  EXPECT_TRUE(api.Calls().empty());
}

TEST(Ec2ClientTest, DescribeInstancesFollowsNextTokenToTheLastPage) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_instances_page1.xml");
  api.QueueFile("ec2_describe_instances_page2.xml");

  auto instances = Ec2Client(api).DescribeInstances({"i-95542cf5ad5e13de7", "i-0ff19406ac4758f54"});

  ASSERT_TRUE(instances) << instances.error().Describe();
  ASSERT_EQ(instances->size(), 2u);
  EXPECT_EQ((*instances)[0].instance_id, "i-95542cf5ad5e13de7");
  EXPECT_EQ((*instances)[1].instance_id, "i-0ff19406ac4758f54");
  EXPECT_EQ((*instances)[0].public_ip_address, "54.214.71.50");
  ASSERT_EQ(api.Calls().size(), 2u);
  EXPECT_EQ(api.Pending(), 0u);
  EXPECT_EQ(api.Calls()[0].params.size(), 2u);
  EXPECT_EQ(api.Calls()[1].params.back(),
            (std::pair<std::string, std::string>{"NextToken", "r-8ae466d3f84ac0f6e"}));
}

TEST(Ec2ClientTest, AFailedSecondPageFailsTheWholeList) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_instances_page1.xml");
  api.QueueError(Throttled());

  auto instances = Ec2Client(api).DescribeInstances({"i-95542cf5ad5e13de7"});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kThrottled);
  EXPECT_EQ(instances.error().provider_code, "RequestLimitExceeded");
  EXPECT_EQ(instances.error().request_id, "req-9");
  EXPECT_NE(instances.error().message.find("page 2"), std::string::npos);
}

TEST(Ec2ClientTest, ARepeatedNextTokenIsAnErrorNotALoop) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_instances_page1.xml");
  api.QueueFile("ec2_describe_instances_page1.xml");

  auto instances = Ec2Client(api).DescribeInstances({"i-95542cf5ad5e13de7"});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(api.Calls().size(), 2u);
}

TEST(Ec2ClientTest, AnInstanceWithoutInstanceIdIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeInstancesResponse><requestId>req-1</requestId><reservationSet><item>"
      "<instancesSet><item><instanceType>t3.micro</instanceType></item></instancesSet>"
      "</item></reservationSet></DescribeInstancesResponse>");

  auto instances = Ec2Client(api).DescribeInstances({kInstance});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(instances.error().request_id, "req-1");
  EXPECT_NE(instances.error().message.find("instanceId"), std::string::npos);
}

TEST(Ec2ClientTest, AResponseWithoutItsListIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml("<DescribeInstancesResponse><requestId>r</requestId></DescribeInstancesResponse>");

  auto instances = Ec2Client(api).DescribeInstances({kInstance});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kProvider);
}

TEST(Ec2ClientTest, AResponseToAnotherActionIsAProviderError) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_volumes.xml");

  auto instances = Ec2Client(api).DescribeInstances({kInstance});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kProvider);
  EXPECT_NE(instances.error().message.find("DescribeVolumesResponse"), std::string::npos);
}

TEST(Ec2ClientTest, ProviderErrorsPassThroughUnchanged) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kNotFound, "The instance ID does not exist",
                       "InvalidInstanceID.NotFound", "req-2", 400, false});

  auto instances = Ec2Client(api).DescribeInstances({kInstance});

  ASSERT_FALSE(instances);
  EXPECT_EQ(instances.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(instances.error().provider_code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(instances.error().message, "The instance ID does not exist");
}

TEST(Ec2ClientTest, InterfacesOfAnInstanceAreFilteredByAttachment) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_network_interfaces.xml");

  auto interfaces = Ec2Client(api).DescribeNetworkInterfacesForInstance(kInstance);

  ASSERT_TRUE(interfaces) << interfaces.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DescribeNetworkInterfaces");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"Filter.1.Name", "attachment.instance-id"},
                                                {"Filter.1.Value.1", kInstance}}));
  ASSERT_EQ(interfaces->size(), 2u);
  const NetworkInterface& primary = (*interfaces)[0];
  EXPECT_EQ(primary.network_interface_id, "eni-35176c124a9aa2a04");
  EXPECT_EQ(primary.description, "Primary network interface");
  EXPECT_EQ(primary.availability_zone, "us-east-1a");
  EXPECT_FALSE(primary.association.has_value());
  const NetworkInterface& second = (*interfaces)[1];
  ASSERT_EQ(second.groups.size(), 2u);
  EXPECT_EQ(second.groups[0].group_id, kDb);
  EXPECT_EQ(second.groups[0].group_name, "db");
  ASSERT_TRUE(second.attachment.has_value());
  EXPECT_EQ(second.attachment->attachment_id, "eni-attach-1dbed2c0b25940690");
  EXPECT_EQ(second.attachment->instance_id, kInstance);
  EXPECT_EQ(second.attachment->device_index, 1);
  EXPECT_FALSE(second.attachment->delete_on_termination);
  EXPECT_EQ(second.attachment->status, "attached");
  ASSERT_TRUE(second.association.has_value());
  EXPECT_EQ(second.association->public_ip, "127.210.75.98");
  EXPECT_EQ(second.association->allocation_id, "eipalloc-bd1a89eb6780855f5");
  EXPECT_EQ(second.association->association_id, "eipassoc-ffb0abc402fbd4c31");
  EXPECT_EQ(second.association->ip_owner_id, "123456789012");
  EXPECT_EQ(second.ipv6_addresses.size(), 1u);
}

TEST(Ec2ClientTest, InterfacesById) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_network_interfaces.xml");

  auto interfaces = Ec2Client(api).DescribeNetworkInterfaces({"eni-1", "eni-2"});

  ASSERT_TRUE(interfaces);
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"NetworkInterfaceId.1", "eni-1"}, {"NetworkInterfaceId.2", "eni-2"}}));
}

TEST(Ec2ClientTest, VolumesOfAnInstanceWithTheirAttachments) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_volumes.xml");

  auto volumes = Ec2Client(api).DescribeVolumesForInstance(kInstance);

  ASSERT_TRUE(volumes) << volumes.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DescribeVolumes");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"Filter.1.Name", "attachment.instance-id"},
                                                {"Filter.1.Value.1", kInstance}}));
  ASSERT_EQ(volumes->size(), 2u);
  const Volume& root = (*volumes)[0];
  EXPECT_EQ(root.volume_id, "vol-2edd178c9ec6ef6f3");
  EXPECT_EQ(root.volume_type, "gp2");
  EXPECT_EQ(root.size_gib, 8);
  EXPECT_FALSE(root.encrypted);
  EXPECT_EQ(root.state, "in-use");
  ASSERT_EQ(root.attachments.size(), 1u);
  EXPECT_EQ(root.attachments[0].instance_id, kInstance);
  EXPECT_EQ(root.attachments[0].device, "/dev/sda1");
  EXPECT_EQ(root.attachments[0].state, "attached");
  EXPECT_EQ((*volumes)[1].size_gib, 20);
  EXPECT_EQ((*volumes)[1].volume_type, "gp3");
}

TEST(Ec2ClientTest, SecurityGroupsWithIpv4Ipv6AndGroupRules) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_security_groups.xml");

  auto groups = Ec2Client(api).DescribeSecurityGroups({kWeb, kDb});

  ASSERT_TRUE(groups) << groups.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"GroupId.1", kWeb}, {"GroupId.2", kDb}}));
  ASSERT_EQ(groups->size(), 2u);
  const SecurityGroup& web = (*groups)[0];
  EXPECT_EQ(web.group_id, kWeb);
  EXPECT_EQ(web.group_name, "web");
  EXPECT_EQ(web.description, "web tier");
  EXPECT_EQ(web.vpc_id, "vpc-876a5d863d2f1bc68");
  ASSERT_EQ(web.tags.size(), 1u);
  EXPECT_EQ(web.tags[0].value, "web");

  ASSERT_EQ(web.ip_permissions.size(), 2u);
  const IpPermission& https = web.ip_permissions[0];
  EXPECT_EQ(https.ip_protocol, "tcp");
  EXPECT_EQ(https.from_port, 443);
  EXPECT_EQ(https.to_port, 443);
  ASSERT_EQ(https.ip_ranges.size(), 1u);
  EXPECT_EQ(https.ip_ranges[0].cidr_ip, "0.0.0.0/0");
  EXPECT_EQ(https.ip_ranges[0].description, "https");
  ASSERT_EQ(https.ipv6_ranges.size(), 1u);
  EXPECT_EQ(https.ipv6_ranges[0].cidr_ipv6, "::/0");
  const IpPermission& ssh = web.ip_permissions[1];
  ASSERT_EQ(ssh.user_id_group_pairs.size(), 1u);
  EXPECT_EQ(ssh.user_id_group_pairs[0].group_id, kDb);
  EXPECT_EQ(ssh.user_id_group_pairs[0].user_id, "123456789012");

  ASSERT_EQ(web.ip_permissions_egress.size(), 2u);
  const IpPermission& all = web.ip_permissions_egress[0];
  EXPECT_EQ(all.ip_protocol, "-1");
  EXPECT_FALSE(all.from_port.has_value());
  EXPECT_FALSE(all.to_port.has_value());
  EXPECT_EQ(web.ip_permissions_egress[1].user_id_group_pairs[0].description, "to db");
  EXPECT_TRUE((*groups)[1].ip_permissions.empty());
}

TEST(Ec2ClientTest, FindSecurityGroupsFiltersByNameAndVpc) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeSecurityGroupsResponse><requestId>r</requestId><securityGroupInfo/>"
      "</DescribeSecurityGroupsResponse>");

  auto groups = Ec2Client(api).FindSecurityGroups("cordon-quarantine", "vpc-1");

  ASSERT_TRUE(groups) << groups.error().Describe();
  EXPECT_TRUE(groups->empty());
  EXPECT_EQ(api.Calls()[0].action, "DescribeSecurityGroups");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"Filter.1.Name", "group-name"},
                                                {"Filter.1.Value.1", "cordon-quarantine"},
                                                {"Filter.2.Name", "vpc-id"},
                                                {"Filter.2.Value.1", "vpc-1"}}));
}

TEST(Ec2ClientTest, DescribeSnapshotsAsksForOwnSnapshotsMatchingEveryFilter) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_snapshots.xml");

  auto snapshots = Ec2Client(api).DescribeSnapshots(
      {{"tag:IR-Case", {"c1"}}, {"volume-id", {"vol-2edd178c9ec6ef6f3", "vol-6845bd159dc7e9055"}}});

  ASSERT_TRUE(snapshots) << snapshots.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"Owner.1", "self"},
                                                {"Filter.1.Name", "tag:IR-Case"},
                                                {"Filter.1.Value.1", "c1"},
                                                {"Filter.2.Name", "volume-id"},
                                                {"Filter.2.Value.1", "vol-2edd178c9ec6ef6f3"},
                                                {"Filter.2.Value.2", "vol-6845bd159dc7e9055"}}));
  ASSERT_EQ(snapshots->size(), 2u);
  EXPECT_EQ((*snapshots)[0].snapshot_id, "snap-54805072f48e7f663");
  EXPECT_EQ((*snapshots)[0].volume_id, "vol-2edd178c9ec6ef6f3");
  EXPECT_EQ((*snapshots)[0].state, "completed");
  EXPECT_EQ((*snapshots)[0].volume_size_gib, 8);
  ASSERT_EQ((*snapshots)[0].tags.size(), 1u);
  EXPECT_EQ((*snapshots)[0].tags[0].key, "IR-Case");
  EXPECT_EQ((*snapshots)[1].volume_id, "vol-6845bd159dc7e9055");
}

TEST(Ec2ClientTest, ReadsTerminationProtectionAndShutdownBehaviour) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_instance_attribute_termination.xml");
  api.QueueFile("ec2_describe_instance_attribute_shutdown.xml");
  Ec2Client ec2(api);

  auto termination = ec2.DescribeDisableApiTermination(kInstance);
  auto shutdown = ec2.DescribeInstanceInitiatedShutdownBehavior(kInstance);

  ASSERT_TRUE(termination) << termination.error().Describe();
  ASSERT_TRUE(shutdown) << shutdown.error().Describe();
  EXPECT_FALSE(*termination);
  EXPECT_EQ(*shutdown, "stop");
  EXPECT_EQ(api.Calls()[0].action, "DescribeInstanceAttribute");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"InstanceId", kInstance}, {"Attribute", "disableApiTermination"}}));
  EXPECT_EQ(
      api.Calls()[1].params,
      (QueryParams{{"InstanceId", kInstance}, {"Attribute", "instanceInitiatedShutdownBehavior"}}));
}

TEST(Ec2ClientTest, AnAttributeResponseWithoutTheValueIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeInstanceAttributeResponse><requestId>r</requestId><instanceId>i-1</instanceId>"
      "</DescribeInstanceAttributeResponse>");

  auto termination = Ec2Client(api).DescribeDisableApiTermination("i-1");

  ASSERT_FALSE(termination);
  EXPECT_EQ(termination.error().kind, ErrorKind::kProvider);
}

}  // namespace
}  // namespace cordon::aws
