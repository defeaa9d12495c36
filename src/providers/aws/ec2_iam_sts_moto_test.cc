// The new Ec2Client, IamClient and StsClient calls over the real wire layer against
// moto_server, started and stopped (by pid) by the suite on a free loopback port. Each test
// reads back the state it made.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "providers/aws/ec2_client.h"
#include "providers/aws/iam_client.h"
#include "providers/aws/moto_server_for_tests.h"
#include "providers/aws/sts_client.h"

namespace cordon::aws {
namespace {

constexpr char kEc2Trust[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":)"
    R"({"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
constexpr char kDenyEveryone[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},)"
    R"("Action":"sts:AssumeRole"}]})";
constexpr char kReadPolicy[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
    R"("Resource":"*"}]})";

class Ec2IamStsMotoTest : public ::testing::Test {
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

  // One instance in the default VPC, with `extra` RunInstances parameters.
  pugi::xml_node RunInstance(QueryParams extra = {}) {
    QueryParams params = {{"ImageId", "ami-12c6146b"},
                          {"MinCount", "1"},
                          {"MaxCount", "1"},
                          {"InstanceType", "t3.micro"}};
    params.insert(params.end(), extra.begin(), extra.end());
    return Seed("ec2", "RunInstances", params).child("instancesSet").child("item");
  }

  static MotoServer* moto;
  std::unique_ptr<AwsApiClient> api;
  std::vector<QueryResponse> kept;
};

MotoServer* Ec2IamStsMotoTest::moto = nullptr;

bool HasAllTraffic(const std::vector<IpPermission>& rules) {
  bool v4 = false;
  bool v6 = false;
  for (const IpPermission& rule : rules) {
    if (rule.ip_protocol != "-1") {
      continue;
    }
    for (const auto& range : rule.ip_ranges) {
      v4 = v4 || range.cidr_ip == "0.0.0.0/0";
    }
    for (const auto& range : rule.ipv6_ranges) {
      v6 = v6 || range.cidr_ipv6 == "::/0";
    }
  }
  return v4 && v6;
}

TEST_F(Ec2IamStsMotoTest, AnElasticIpIsDisassociatedAndAssociatedBack) {
  const pugi::xml_node instance = RunInstance();
  const pugi::xml_node eni = instance.child("networkInterfaceSet").child("item");
  const std::string eni_id = eni.child_value("networkInterfaceId");
  const std::string private_ip = eni.child_value("privateIpAddress");
  const std::string allocation_id =
      Seed("ec2", "AllocateAddress", {{"Domain", "vpc"}}).child_value("allocationId");
  Ec2Client ec2(*api);

  auto associated = ec2.AssociateAddress(allocation_id, eni_id, private_ip);
  ASSERT_TRUE(associated) << associated.error().Describe();
  auto on_interface = ec2.DescribeAddressesForNetworkInterfaces({eni_id});
  ASSERT_TRUE(on_interface) << on_interface.error().Describe();
  ASSERT_EQ(on_interface->size(), 1u);
  EXPECT_EQ(on_interface->front().allocation_id, allocation_id);
  EXPECT_EQ(on_interface->front().association_id, associated->association_id);
  EXPECT_EQ(on_interface->front().private_ip_address, private_ip);

  ASSERT_TRUE(ec2.DisassociateAddress(associated->association_id));
  auto released = ec2.DescribeAddresses({{"allocation-id", {allocation_id}}});
  ASSERT_TRUE(released) << released.error().Describe();
  ASSERT_EQ(released->size(), 1u);
  EXPECT_EQ(released->front().association_id, "");
  EXPECT_EQ(ec2.DescribeAddressesForNetworkInterfaces({eni_id})->size(), 0u);

  auto again = ec2.AssociateAddress(allocation_id, eni_id, private_ip);
  ASSERT_TRUE(again) << again.error().Describe();
  EXPECT_EQ(ec2.DescribeAddressesForNetworkInterfaces({eni_id})->size(), 1u);
  auto gone = ec2.DisassociateAddress("eipassoc-00000000000000000");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
}

TEST_F(Ec2IamStsMotoTest, AnInstanceProfileIsDisassociatedAndAssociatedBack) {
  const std::string profile_arn =
      Seed("iam", "CreateInstanceProfile", {{"InstanceProfileName", "app-profile"}})
          .child("CreateInstanceProfileResult")
          .child("InstanceProfile")
          .child_value("Arn");
  const std::string id =
      RunInstance({{"IamInstanceProfile.Name", "app-profile"}}).child_value("instanceId");
  Ec2Client ec2(*api);
  auto associated_now = [&]() -> std::vector<IamInstanceProfileAssociation> {
    auto all = ec2.DescribeIamInstanceProfileAssociations(id);
    EXPECT_TRUE(all) << all.error().Describe();
    std::vector<IamInstanceProfileAssociation> current;
    for (const auto& association : all.value_or(std::vector<IamInstanceProfileAssociation>{})) {
      if (association.state == "associated" || association.state == "associating") {
        current.push_back(association);
      }
    }
    return current;
  };

  const auto before = associated_now();
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].instance_profile_arn, profile_arn);

  auto disassociated = ec2.DisassociateIamInstanceProfile(before[0].association_id);
  ASSERT_TRUE(disassociated) << disassociated.error().Describe();
  EXPECT_TRUE(associated_now().empty());

  auto restored = ec2.AssociateIamInstanceProfile(id, {profile_arn, ""});
  ASSERT_TRUE(restored) << restored.error().Describe();
  const auto after = associated_now();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].instance_profile_arn, profile_arn);
}

TEST_F(Ec2IamStsMotoTest, TheAllTrafficGroupGetsBothDirectionsEvenWithDefaultEgress) {
  const std::string vpc_id =
      Seed("ec2", "DescribeVpcs", {{"Filter.1.Name", "is-default"}, {"Filter.1.Value.1", "true"}})
          .child("vpcSet")
          .child("item")
          .child_value("vpcId");
  Ec2Client ec2(*api);
  auto created = ec2.CreateSecurityGroup("cordon-all-traffic", "all traffic", vpc_id, {});
  ASSERT_TRUE(created) << created.error().Describe();
  const std::string group_id = created->group_id;
  // Leave only the IPv4 half of the default egress rule, so the egress authorization meets a
  // rule that exists next to one that does not.
  IpPermission v6_only = AllTrafficPermission();
  v6_only.ip_ranges.clear();
  ASSERT_TRUE(ec2.RevokeSecurityGroupEgress(group_id, {v6_only}));

  auto ingress = ec2.AuthorizeSecurityGroupIngress(group_id, {AllTrafficPermission()});
  const size_t before_egress = api->RequestsSent();
  auto egress = ec2.AuthorizeSecurityGroupEgress(group_id, {AllTrafficPermission()});
  const size_t egress_requests = api->RequestsSent() - before_egress;
  auto egress_again = ec2.AuthorizeSecurityGroupEgress(group_id, {AllTrafficPermission()});

  ASSERT_TRUE(ingress) << ingress.error().Describe();
  ASSERT_TRUE(egress) << egress.error().Describe();
  ASSERT_TRUE(egress_again) << egress_again.error().Describe();
  // moto refused the pair for its IPv4 half; the rules then went one at a time.
  EXPECT_EQ(egress_requests, 3u);
  auto groups = ec2.DescribeSecurityGroups({group_id});
  ASSERT_TRUE(groups) << groups.error().Describe();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_TRUE(HasAllTraffic(groups->front().ip_permissions));
  EXPECT_TRUE(HasAllTraffic(groups->front().ip_permissions_egress));

  ASSERT_TRUE(ec2.DeleteSecurityGroup(group_id));
  auto deleted = ec2.DescribeSecurityGroups({group_id});
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().kind, ErrorKind::kNotFound);
}

TEST_F(Ec2IamStsMotoTest, ATrustPolicyIsReplacedAndInlinePoliciesDeleted) {
  Seed("iam", "CreateRole", {{"RoleName", "app-role"}, {"AssumeRolePolicyDocument", kEc2Trust}});
  Seed("iam", "PutRolePolicy",
       {{"RoleName", "app-role"}, {"PolicyName", "read"}, {"PolicyDocument", kReadPolicy}});
  Seed("iam", "CreateUser", {{"UserName", "alice"}});
  Seed("iam", "PutUserPolicy",
       {{"UserName", "alice"}, {"PolicyName", "read"}, {"PolicyDocument", kReadPolicy}});
  IamClient iam(*api);

  ASSERT_TRUE(iam.UpdateAssumeRolePolicy("app-role", kDenyEveryone));
  ASSERT_TRUE(iam.DeleteRolePolicy("app-role", "read"));
  ASSERT_TRUE(iam.DeleteUserPolicy("alice", "read"));

  auto role = iam.GetRole("app-role");
  ASSERT_TRUE(role) << role.error().Describe();
  EXPECT_EQ(nlohmann::json::parse(role->assume_role_policy_document),
            nlohmann::json::parse(kDenyEveryone));
  EXPECT_TRUE(iam.ListRolePolicies("app-role")->empty());
  EXPECT_TRUE(iam.ListUserPolicies("alice")->empty());
  auto again = iam.DeleteRolePolicy("app-role", "read");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
  auto missing = iam.UpdateAssumeRolePolicy("no-such-role", kDenyEveryone);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
}

TEST_F(Ec2IamStsMotoTest, AssumedRoleCredentialsSignCallsAsTheSession) {
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":)"
      R"({"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]})";
  const std::string role_arn =
      Seed("iam", "CreateRole", {{"RoleName", "responder"}, {"AssumeRolePolicyDocument", trust}})
          .child("CreateRoleResult")
          .child("Role")
          .child_value("Arn");

  auto assumed = StsClient(*api).AssumeRole({role_arn, "cordon-c1", "case-c1", 900});

  ASSERT_TRUE(assumed) << assumed.error().Describe();
  EXPECT_EQ(assumed->assumed_role_arn,
            "arn:aws:sts::123456789012:assumed-role/responder/cordon-c1");
  EXPECT_GT(assumed->expires_at, std::chrono::system_clock::now());
  EXPECT_FALSE(assumed->credentials.session_token.empty());
  auto as_session = moto->Client(assumed->credentials);
  auto identity = StsClient(*as_session).GetCallerIdentity();
  ASSERT_TRUE(identity) << identity.error().Describe();
  EXPECT_EQ(identity->arn, assumed->assumed_role_arn);
}

}  // namespace
}  // namespace cordon::aws
