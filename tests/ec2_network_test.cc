// End to end against moto: the seeded instance also sits in an Auto Scaling group, is registered
// in a load-balancer target group and has an Elastic IP; cordon takes it out of all of them,
// moves every interface through the all-traffic group onto the quarantine group, disassociates
// its instance profile, and release puts everything back. The end state is read back with boto3.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class Ec2NetworkTest : public CordonMotoTest {
 protected:
  void SetUp() override {
    CordonMotoTest::SetUp();
    const std::string id = seed_["instance_id"];
    extra_ = Boto(
        "ec2=boto3.client('ec2'); asg=boto3.client('autoscaling'); elb=boto3.client('elbv2')\n"
        "iid='" +
        id + "'; vpc='" + seed_["vpc_id"].get<std::string>() +
        "'\n"
        "eni='" +
        seed_["network_interface_ids"][1].get<std::string>() +
        "'\n"
        "image=ec2.describe_instances(InstanceIds=[iid])['Reservations'][0]['Instances'][0]"
        "['ImageId']\n"
        "asg.create_launch_configuration(LaunchConfigurationName='web-lc', ImageId=image, "
        "InstanceType='t3.micro')\n"
        "asg.create_auto_scaling_group(AutoScalingGroupName='web-asg', "
        "LaunchConfigurationName='web-lc', MinSize=0, MaxSize=3, DesiredCapacity=0, "
        "VPCZoneIdentifier='" +
        seed_["subnet_ids"][0].get<std::string>() +
        "')\n"
        "asg.attach_instances(AutoScalingGroupName='web-asg', InstanceIds=[iid])\n"
        "tg=elb.create_target_group(Name='web-tg', Protocol='HTTP', Port=80, VpcId=vpc, "
        "TargetType='instance')['TargetGroups'][0]['TargetGroupArn']\n"
        "elb.register_targets(TargetGroupArn=tg, Targets=[{'Id': iid, 'Port': 8080}])\n"
        "ip=ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])['NetworkInterfaces'][0]"
        "['PrivateIpAddress']\n"
        "alloc=ec2.allocate_address(Domain='vpc')['AllocationId']\n"
        "ec2.associate_address(AllocationId=alloc, NetworkInterfaceId=eni, PrivateIpAddress=ip)\n"
        "print(json.dumps({'tg': tg, 'alloc': alloc, 'eni': eni, 'ip': ip}))");
    ASSERT_TRUE(extra_.contains("tg")) << extra_.dump();
  }

  // Auto Scaling membership, instance state, targets, Elastic IP, profile and interface groups.
  json State() {
    return Boto(
        "ec2=boto3.client('ec2'); asg=boto3.client('autoscaling'); elb=boto3.client('elbv2')\n"
        "iid='" +
        seed_["instance_id"].get<std::string>() +
        "'\n"
        "members=asg.describe_auto_scaling_instances(InstanceIds=[iid])['AutoScalingInstances']\n"
        "group=asg.describe_auto_scaling_groups(AutoScalingGroupNames=['web-asg'])"
        "['AutoScalingGroups'][0]\n"
        "targets=elb.describe_target_health(TargetGroupArn='" +
        extra_["tg"].get<std::string>() +
        "')['TargetHealthDescriptions']\n"
        "address=ec2.describe_addresses(AllocationIds=['" +
        extra_["alloc"].get<std::string>() +
        "'])['Addresses'][0]\n"
        "profiles=ec2.describe_iam_instance_profile_associations(Filters=[{'Name':'instance-id',"
        "'Values':[iid]}])['IamInstanceProfileAssociations']\n"
        "enis=ec2.describe_network_interfaces(NetworkInterfaceIds=" +
        seed_["network_interface_ids"].dump() +
        ")['NetworkInterfaces']\n"
        "print(json.dumps({\n"
        " 'lifecycle': [m['AutoScalingGroupName'] + '/' + m['LifecycleState'] for m in members],\n"
        " 'group_instances': len(group['Instances']),\n"
        " 'state': ec2.describe_instances(InstanceIds=[iid])['Reservations'][0]['Instances'][0]"
        "['State']['Name'],\n"
        " 'targets': sorted('%s:%s' % (t['Target']['Id'], t['Target'].get('Port')) "
        "for t in targets),\n"
        " 'eip': [address.get('NetworkInterfaceId'), address.get('PrivateIpAddress')] "
        "if address.get('AssociationId') else None,\n"
        " 'profiles': [a['IamInstanceProfile']['Arn'] for a in profiles "
        "if a['State'] in ('associated', 'associating')],\n"
        " 'groups': {e['NetworkInterfaceId']: sorted(g['GroupId'] for g in e['Groups']) "
        "for e in enis}}))");
  }

  json Group(const std::string& name) {
    return Boto(
        "print(json.dumps(boto3.client('ec2').describe_security_groups(Filters=[{'Name':"
        "'group-name','Values':['" +
        name + "']}])['SecurityGroups']))");
  }

  // The case's journal records of these kinds, oldest first: [seq, kind, step, operation].
  json Journal(const std::string& case_id) {
    return Boto("import sqlite3\nrows=sqlite3.connect('" + dir_->File("home") + "/cases/" +
                case_id +
                "/journal.db').execute('SELECT seq, kind, step_id, operation, detail FROM "
                "records ORDER BY seq').fetchall()\nprint(json.dumps(rows))");
  }

  std::string Target() const {
    return "aws:ec2-instance:" + seed_["instance_id"].get<std::string>();
  }

  json extra_;
};

TEST_F(Ec2NetworkTest, ApplyTakesTheInstanceOutOfEverythingAndReleasePutsItBack) {
  const json before = State();
  const std::string id = seed_["instance_id"];
  ASSERT_EQ(before["lifecycle"], json::array({"web-asg/InService"})) << before.dump();
  ASSERT_EQ(before["targets"], json::array({id + ":8080"})) << before.dump();
  ASSERT_FALSE(before["eip"].is_null());
  ASSERT_EQ(before["profiles"], json::array({seed_["instance_profile_arn"]}));

  ProcessResult run = Cordon({"apply", "--case", "net", "--yes", "--target", Target()});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const json during = State();
  EXPECT_EQ(during["lifecycle"], json::array({"web-asg/Standby"})) << during.dump();
  EXPECT_EQ(during["state"], "running") << "the instance must not be terminated";
  EXPECT_EQ(during["group_instances"], 2) << "the group launches a replacement: " << during;
  EXPECT_TRUE(during["targets"].empty()) << during.dump();
  EXPECT_TRUE(during["eip"].is_null()) << during.dump();
  EXPECT_TRUE(during["profiles"].empty()) << during.dump();
  const json quarantine = Group("cordon-quarantine");
  ASSERT_EQ(quarantine.size(), 1u);
  EXPECT_TRUE(quarantine[0]["IpPermissions"].empty());
  EXPECT_TRUE(quarantine[0]["IpPermissionsEgress"].empty());
  for (const auto& [eni, groups] : during["groups"].items()) {
    EXPECT_EQ(groups, json::array({quarantine[0]["GroupId"]})) << eni;
  }
  const json untrack = Group("cordon-untrack");
  ASSERT_EQ(untrack.size(), 1u);
  EXPECT_NE(untrack[0]["IpPermissions"].dump().find("::/0"), std::string::npos) << untrack;
  EXPECT_NE(untrack[0]["IpPermissionsEgress"].dump().find("0.0.0.0/0"), std::string::npos);

  // Every interface went to the all-traffic group first, then straight to the quarantine group.
  std::map<std::string, std::vector<std::string>> moves;
  for (const auto& row : Journal("net")) {
    if (row[1] == "intent" && row[3] == "ec2:ModifyNetworkInterfaceAttribute") {
      const json request = json::parse(row[4].get<std::string>())["request"];
      moves[request["NetworkInterfaceId"]].push_back(request["SecurityGroupIds"][0]);
    }
  }
  ASSERT_EQ(moves.size(), 2u);
  for (const auto& [eni, groups] : moves) {
    EXPECT_EQ(groups, (std::vector<std::string>{untrack[0]["GroupId"], quarantine[0]["GroupId"]}))
        << eni;
  }

  ProcessResult release = Cordon({"release", "--case", "net", "--yes"});

  ASSERT_EQ(release.exit_code, 0) << release.out << release.err;
  const json after = State();
  EXPECT_EQ(after["lifecycle"], before["lifecycle"]) << release.out;
  EXPECT_EQ(after["state"], "running");
  EXPECT_EQ(after["targets"], before["targets"]);
  EXPECT_EQ(after["eip"], before["eip"]);
  EXPECT_EQ(after["profiles"], before["profiles"]);
  EXPECT_EQ(after["groups"], before["groups"]);

  ProcessResult again = Cordon({"release", "--case", "net", "--yes", "--output", "json"});

  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  const json released = json::parse(again.out);
  for (const auto& item : released["items"]) {
    EXPECT_TRUE(item["status"] == "already_released" || item["status"] == "kept") << item;
    EXPECT_TRUE(item["calls"].empty()) << item;
  }
  EXPECT_EQ(State(), after);
  EXPECT_EQ(Cordon({"verify", "--case", "net"}).exit_code, 0);
}

TEST_F(Ec2NetworkTest, DryRunShowsTheCallsAndChangesNothing) {
  const json before = State();

  ProcessResult run = Cordon({"apply", "--case", "dry", "--dry-run", "--target", Target()});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  for (const char* call : {"autoscaling:EnterStandby", "elasticloadbalancing:DeregisterTargets",
                           "ec2:DisassociateAddress", "ec2:DisassociateIamInstanceProfile"}) {
    EXPECT_NE(run.out.find(std::string("would call ") + call), std::string::npos) << call << "\n"
                                                                                  << run.out;
  }
  EXPECT_EQ(State(), before);
}

TEST_F(Ec2NetworkTest, MemoryCaptureRunsThroughSsmBeforeAnyNetworkChange) {
  const std::string command = "avml /var/tmp/memory.lime";

  ProcessResult run = Cordon({"apply", "--case", "mem", "--yes", "--target", Target(),
                              "--memory-capture-command", command});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const json sent = Boto(
      "print(json.dumps([{'InstanceIds': c['InstanceIds'], 'commands': "
      "c['Parameters']['commands']} for c in boto3.client('ssm').list_commands()['Commands']]))");
  ASSERT_EQ(sent.size(), 1u) << sent.dump();
  EXPECT_EQ(sent[0]["commands"], json::array({command}));
  EXPECT_EQ(sent[0]["InstanceIds"], json::array({seed_["instance_id"]}));
  int64_t send = 0;
  int64_t first_network = 0;
  for (const auto& row : Journal("mem")) {
    const std::string operation = row[3];
    if (row[1] != "intent") {
      continue;
    }
    if (operation == "ssm:SendCommand") {
      send = row[0];
    } else if (first_network == 0 && (operation.rfind("autoscaling:", 0) == 0 ||
                                      operation.rfind("elasticloadbalancing:", 0) == 0 ||
                                      operation == "ec2:ModifyNetworkInterfaceAttribute")) {
      first_network = row[0];
    }
  }
  EXPECT_GT(send, 0);
  EXPECT_GT(first_network, send);
  const json plan = Boto("print(open('" + dir_->File("home") + "/cases/mem/plan.json').read())");
  EXPECT_EQ(plan["options"]["memory_capture_command"], command);
  ProcessResult verify = Cordon({"verify", "--case", "mem"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(std::filesystem::exists(dir_->File("home") +
                                      "/cases/mem/evidence/ssm-memory-capture-" +
                                      seed_["instance_id"].get<std::string>() + ".json"));
}

TEST_F(Ec2NetworkTest, ReadingDevMemIsAnInputErrorAndChangesNothing) {
  ASSERT_TRUE(server_->MarkRequests());

  ProcessResult run = Cordon({"apply", "--case", "devmem", "--yes", "--target", Target(),
                              "--memory-capture-command", "dd if=/dev/mem of=/tmp/mem bs=1M"});

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("/dev/mem"), std::string::npos) << run.err;
  auto requests = server_->RequestCount();
  ASSERT_TRUE(requests);
  EXPECT_EQ(*requests, 0u);
}

}  // namespace
}  // namespace cordon::testing
