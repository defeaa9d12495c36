// Release of the EC2 network changes, checked on the undo calls it plans (a dry run reads the
// current state from recorded responses and makes no change).
#include <gtest/gtest.h>

#include "execution/release.h"
#include "providers/aws/fake_aws_api.h"

namespace cordon::execution {
namespace {

using nlohmann::json;

journal::Record Intent(std::int64_t seq, const std::string& step, const std::string& operation,
                       const json& prior) {
  journal::Record record;
  record.seq = seq;
  record.kind = journal::RecordKind::kIntent;
  record.step_id = "aws:ec2-instance:i-6bc4a34c701a29476/" + step;
  record.target = "aws:ec2-instance:i-6bc4a34c701a29476";
  record.operation = operation;
  record.request_digest = "d-" + std::to_string(seq);
  record.detail = {{"request", json::object()}};
  record.prior_state = prior.dump();
  return record;
}

constexpr const char* kUnassociatedAddress = R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeAddressesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15">
  <addressesSet><item><allocationId>eipalloc-c08b49e27553836fb</allocationId><domain>vpc</domain>
  <publicIp>127.47.67.115</publicIp></item></addressesSet><requestId>r1</requestId>
</DescribeAddressesResponse>)";

constexpr const char* kDisassociatedProfile = R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeIamInstanceProfileAssociationsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15">
  <iamInstanceProfileAssociationSet><item><associationId>iip-assoc-1</associationId>
  <instanceId>i-6bc4a34c701a29476</instanceId><iamInstanceProfile>
  <arn>arn:aws:iam::123456789012:instance-profile/app-profile</arn><id>p1</id>
  </iamInstanceProfile><state>disassociated</state></item></iamInstanceProfileAssociationSet>
  <requestId>r2</requestId>
</DescribeIamInstanceProfileAssociationsResponse>)";

TEST(ReleaseNetworkTest, DryRunPlansTheCallsThatPutTheInstanceBackWhereItWas) {
  const std::string id = "i-6bc4a34c701a29476";
  const std::string group_arn =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef";
  const std::string profile = "arn:aws:iam::123456789012:instance-profile/app-profile";
  std::vector<journal::Record> records = {
      Intent(1, "leave-auto-scaling", "autoscaling:EnterStandby",
             {{"instance_id", id},
              {"auto_scaling_group_name", "web-asg"},
              {"lifecycle_state", "InService"},
              {"desired_capacity", 2}}),
      Intent(2, "deregister-targets", "elasticloadbalancing:DeregisterTargets",
             {{"target_group_arn", group_arn},
              {"target_group_name", "web-tg"},
              {"target", {{"Id", id}, {"Port", 8080}}}}),
      Intent(3, "detach-elastic-ips", "ec2:DisassociateAddress",
             {{"allocation_id", "eipalloc-c08b49e27553836fb"},
              {"network_interface_id", "eni-6c40a570b326d966e"},
              {"private_ip_address", "10.0.1.6"},
              {"public_ip", "127.47.67.115"}}),
      Intent(4, "detach-profile", "ec2:DisassociateIamInstanceProfile",
             {{"instance_id", id}, {"instance_profile_arn", profile}}),
      Intent(5, "memory-capture", "ssm:SendCommand", nullptr),
      Intent(6, "untrack-group", "ec2:AuthorizeSecurityGroupIngress", nullptr),
  };
  aws::FakeAwsApi api;
  // Read in the order release undoes: newest first.
  api.QueueXml(kDisassociatedProfile);
  api.QueueXml(kUnassociatedAddress);
  api.QueueFile("autoscaling_describe_auto_scaling_instances_standby.xml");
  planning::Plan plan;
  AwsReleaser releaser([&](const std::string&) -> aws::AwsApi& { return api; }, plan,
                       {"C1", "arn:aws:iam::123456789012:user/responder", true}, nullptr);
  ReleaseOptions options;
  options.dry_run = true;

  auto items = releaser.Release(records, options);

  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].status, ReleaseStatus::kKept);  // the shared all-traffic group
  EXPECT_EQ(items[1].status, ReleaseStatus::kKept);  // the memory capture's output is evidence
  for (size_t i = 2; i < items.size(); ++i) {
    ASSERT_EQ(items[i].status, ReleaseStatus::kUndone) << items[i].message;
    ASSERT_EQ(items[i].calls.size(), 1u) << items[i].operation;
  }
  EXPECT_EQ(items[2].calls[0]["operation"], "ec2:AssociateIamInstanceProfile");
  EXPECT_EQ(items[2].calls[0]["params"]["IamInstanceProfile"]["Arn"], profile);
  EXPECT_EQ(items[3].calls[0]["operation"], "ec2:AssociateAddress");
  EXPECT_EQ(items[3].calls[0]["params"]["NetworkInterfaceId"], "eni-6c40a570b326d966e");
  EXPECT_EQ(items[3].calls[0]["params"]["PrivateIpAddress"], "10.0.1.6");
  EXPECT_EQ(items[3].calls[0]["params"]["AllowReassociation"], false);
  EXPECT_EQ(items[4].calls[0]["operation"], "elasticloadbalancing:RegisterTargets");
  EXPECT_EQ(items[4].calls[0]["params"]["Targets"][0]["Port"], 8080);
  EXPECT_EQ(items[5].calls[0]["operation"], "autoscaling:ExitStandby");
  EXPECT_EQ(items[5].calls[0]["params"]["AutoScalingGroupName"], "web-asg");
  EXPECT_NE(items[5].message.find("was 2 before containment"), std::string::npos);
  EXPECT_EQ(api.Calls().size(), 3u) << "only reads";
  EXPECT_EQ(api.Pending(), 0u);
}

TEST(ReleaseNetworkTest, AnElasticIpAssociatedElsewhereNowIsLeftThereAndReported) {
  std::vector<journal::Record> records = {Intent(1, "detach-elastic-ips", "ec2:DisassociateAddress",
                                                 {{"allocation_id", "eipalloc-c08b49e27553836fb"},
                                                  {"network_interface_id", "eni-other"},
                                                  {"private_ip_address", "10.0.9.9"},
                                                  {"public_ip", "127.47.67.115"}})};
  aws::FakeAwsApi api;
  api.QueueFile("ec2_describe_addresses.xml");  // on eni-6c40a570b326d966e
  planning::Plan plan;
  AwsReleaser releaser([&](const std::string&) -> aws::AwsApi& { return api; }, plan,
                       {"C1", "arn:aws:iam::123456789012:user/responder", true}, nullptr);
  ReleaseOptions options;
  options.dry_run = true;

  auto items = releaser.Release(records, options);

  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].status, ReleaseStatus::kFailed);
  EXPECT_TRUE(items[0].calls.empty());
  EXPECT_NE(items[0].message.find("eni-6c40a570b326d966e"), std::string::npos) << items[0].message;
}

}  // namespace
}  // namespace cordon::execution
