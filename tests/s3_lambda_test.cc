// End to end against moto: the S3 bucket and Lambda function playbooks, applied and released,
// with the end state read back through boto3. cordon runs with the seeded responder's keys, so
// its caller is arn:aws:iam::123456789012:user/cordon-responder.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

constexpr char kResponder[] = "arn:aws:iam::123456789012:user/cordon-responder";

class S3LambdaTest : public CordonMotoTest {
 protected:
  Environment ResponderEnv() {
    Environment env = Env();
    env["AWS_ACCESS_KEY_ID"] = seed_["responder"]["access_key_id"];
    env["AWS_SECRET_ACCESS_KEY"] = seed_["responder"]["secret_access_key"];
    return env;
  }

  // Creates the bucket case-data with an application's Allow policy; returns that policy.
  json SeedBucket() {
    return Boto(R"(
s3 = boto3.client('s3')
s3.create_bucket(Bucket='case-data')
s3.put_bucket_tagging(Bucket='case-data', Tagging={'TagSet': [{'Key': 'team', 'Value': 'data'}]})
policy = {'Version': '2012-10-17', 'Statement': [{'Sid': 'AppRead', 'Effect': 'Allow',
          'Principal': {'AWS': 'arn:aws:iam::123456789012:role/web-app-role'},
          'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::case-data/*'}]}
s3.put_bucket_policy(Bucket='case-data', Policy=json.dumps(policy))
print(json.dumps(policy))
)");
  }

  // The bucket's policy, public access block and versioning, or the error code for "none".
  json BucketState() {
    return Boto(R"(
import botocore
s3, out = boto3.client('s3'), {}
try:
    text = s3.get_bucket_policy(Bucket='case-data')['Policy']
    try:
        out['policy'] = json.loads(text)
    except ValueError:
        out['policy'] = text
except botocore.exceptions.ClientError as e:
    out['policy'] = e.response['Error']['Code']
try:
    out['block'] = s3.get_public_access_block(Bucket='case-data')['PublicAccessBlockConfiguration']
except botocore.exceptions.ClientError as e:
    out['block'] = e.response['Error']['Code']
out['versioning'] = s3.get_bucket_versioning(Bucket='case-data').get('Status', 'never')
print(json.dumps(out))
)");
  }

  // The bucket's tags as one object.
  json Tags() {
    return Boto(
        "print(json.dumps({t['Key']: t['Value'] for t in boto3.client('s3').get_bucket_tagging("
        "Bucket='case-data')['TagSet']}))");
  }

  // Two functions sharing the role fn-role: exfil-fn (no reserved concurrency; an enabled and a
  // disabled SQS mapping) and batch-fn (reserved concurrency 7). Returns the mapping UUIDs.
  json SeedFunctions() {
    return Boto(R"(
import io, zipfile
iam, lam, sqs = boto3.client('iam'), boto3.client('lambda'), boto3.client('sqs')
trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow',
         'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}
role = iam.create_role(RoleName='fn-role', AssumeRolePolicyDocument=json.dumps(trust))['Role']
code = io.BytesIO()
with zipfile.ZipFile(code, 'w') as archive:
    archive.writestr('handler.py', 'def handle(event, context):\n    return 1\n')
for name in ['exfil-fn', 'batch-fn']:
    lam.create_function(FunctionName=name, Runtime='python3.11', Role=role['Arn'],
                        Handler='handler.handle', Code={'ZipFile': code.getvalue()})
lam.put_function_concurrency(FunctionName='batch-fn', ReservedConcurrentExecutions=7)
uuids = {}
for name, enabled in [('orders', True), ('refunds', False)]:
    url = sqs.create_queue(QueueName=name)['QueueUrl']
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
    uuids[name] = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName='exfil-fn',
                                                  BatchSize=5, Enabled=enabled)['UUID']
print(json.dumps(uuids))
)");
  }

  json FunctionState(const json& uuids) {
    return Boto(R"(
lam, iam, out = boto3.client('lambda'), boto3.client('iam'), {}
for name in ['exfil-fn', 'batch-fn']:
    out[name] = lam.get_function_concurrency(FunctionName=name).get(
        'ReservedConcurrentExecutions', 'none')
uuids = )" + uuids.dump() +
                R"(
out['mappings'] = {k: lam.get_event_source_mapping(UUID=u)['State'] for k, u in uuids.items()}
out['role_policies'] = iam.list_role_policies(RoleName='fn-role')['PolicyNames']
print(json.dumps(out))
)");
  }
};

TEST_F(S3LambdaTest, BucketIsLockedDownAndReleaseRestoresAllButVersioning) {
  const json original = SeedBucket();
  const json before = BucketState();
  ASSERT_EQ(before["policy"], original);
  ASSERT_EQ(before["block"], "NoSuchPublicAccessBlockConfiguration");

  ProcessResult run = Cordon({"apply", "--case", "s3", "--yes", "--target",
                              "aws:s3-bucket:case-data", "--responder", kResponder},
                             ResponderEnv());

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const json during = BucketState();
  EXPECT_EQ(during["versioning"], "Enabled");
  EXPECT_EQ(during["block"], json::parse(R"({"BlockPublicAcls":true,"IgnorePublicAcls":true,
      "BlockPublicPolicy":true,"RestrictPublicBuckets":true})"));
  ASSERT_EQ(during["policy"]["Statement"].size(), 1u) << during.dump();
  const json& statement = during["policy"]["Statement"][0];
  EXPECT_EQ(statement["Effect"], "Deny");
  EXPECT_EQ(statement["Principal"], "*");
  EXPECT_EQ(statement["Action"], "s3:*");
  EXPECT_EQ(statement["Resource"], json({"arn:aws:s3:::case-data", "arn:aws:s3:::case-data/*"}));
  EXPECT_EQ(statement["Condition"]["ArnNotLike"]["aws:PrincipalArn"], json({kResponder}));
  EXPECT_EQ(during.dump().find("NotPrincipal"), std::string::npos);
  EXPECT_EQ(Tags(), json({{"team", "data"}, {"IR-Case", "s3"}, {"IR-Status", "contained"}}));

  ProcessResult release = Cordon({"release", "--case", "s3", "--yes"}, ResponderEnv());

  ASSERT_EQ(release.exit_code, 0) << release.out << release.err;
  const json after = BucketState();
  EXPECT_EQ(after["policy"], original);
  EXPECT_EQ(after["block"], "NoSuchPublicAccessBlockConfiguration");
  EXPECT_EQ(after["versioning"], "Enabled") << "versioning cannot be turned off";
  EXPECT_NE(release.out.find("irreversible"), std::string::npos) << release.out;
  EXPECT_EQ(Tags(), json({{"team", "data"}, {"IR-Case", "s3"}, {"IR-Status", "released"}}));

  ProcessResult again =
      Cordon({"release", "--case", "s3", "--yes", "--output", "json"}, ResponderEnv());

  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  const json items = json::parse(again.out, nullptr, false);
  ASSERT_FALSE(items.is_discarded()) << again.out;
  for (const auto& item : items["items"]) {
    EXPECT_TRUE(item["status"] == "already_released" || item["status"] == "irreversible")
        << item.dump();
  }
  EXPECT_EQ(BucketState(), after);
  EXPECT_EQ(Cordon({"verify", "--case", "s3"}).exit_code, 0);
}

TEST_F(S3LambdaTest, RefusesABucketWhenCordonItselfIsNotAResponder) {
  const json original = SeedBucket();
  ASSERT_TRUE(server_->MarkRequests());

  ProcessResult run =
      Cordon({"apply", "--case", "lockout", "--yes", "--target", "aws:s3-bucket:case-data",
              "--responder", "arn:aws:iam::123456789012:role/IR-*"},
             ResponderEnv());

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find(kResponder), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--responder"), std::string::npos) << run.err;
  auto requests = server_->RequestCount();
  ASSERT_TRUE(requests) << requests.error().Describe();
  EXPECT_EQ(*requests, 1u) << "only STS GetCallerIdentity may have been called";
  const json state = BucketState();
  EXPECT_EQ(state["policy"], original);
  EXPECT_EQ(state["block"], "NoSuchPublicAccessBlockConfiguration");
  EXPECT_EQ(state["versioning"], "never");
}

TEST_F(S3LambdaTest, AnAssumedRoleCallerIsMatchedThroughItsRolesPath) {
  SeedBucket();
  // A responder role under the path /ir/, assumed by cordon: its session ARN does not show the
  // path, so the wildcard entry role/ir/* is checked against the ARN IAM GetRole gives.
  const json session = Boto(R"(
iam, sts = boto3.client('iam'), boto3.client('sts')
trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow',
         'Principal': {'AWS': 'arn:aws:iam::123456789012:root'}, 'Action': 'sts:AssumeRole'}]}
role = iam.create_role(RoleName='IR-Responder', Path='/ir/',
                       AssumeRolePolicyDocument=json.dumps(trust))['Role']
c = sts.assume_role(RoleArn=role['Arn'], RoleSessionName='oncall')['Credentials']
print(json.dumps({'key': c['AccessKeyId'], 'secret': c['SecretAccessKey'],
                  'token': c['SessionToken']}))
)");
  Environment env = Env();
  env["AWS_ACCESS_KEY_ID"] = session["key"];
  env["AWS_SECRET_ACCESS_KEY"] = session["secret"];
  env["AWS_SESSION_TOKEN"] = session["token"];
  const std::string entry = "arn:aws:iam::123456789012:role/ir/*";
  ProcessResult other =
      Cordon({"apply", "--case", "role-caller", "--yes", "--target", "aws:s3-bucket:case-data",
              "--responder", "arn:aws:iam::123456789012:role/ops/*"},
             env);
  ASSERT_EQ(other.exit_code, 2) << other.out << other.err;
  EXPECT_NE(other.err.find("assumed-role/IR-Responder/oncall"), std::string::npos) << other.err;
  // aws:PrincipalArn carries the path: an entry without it would not exempt cordon.
  ProcessResult pathless =
      Cordon({"apply", "--case", "role-caller", "--yes", "--target", "aws:s3-bucket:case-data",
              "--responder", "arn:aws:iam::123456789012:role/IR-Responder"},
             env);
  ASSERT_EQ(pathless.exit_code, 2) << pathless.out << pathless.err;
  EXPECT_NE(pathless.err.find("--responder arn:aws:iam::123456789012:role/ir/IR-Responder"),
            std::string::npos)
      << pathless.err;

  ProcessResult run = Cordon({"apply", "--case", "role-caller", "--yes", "--target",
                              "aws:s3-bucket:case-data", "--responder", entry},
                             env);

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const json state = BucketState();
  EXPECT_EQ(state["policy"]["Statement"][0]["Condition"]["ArnNotLike"]["aws:PrincipalArn"],
            json({entry}));
}

TEST_F(S3LambdaTest, APolicyThatIsNotJsonIsKeptAndTheRunIsPartial) {
  // moto stores any text as a bucket policy; real S3 only stores JSON, so this is a read that
  // cannot be trusted.
  ASSERT_EQ(Boto("s3 = boto3.client('s3')\ns3.create_bucket(Bucket='case-data')\n"
                 "s3.put_bucket_policy(Bucket='case-data', Policy='{not json')\n"
                 "print(json.dumps(True))"),
            true);

  ProcessResult run = Cordon({"apply", "--case", "garbled", "--yes", "--target",
                              "aws:s3-bucket:case-data", "--responder", kResponder},
                             ResponderEnv());

  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_NE(run.out.find("not JSON"), std::string::npos) << run.out;
  const json state =
      Boto("print(json.dumps(boto3.client('s3').get_bucket_policy(Bucket='case-data')['Policy']))");
  EXPECT_EQ(state, "{not json") << "an unreadable policy is never overwritten";
  // Versioning comes first and is done; the public access block waits for the policy step (so
  // that release can relax it before restoring a public policy) and is skipped with it.
  const json rest = BucketState();
  EXPECT_EQ(rest["versioning"], "Enabled");
  EXPECT_EQ(rest["block"], "NoSuchPublicAccessBlockConfiguration");
}

TEST_F(S3LambdaTest, FunctionsAreStoppedAndReleaseRestoresConcurrencyAndMappings) {
  const json uuids = SeedFunctions();
  const json before = FunctionState(uuids);
  ASSERT_EQ(before["exfil-fn"], "none") << before.dump();
  ASSERT_EQ(before["batch-fn"], 7) << before.dump();
  ASSERT_EQ(before["mappings"]["orders"], "Enabled") << before.dump();
  ASSERT_EQ(before["mappings"]["refunds"], "Disabled") << before.dump();

  ProcessResult run =
      Cordon({"apply", "--case", "fn", "--yes", "--target", "aws:lambda-function:exfil-fn",
              "--target", "aws:lambda-function:batch-fn"},
             ResponderEnv());

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("lost"), std::string::npos)
      << "the report says asynchronous events have nowhere to go: " << run.out;
  const json during = FunctionState(uuids);
  EXPECT_EQ(during["exfil-fn"], 0);
  EXPECT_EQ(during["batch-fn"], 0);
  EXPECT_EQ(during["mappings"]["orders"], "Disabled");
  EXPECT_EQ(during["mappings"]["refunds"], "Disabled");
  EXPECT_EQ(during["role_policies"], json({"cordon-revoke-older-sessions-fn"}));

  ProcessResult release = Cordon({"release", "--case", "fn", "--yes"}, ResponderEnv());

  ASSERT_EQ(release.exit_code, 0) << release.out << release.err;
  EXPECT_EQ(FunctionState(uuids), before);

  ProcessResult again = Cordon({"release", "--case", "fn", "--yes"}, ResponderEnv());

  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(FunctionState(uuids), before);
  EXPECT_EQ(again.out.find(" undone "), std::string::npos) << again.out;
}

}  // namespace
}  // namespace cordon::testing
