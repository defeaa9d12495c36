#!/usr/bin/env python3
"""Seeds moto with a realistic incident and writes the GuardDuty findings that report it.

In account 123456789012, us-east-1:
  - a VPC with two subnets in one availability zone, and two SSH-open security groups;
  - the role web-app-role with the instance profile web-app-profile;
  - an instance (t3.micro) with that profile, its primary interface in subnet A and a second
    interface created in subnet B and attached as device 1, a second EBS volume attached, and
    DeleteOnTermination=true on both volumes;
  - the IAM user build-bot with an inline policy and two access keys;
  - with --responder, the IAM user cordon-responder, allowed everything, with one access key.

Then writes two findings in the shapes GuardDuty publishes, naming the seeded resources:
  FINDINGS_DIR/guardduty-ec2.json  an EventBridge event (camelCase finding under "detail"), made
                                   from the published aws-samples EC2 event;
  FINDINGS_DIR/guardduty-iam.json  a GetFindings response (PascalCase "Findings"), made from the
                                   published aws CLI example, about build-bot's first key.

Prints one JSON object on stdout: ids of what was created, the findings' paths, and (with
--responder) the responder's key and secret. Those are credentials moto made up for a test; the
script is only ever pointed at an emulator.
"""

import argparse
import copy
import json
import os
import sys
import uuid
from datetime import datetime, timezone

import boto3

ACCOUNT = "123456789012"
REGION = "us-east-1"
ZONE = "us-east-1a"
DEFAULT_SAMPLES = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "cases", "aws", "guardduty"
)
EC2_FINDING_TYPE = "Backdoor:EC2/C&CActivity.B"
IAM_FINDING_TYPE = "UnauthorizedAccess:IAMUser/MaliciousIPCaller"
ATTACKER_IP = "198.51.100.23"  # documentation range (RFC 5737)

EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def Policy(actions, resource="*"):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resource}],
        }
    )


def Now():
    return datetime.now(timezone.utc)


def Iso(moment, millis=False):
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    return text + (f".{moment.microsecond // 1000:03d}Z" if millis else "Z")


def SshGroup(ec2, vpc_id, name, cidr):
    group = ec2.create_security_group(
        GroupName=name, Description=f"{name} (seeded incident)", VpcId=vpc_id
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]}
        ],
    )
    return {"id": group, "name": name}


def SeedNetwork(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=ZONE)["Subnet"]["SubnetId"]
        for cidr in ("10.42.1.0/24", "10.42.2.0/24")
    ]
    groups = [
        SshGroup(ec2, vpc_id, "web-ssh", "0.0.0.0/0"),
        SshGroup(ec2, vpc_id, "admin-ssh", "10.0.0.0/8"),
    ]
    return vpc_id, subnets, groups


def SeedRole(iam):
    role = iam.create_role(
        RoleName="web-app-role",
        AssumeRolePolicyDocument=json.dumps(EC2_TRUST),
        Description="web tier instance role (seeded incident)",
    )["Role"]
    iam.put_role_policy(
        RoleName="web-app-role",
        PolicyName="web-app-data",
        PolicyDocument=Policy(["s3:GetObject", "s3:PutObject", "dynamodb:*"]),
    )
    profile = iam.create_instance_profile(InstanceProfileName="web-app-profile")["InstanceProfile"]
    iam.add_role_to_instance_profile(InstanceProfileName="web-app-profile", RoleName="web-app-role")
    return role, profile


def Image(ec2):
    images = ec2.describe_images(
        Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*-x86_64-gp2"]}]
    )["Images"]
    if not images:
        images = ec2.describe_images(Owners=["amazon"])["Images"]
    return sorted(images, key=lambda image: image["ImageId"])[0]


def SeedInstance(ec2, subnets, groups, profile):
    image = Image(ec2)
    instance = ec2.run_instances(
        ImageId=image["ImageId"],
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        # The primary interface is described here rather than with SubnetId/SecurityGroupIds:
        # moto adds instance-level groups to every attached interface's groups, forever, which
        # would make an isolated interface look as if it kept its old group.
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "SubnetId": subnets[0],
                "Groups": [groups[0]["id"]],
                "Description": "web-1 primary interface",
            }
        ],
        IamInstanceProfile={"Arn": profile["Arn"]},
        TagSpecifications=[
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web-1"}]}
        ],
    )["Instances"][0]
    instance_id = instance["InstanceId"]

    eni_b = ec2.create_network_interface(
        SubnetId=subnets[1], Groups=[groups[1]["id"]], Description="web-1 admin interface"
    )["NetworkInterface"]["NetworkInterfaceId"]
    ec2.attach_network_interface(NetworkInterfaceId=eni_b, InstanceId=instance_id, DeviceIndex=1)

    data = ec2.create_volume(AvailabilityZone=ZONE, Size=20, VolumeType="gp3")["VolumeId"]
    ec2.attach_volume(VolumeId=data, InstanceId=instance_id, Device="/dev/sdf")

    # moto reports the root mapping under its own device name (not always RootDeviceName), so
    # use the names it lists. DeleteOnTermination=true everywhere gives the protect step work.
    described = Describe(ec2, instance_id)
    ec2.modify_instance_attribute(
        InstanceId=instance_id,
        BlockDeviceMappings=[
            {"DeviceName": mapping["DeviceName"], "Ebs": {"DeleteOnTermination": True}}
            for mapping in described["BlockDeviceMappings"]
        ],
    )
    return image, Describe(ec2, instance_id)


def Describe(ec2, instance_id):
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]


def SeedUser(iam, name, policy_name, policy, keys):
    user = iam.create_user(UserName=name)["User"]
    iam.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=policy)
    created = [iam.create_access_key(UserName=name)["AccessKey"] for _ in range(keys)]
    return user, created


def Interfaces(instance):
    return sorted(instance["NetworkInterfaces"], key=lambda eni: eni["Attachment"]["DeviceIndex"])


def DnsName(address):
    return "ip-" + address.replace(".", "-") + ".ec2.internal"


def Ec2Finding(template, instance, image, profile, now):
    finding_id = uuid.uuid4().hex
    event = copy.deepcopy(template)
    event.update(
        {
            "accountId": ACCOUNT,
            "region": REGION,
            "id": finding_id,
            "arn": f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/"
            f"{event['service']['detectorId']}/finding/{finding_id}",
            "type": EC2_FINDING_TYPE,
            "title": f"Command and control server IP address queried by {instance['InstanceId']}.",
            "description": f"EC2 instance {instance['InstanceId']} is communicating with "
            f"{ATTACKER_IP}, a known command and control server.",
            "severity": 8,
            "createdAt": Iso(now, millis=True),
            "updatedAt": Iso(now, millis=True),
        }
    )
    details = event["resource"]["instanceDetails"]
    details.update(
        {
            "instanceId": instance["InstanceId"],
            "instanceType": instance["InstanceType"],
            "launchTime": Iso(instance["LaunchTime"], millis=True),
            "availabilityZone": instance["Placement"]["AvailabilityZone"],
            "imageId": image["ImageId"],
            "imageDescription": image.get("Description", image.get("Name", "")),
            "iamInstanceProfile": {"arn": profile["Arn"], "id": profile["InstanceProfileId"]},
            "tags": [{"key": tag["Key"], "value": tag["Value"]} for tag in instance.get("Tags", [])],
        }
    )
    details["networkInterfaces"] = [
        {
            "ipv6Addresses": [],
            "networkInterfaceId": eni["NetworkInterfaceId"],
            "privateDnsName": DnsName(eni["PrivateIpAddress"]),
            "privateIpAddress": eni["PrivateIpAddress"],
            "privateIpAddresses": [
                {
                    "privateDnsName": DnsName(address["PrivateIpAddress"]),
                    "privateIpAddress": address["PrivateIpAddress"],
                }
                for address in eni.get("PrivateIpAddresses", [])
            ],
            "subnetId": eni["SubnetId"],
            "vpcId": eni["VpcId"],
            "securityGroups": [
                {"groupName": group["GroupName"], "groupId": group["GroupId"]}
                for group in eni["Groups"]
            ],
        }
        for eni in Interfaces(instance)
    ]
    service = event["service"]
    service.update(
        {
            "archived": False,
            "eventFirstSeen": Iso(now),
            "eventLastSeen": Iso(now),
            "count": 3,
            "additionalInfo": {"threatListName": "ProofPoint"},
        }
    )
    connection = service["action"]["networkConnectionAction"]
    connection["remoteIpDetails"].update(
        {
            "ipAddressV4": ATTACKER_IP,
            "organization": {"asn": 64500, "isp": "Example Hosting", "org": "Example Hosting"},
            "country": {"countryName": "Netherlands"},
            "city": {"cityName": "Amsterdam"},
            "geoLocation": {"lat": 52.37, "lon": 4.89},
        }
    )
    connection["remotePortDetails"] = {"port": 443, "portName": "HTTPS"}
    connection["localPortDetails"] = {"port": 49152, "portName": "Unknown"}
    # The EventBridge envelope GuardDuty publishes each finding in.
    envelope = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "GuardDuty Finding",
        "source": "aws.guardduty",
        "account": ACCOUNT,
        "time": Iso(now),
        "region": REGION,
        "resources": [],
        "detail": event,
    }
    return finding_id, envelope


def IamFinding(template, user, key_id, now):
    finding_id = uuid.uuid4().hex
    findings = copy.deepcopy(template)
    finding = findings["Findings"][0]
    detector = finding["Service"]["DetectorId"]
    finding.update(
        {
            "AccountId": ACCOUNT,
            "Region": REGION,
            "Id": finding_id,
            "Arn": f"arn:aws:guardduty:{REGION}:{ACCOUNT}:detector/{detector}/finding/{finding_id}",
            "Type": IAM_FINDING_TYPE,
            "Title": f"API ListAccessKeys was invoked from a known malicious IP address by "
            f"{user['UserName']}.",
            "Description": f"API ListAccessKeys was invoked by IAM principal {user['UserName']} "
            f"from the known malicious IP address {ATTACKER_IP}.",
            "Severity": 5,
            "CreatedAt": Iso(now, millis=True),
            "UpdatedAt": Iso(now, millis=True),
        }
    )
    finding["Resource"] = {
        "ResourceType": "AccessKey",
        "AccessKeyDetails": {
            "UserName": user["UserName"],
            "UserType": "IAMUser",
            "PrincipalId": user["UserId"],
            "AccessKeyId": key_id,
        },
    }
    service = finding["Service"]
    service.update(
        {
            "Archived": False,
            "Count": 2,
            "EventFirstSeen": Iso(now),
            "EventLastSeen": Iso(now),
            "AdditionalInfo": {"threatListName": "ProofPoint"},
        }
    )
    call = service["Action"]["AwsApiCallAction"]
    call.update({"Api": "ListAccessKeys", "ServiceName": "iam.amazonaws.com"})
    call["RemoteIpDetails"].update(
        {
            "IpAddressV4": ATTACKER_IP,
            "Organization": {
                "Asn": "64500",
                "AsnOrg": "EXAMPLE-HOSTING",
                "Isp": "Example Hosting",
                "Org": "Example Hosting",
            },
            "Country": {"CountryName": "Netherlands"},
            "City": {"CityName": "Amsterdam"},
            "GeoLocation": {"Lat": 52.37, "Lon": 4.89},
        }
    )
    return finding_id, findings


def Load(path):
    with open(path, encoding="utf-8") as source:
        return json.load(source)


def Write(path, document):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2)
        out.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default=os.environ.get("AWS_ENDPOINT_URL"))
    parser.add_argument("--findings-dir", required=True)
    parser.add_argument("--samples-dir", default=DEFAULT_SAMPLES)
    parser.add_argument("--responder", action="store_true")
    args = parser.parse_args()
    if not args.endpoint:
        parser.error("give --endpoint or set AWS_ENDPOINT_URL (the emulator to seed)")

    session = boto3.session.Session(region_name=REGION)
    ec2 = session.client("ec2", endpoint_url=args.endpoint)
    iam = session.client("iam", endpoint_url=args.endpoint)
    ec2_template = Load(os.path.join(args.samples_dir, "aws-samples_guardduty_ec2_event.json"))
    iam_template = Load(os.path.join(args.samples_dir, "awscli_get-findings_output.json"))
    now = Now()

    vpc_id, subnets, groups = SeedNetwork(ec2)
    role, profile = SeedRole(iam)
    image, instance = SeedInstance(ec2, subnets, groups, profile)
    user, keys = SeedUser(
        iam, "build-bot", "build-bot-deploy", Policy(["s3:*", "ecr:*", "ecs:UpdateService"]), 2
    )
    seed = {
        "account_id": ACCOUNT,
        "region": REGION,
        "vpc_id": vpc_id,
        "subnet_ids": subnets,
        "security_group_ids": [group["id"] for group in groups],
        "instance_id": instance["InstanceId"],
        "image_id": image["ImageId"],
        "network_interface_ids": [eni["NetworkInterfaceId"] for eni in Interfaces(instance)],
        "volume_ids": [m["Ebs"]["VolumeId"] for m in instance["BlockDeviceMappings"]],
        "role_name": role["RoleName"],
        "role_arn": role["Arn"],
        "instance_profile_name": profile["InstanceProfileName"],
        "instance_profile_arn": profile["Arn"],
        "user_name": user["UserName"],
        "user_arn": user["Arn"],
        "access_key_ids": [key["AccessKeyId"] for key in keys],
    }
    if args.responder:
        responder, responder_keys = SeedUser(
            iam, "cordon-responder", "cordon-responder-admin", Policy("*"), 1
        )
        seed["responder"] = {
            "user_name": responder["UserName"],
            "arn": responder["Arn"],
            "access_key_id": responder_keys[0]["AccessKeyId"],
            "secret_access_key": responder_keys[0]["SecretAccessKey"],
        }

    os.makedirs(args.findings_dir, exist_ok=True)
    ec2_id, ec2_event = Ec2Finding(ec2_template, instance, image, profile, now)
    iam_id, iam_findings = IamFinding(iam_template, user, keys[0]["AccessKeyId"], now)
    ec2_path = os.path.abspath(os.path.join(args.findings_dir, "guardduty-ec2.json"))
    iam_path = os.path.abspath(os.path.join(args.findings_dir, "guardduty-iam.json"))
    Write(ec2_path, ec2_event)
    Write(iam_path, iam_findings)
    seed["findings"] = {
        "ec2": {"path": ec2_path, "id": ec2_id, "type": EC2_FINDING_TYPE, "shape": "eventbridge"},
        "iam": {"path": iam_path, "id": iam_id, "type": IAM_FINDING_TYPE, "shape": "api"},
    }
    json.dump(seed, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
