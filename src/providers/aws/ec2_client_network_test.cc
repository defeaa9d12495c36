// Ec2Client's Elastic IP, instance profile and security group rule calls: parsing of real moto
// responses and the exact form parameters, checked against what botocore (the aws CLI) sends.
#include <gtest/gtest.h>

#include <string>

#include "providers/aws/ec2_client.h"
#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

std::string Ok(const std::string& action, const std::string& request_id) {
  return "<" + action + "Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>" +
         request_id + "</requestId><return>true</return></" + action + "Response>";
}

Error Duplicate(const std::string& request_id) {
  return Error{ErrorKind::kConflict,
               "the specified rule already exists",
               "InvalidPermission.Duplicate",
               request_id,
               400,
               false};
}

TEST(Ec2NetworkTest, AddressesOfInterfacesAreFilteredByInterfaceId) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_addresses.xml");

  auto addresses = Ec2Client(api).DescribeAddressesForNetworkInterfaces({"eni-6c40a570b326d966e"});

  ASSERT_TRUE(addresses) << addresses.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DescribeAddresses");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"Filter.1.Name", "network-interface-id"},
                                                {"Filter.1.Value.1", "eni-6c40a570b326d966e"}}));
  ASSERT_EQ(addresses->size(), 1u);
  const Address& address = addresses->front();
  EXPECT_EQ(address.allocation_id, "eipalloc-c08b49e27553836fb");
  EXPECT_EQ(address.association_id, "eipassoc-2d138a3a79093e2cc");
  EXPECT_EQ(address.public_ip, "127.47.67.115");
  EXPECT_EQ(address.domain, "vpc");
  EXPECT_EQ(address.network_interface_id, "eni-6c40a570b326d966e");
  EXPECT_EQ(address.network_interface_owner_id, "123456789012");
  EXPECT_EQ(address.private_ip_address, "10.0.1.6");
  ASSERT_EQ(address.tags.size(), 1u);
  EXPECT_EQ(address.tags[0].key, "Name");
  EXPECT_EQ(address.tags[0].value, "web-eip");
}

TEST(Ec2NetworkTest, AnUnassociatedAddressHasNoAssociation) {
  FakeAwsApi api;
  api.QueueFile("ec2_describe_addresses_all.xml");

  auto addresses = Ec2Client(api).DescribeAddresses({});

  ASSERT_TRUE(addresses) << addresses.error().Describe();
  EXPECT_TRUE(api.Calls()[0].params.empty());
  ASSERT_EQ(addresses->size(), 2u);
  EXPECT_EQ((*addresses)[1].allocation_id, "eipalloc-4e9bc20ced3c5f17b");
  EXPECT_EQ((*addresses)[1].association_id, "");
  EXPECT_EQ((*addresses)[1].network_interface_id, "");
}

TEST(Ec2NetworkTest, NoInterfacesMeansNoAddressesWithoutACall) {
  FakeAwsApi api;

  auto addresses = Ec2Client(api).DescribeAddressesForNetworkInterfaces({});

  ASSERT_TRUE(addresses);
  EXPECT_TRUE(addresses->empty());
  EXPECT_TRUE(api.Calls().empty());
}

TEST(Ec2NetworkTest, AnAddressWithoutPublicIpIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeAddressesResponse><requestId>req-3</requestId><addressesSet><item>"
      "<allocationId>eipalloc-1</allocationId></item></addressesSet></DescribeAddressesResponse>");

  auto addresses = Ec2Client(api).DescribeAddresses({});

  ASSERT_FALSE(addresses);
  EXPECT_EQ(addresses.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(addresses.error().request_id, "req-3");
}

TEST(Ec2NetworkTest, DisassociateAddressSendsTheAssociationId) {
  FakeAwsApi api;
  api.QueueFile("ec2_disassociate_address.xml");

  auto done = Ec2Client(api).DisassociateAddress("eipassoc-2d138a3a79093e2cc");

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->request_id, "request-id");
  EXPECT_EQ(api.Calls()[0].action, "DisassociateAddress");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"AssociationId", "eipassoc-2d138a3a79093e2cc"}}));
}

TEST(Ec2NetworkTest, AnUnknownAssociationPassesThroughAsNotFound) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kNotFound, "Association ID not found",
                       "InvalidAssociationID.NotFound", "req-4", 400, false});

  auto done = Ec2Client(api).DisassociateAddress("eipassoc-0");

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(done.error().provider_code, "InvalidAssociationID.NotFound");
}

TEST(Ec2NetworkTest, AssociateAddressNeverMovesAnAddressAndReturnsTheAssociation) {
  FakeAwsApi api;
  api.QueueFile("ec2_associate_address.xml");

  auto done = Ec2Client(api).AssociateAddress("eipalloc-c08b49e27553836fb", "eni-6c40a570b326d966e",
                                              "10.0.1.6");

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->association_id, "eipassoc-be3a80e209dff4da7");
  EXPECT_EQ(api.Calls()[0].action, "AssociateAddress");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"AllocationId", "eipalloc-c08b49e27553836fb"},
                                                {"NetworkInterfaceId", "eni-6c40a570b326d966e"},
                                                {"PrivateIpAddress", "10.0.1.6"},
                                                {"AllowReassociation", "false"}}));
}

TEST(Ec2NetworkTest, AssociateAddressWithoutPrivateIpLeavesItOut) {
  FakeAwsApi api;
  api.QueueFile("ec2_associate_address.xml");

  auto done = Ec2Client(api).AssociateAddress("eipalloc-1", "eni-1", "");

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"AllocationId", "eipalloc-1"},
                                                {"NetworkInterfaceId", "eni-1"},
                                                {"AllowReassociation", "false"}}));
}

TEST(Ec2NetworkTest, ProfileAssociationsOfAnInstanceAreReadToTheLastPage) {
  FakeAwsApi api;
  api.QueueXml(
      "<DescribeIamInstanceProfileAssociationsResponse><requestId>r1</requestId>"
      "<iamInstanceProfileAssociationSet><item><associationId>iip-assoc-old</associationId>"
      "<instanceId>i-4e8b695ca174d76d0</instanceId><iamInstanceProfile><arn>arn:aws:iam::1:"
      "instance-profile/old</arn></iamInstanceProfile><state>disassociated</state></item>"
      "</iamInstanceProfileAssociationSet><nextToken>page-2</nextToken>"
      "</DescribeIamInstanceProfileAssociationsResponse>");
  api.QueueFile("ec2_describe_iam_instance_profile_associations.xml");

  auto associations = Ec2Client(api).DescribeIamInstanceProfileAssociations("i-4e8b695ca174d76d0");

  ASSERT_TRUE(associations) << associations.error().Describe();
  ASSERT_EQ(api.Calls().size(), 2u);
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"Filter.1.Name", "instance-id"},
                                                {"Filter.1.Value.1", "i-4e8b695ca174d76d0"}}));
  EXPECT_EQ(api.Calls()[1].params, (QueryParams{{"Filter.1.Name", "instance-id"},
                                                {"Filter.1.Value.1", "i-4e8b695ca174d76d0"},
                                                {"NextToken", "page-2"}}));
  ASSERT_EQ(associations->size(), 2u);
  EXPECT_EQ((*associations)[0].state, "disassociated");
  const IamInstanceProfileAssociation& current = (*associations)[1];
  EXPECT_EQ(current.association_id, "iip-assoc-fe7605d2a77bc23a2");
  EXPECT_EQ(current.instance_id, "i-4e8b695ca174d76d0");
  EXPECT_EQ(current.instance_profile_arn, "arn:aws:iam::123456789012:instance-profile/app-profile");
  EXPECT_EQ(current.instance_profile_id, "ovbovopaa92mu1jazm0f");
  EXPECT_EQ(current.state, "associated");
}

TEST(Ec2NetworkTest, DisassociateIamInstanceProfileReturnsTheAssociation) {
  FakeAwsApi api;
  api.QueueFile("ec2_disassociate_iam_instance_profile.xml");

  auto done = Ec2Client(api).DisassociateIamInstanceProfile("iip-assoc-fe7605d2a77bc23a2");

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DisassociateIamInstanceProfile");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"AssociationId", "iip-assoc-fe7605d2a77bc23a2"}}));
  EXPECT_EQ(done->association.state, "disassociating");
  EXPECT_EQ(done->association.instance_profile_arn,
            "arn:aws:iam::123456789012:instance-profile/app-profile");
}

TEST(Ec2NetworkTest, AssociateIamInstanceProfileByArnOrByName) {
  FakeAwsApi api;
  api.QueueFile("ec2_associate_iam_instance_profile.xml");
  api.QueueFile("ec2_associate_iam_instance_profile.xml");
  Ec2Client ec2(api);

  auto by_arn = ec2.AssociateIamInstanceProfile(
      "i-1", {"arn:aws:iam::123456789012:instance-profile/app-profile", ""});
  auto by_name = ec2.AssociateIamInstanceProfile("i-1", {"", "app-profile"});

  ASSERT_TRUE(by_arn) << by_arn.error().Describe();
  ASSERT_TRUE(by_name) << by_name.error().Describe();
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"IamInstanceProfile.Arn",
                          "arn:aws:iam::123456789012:instance-profile/app-profile"},
                         {"InstanceId", "i-1"}}));
  EXPECT_EQ(api.Calls()[1].params,
            (QueryParams{{"IamInstanceProfile.Name", "app-profile"}, {"InstanceId", "i-1"}}));
  EXPECT_EQ(by_arn->association.state, "associating");
  EXPECT_FALSE(by_arn->association.association_id.empty());
}

TEST(Ec2NetworkTest, AProfileNeedsExactlyOneOfArnAndName) {
  FakeAwsApi api;
  Ec2Client ec2(api);

  auto neither = ec2.AssociateIamInstanceProfile("i-1", {"", ""});
  auto both = ec2.AssociateIamInstanceProfile("i-1", {"arn:aws:iam::1:instance-profile/p", "p"});

  ASSERT_FALSE(neither);
  ASSERT_FALSE(both);
  EXPECT_EQ(neither.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(both.error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(api.Calls().empty());
}

TEST(Ec2NetworkTest, AnAssociationWithoutProfileArnIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<AssociateIamInstanceProfileResponse><requestId>r</requestId>"
      "<iamInstanceProfileAssociation><associationId>iip-assoc-1</associationId>"
      "</iamInstanceProfileAssociation></AssociateIamInstanceProfileResponse>");

  auto done = Ec2Client(api).AssociateIamInstanceProfile("i-1", {"", "p"});

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kProvider);
}

TEST(Ec2NetworkTest, AllTrafficIngressAndEgressAsTheCliSendsThem) {
  FakeAwsApi api;
  api.QueueFile("ec2_authorize_security_group_ingress.xml");
  api.QueueFile("ec2_authorize_security_group_egress.xml");
  Ec2Client ec2(api);
  const QueryParams expected = {{"GroupId", "sg-1"},
                                {"IpPermissions.1.IpProtocol", "-1"},
                                {"IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"},
                                {"IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "::/0"}};

  auto ingress = ec2.AuthorizeSecurityGroupIngress("sg-1", {AllTrafficPermission()});
  auto egress = ec2.AuthorizeSecurityGroupEgress("sg-1", {AllTrafficPermission()});

  ASSERT_TRUE(ingress) << ingress.error().Describe();
  ASSERT_TRUE(egress) << egress.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "AuthorizeSecurityGroupIngress");
  EXPECT_EQ(api.Calls()[0].params, expected);
  EXPECT_EQ(api.Calls()[1].action, "AuthorizeSecurityGroupEgress");
  EXPECT_EQ(api.Calls()[1].params, expected);
}

TEST(Ec2NetworkTest, AuthorizeSendsSourceDescriptionsAndPorts) {
  FakeAwsApi api;
  api.QueueXml(Ok("AuthorizeSecurityGroupIngress", "req-1"));
  IpPermission rule;
  rule.ip_protocol = "tcp";
  rule.from_port = 22;
  rule.to_port = 22;
  rule.ip_ranges = {{"10.0.0.0/8", "responders"}};
  rule.ipv6_ranges = {{"2001:db8::/32", "responders v6"}};
  rule.user_id_group_pairs = {{"sg-2", "", "", "", "", "bastion"}};

  auto done = Ec2Client(api).AuthorizeSecurityGroupIngress("sg-1", {rule});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->request_id, "req-1");
  EXPECT_EQ(api.Calls()[0].params,
            (QueryParams{{"GroupId", "sg-1"},
                         {"IpPermissions.1.IpProtocol", "tcp"},
                         {"IpPermissions.1.FromPort", "22"},
                         {"IpPermissions.1.ToPort", "22"},
                         {"IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"},
                         {"IpPermissions.1.IpRanges.1.Description", "responders"},
                         {"IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "2001:db8::/32"},
                         {"IpPermissions.1.Ipv6Ranges.1.Description", "responders v6"},
                         {"IpPermissions.1.Groups.1.GroupId", "sg-2"},
                         {"IpPermissions.1.Groups.1.Description", "bastion"}}));
}

TEST(Ec2NetworkTest, ARuleTheGroupHasIsSkippedAndTheOthersAreAdded) {
  FakeAwsApi api;
  api.QueueError(Duplicate("req-dup"));
  api.QueueError(Duplicate("req-v4"));
  api.QueueXml(Ok("AuthorizeSecurityGroupEgress", "req-v6"));

  auto done = Ec2Client(api).AuthorizeSecurityGroupEgress("sg-1", {AllTrafficPermission()});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->request_id, "req-v6");
  ASSERT_EQ(api.Calls().size(), 3u);
  EXPECT_EQ(api.Calls()[1].params,
            (QueryParams{{"GroupId", "sg-1"},
                         {"IpPermissions.1.IpProtocol", "-1"},
                         {"IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"}}));
  EXPECT_EQ(api.Calls()[2].params,
            (QueryParams{{"GroupId", "sg-1"},
                         {"IpPermissions.1.IpProtocol", "-1"},
                         {"IpPermissions.1.Ipv6Ranges.1.CidrIpv6", "::/0"}}));
}

TEST(Ec2NetworkTest, RulesAllPresentAlreadyAreASuccess) {
  FakeAwsApi api;
  api.QueueError(Duplicate("req-dup"));
  api.QueueError(Duplicate("req-v4"));
  api.QueueError(Duplicate("req-v6"));

  auto done = Ec2Client(api).AuthorizeSecurityGroupIngress("sg-1", {AllTrafficPermission()});

  ASSERT_TRUE(done) << done.error().Describe();
  EXPECT_EQ(done->request_id, "req-dup");
  EXPECT_EQ(api.Pending(), 0u);
}

TEST(Ec2NetworkTest, AnotherFailureWhileAddingRulesOneByOneStopsThere) {
  FakeAwsApi api;
  api.QueueError(Duplicate("req-dup"));
  api.QueueError(Error{ErrorKind::kProvider, "rules per group exceeded",
                       "RulesPerSecurityGroupLimitExceeded", "req-limit", 400, false});
  api.QueueXml(Ok("AuthorizeSecurityGroupIngress", "never"));

  auto done = Ec2Client(api).AuthorizeSecurityGroupIngress("sg-1", {AllTrafficPermission()});

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().provider_code, "RulesPerSecurityGroupLimitExceeded");
  EXPECT_EQ(api.Calls().size(), 2u);
}

TEST(Ec2NetworkTest, AuthorizeFailuresOtherThanDuplicatesAreNotRetriedOneByOne) {
  FakeAwsApi api;
  api.QueueError(
      Error{ErrorKind::kNotFound, "no such group", "InvalidGroup.NotFound", "r", 400, false});

  auto done = Ec2Client(api).AuthorizeSecurityGroupEgress("sg-0", {AllTrafficPermission()});

  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(api.Calls().size(), 1u);
}

TEST(Ec2NetworkTest, AuthorizeWithoutRulesIsRefusedWithoutACall) {
  FakeAwsApi api;
  Ec2Client ec2(api);

  auto ingress = ec2.AuthorizeSecurityGroupIngress("sg-1", {});
  auto egress = ec2.AuthorizeSecurityGroupEgress("sg-1", {});

  ASSERT_FALSE(ingress);
  ASSERT_FALSE(egress);
  EXPECT_EQ(ingress.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(egress.error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(api.Calls().empty());
}

TEST(Ec2NetworkTest, DeleteSecurityGroupByIdAndItsConflicts) {
  FakeAwsApi api;
  api.QueueFile("ec2_delete_security_group.xml");
  api.QueueError(Error{ErrorKind::kConflict, "resource sg-2 has a dependent object",
                       "DependencyViolation", "r", 400, false});
  Ec2Client ec2(api);

  auto deleted = ec2.DeleteSecurityGroup("sg-1");
  auto in_use = ec2.DeleteSecurityGroup("sg-2");

  ASSERT_TRUE(deleted) << deleted.error().Describe();
  EXPECT_EQ(api.Calls()[0].action, "DeleteSecurityGroup");
  EXPECT_EQ(api.Calls()[0].params, (QueryParams{{"GroupId", "sg-1"}}));
  ASSERT_FALSE(in_use);
  EXPECT_EQ(in_use.error().kind, ErrorKind::kConflict);
}

TEST(Ec2NetworkTest, ADeleteAnsweredWithReturnFalseIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<DeleteSecurityGroupResponse><requestId>r</requestId><return>false</return>"
      "</DeleteSecurityGroupResponse>");

  auto deleted = Ec2Client(api).DeleteSecurityGroup("sg-1");

  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kProvider);
}

}  // namespace
}  // namespace cordon::aws
