// LambdaClient against a real moto_server: a function seeded with boto3 (role, code, two SQS
// event-source mappings), every change read back through boto3. moto does not paginate
// ListEventSourceMappings (paging is covered by lambda_client_test.cc), and with signature checks
// on it rejects even boto3's own Lambda requests, so Lambda signing is checked against botocore
// in aws_api_client_botocore_test.cc instead.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "providers/aws/lambda_client.h"
#include "providers/aws/moto_fixture_for_tests.h"

namespace cordon::aws {
namespace {

using ::testing::HasSubstr;

class LambdaClientMotoTest : public MotoFixture {
 protected:
  void SetUp() override {
    MotoFixture::SetUp();
    auto seeded = Boto(R"(
import io, zipfile
iam, lam, sqs = client('iam'), client('lambda'), client('sqs')
trust = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow',
         'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]}
role = iam.create_role(RoleName='fn-role', AssumeRolePolicyDocument=json.dumps(trust))['Role']
code = io.BytesIO()
with zipfile.ZipFile(code, 'w') as archive:
    archive.writestr('handler.py', 'def handle(event, context):\n    return 1\n')
function = lam.create_function(FunctionName='exfil-fn', Runtime='python3.11',
    Role=role['Arn'], Handler='handler.handle', Code={'ZipFile': code.getvalue()})
uuids = []
for name in ['orders', 'refunds']:
    url = sqs.create_queue(QueueName=name)['QueueUrl']
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
    uuids.append(lam.create_event_source_mapping(EventSourceArn=arn, FunctionName='exfil-fn',
                                                 BatchSize=5)['UUID'])
emit({'function_arn': function['FunctionArn'], 'role_arn': role['Arn'], 'uuids': uuids})
)");
    ASSERT_TRUE(seeded) << seeded.error().message;
    seed_ = *seeded;
  }

  nlohmann::json seed_;
};

TEST_F(LambdaClientMotoTest, ReadsTheSeededConfiguration) {
  auto config = LambdaClient(*api_).GetFunctionConfiguration("exfil-fn");

  ASSERT_TRUE(config) << config.error().Describe();
  EXPECT_EQ(config->function_name, "exfil-fn");
  EXPECT_EQ(config->function_arn, seed_["function_arn"]);
  EXPECT_EQ(config->role, seed_["role_arn"]);
  EXPECT_EQ(config->runtime, "python3.11");
  EXPECT_EQ(config->raw["Handler"], "handler.handle");
}

TEST_F(LambdaClientMotoTest, ReservedConcurrencyGoesFromNoneToZeroAndBack) {
  const LambdaClient lambda(*api_);

  auto before = lambda.GetFunctionConcurrency("exfil-fn");
  ASSERT_TRUE(lambda.PutFunctionConcurrency("exfil-fn", 0));
  auto contained = lambda.GetFunctionConcurrency("exfil-fn");
  auto seen_zero = Boto(
      "emit(client('lambda').get_function_concurrency(FunctionName='exfil-fn')"
      ".get('ReservedConcurrentExecutions', 'none'))");
  ASSERT_TRUE(lambda.DeleteFunctionConcurrency("exfil-fn"));
  auto released = lambda.GetFunctionConcurrency("exfil-fn");
  auto seen_none = Boto(
      "emit(client('lambda').get_function_concurrency(FunctionName='exfil-fn')"
      ".get('ReservedConcurrentExecutions', 'none'))");

  ASSERT_TRUE(before) << before.error().Describe();
  EXPECT_EQ(*before, std::nullopt);
  ASSERT_TRUE(contained) << contained.error().Describe();
  EXPECT_EQ(*contained, std::optional<int>(0));
  ASSERT_TRUE(seen_zero) << seen_zero.error().message;
  EXPECT_EQ(*seen_zero, 0);
  ASSERT_TRUE(released) << released.error().Describe();
  EXPECT_EQ(*released, std::nullopt);
  ASSERT_TRUE(seen_none) << seen_none.error().message;
  EXPECT_EQ(*seen_none, "none");
}

TEST_F(LambdaClientMotoTest, MappingsAreListedAndDisabled) {
  const LambdaClient lambda(*api_);

  auto mappings = lambda.ListEventSourceMappings("exfil-fn");
  ASSERT_TRUE(mappings) << mappings.error().Describe();
  std::set<std::string> uuids;
  for (const EventSourceMapping& mapping : *mappings) {
    uuids.insert(mapping.uuid);
    EXPECT_EQ(mapping.state, "Enabled");
    EXPECT_EQ(mapping.function_arn, seed_["function_arn"]);
  }
  EXPECT_EQ(uuids, (std::set<std::string>{seed_["uuids"][0], seed_["uuids"][1]}));

  const std::string uuid = seed_["uuids"][0];
  auto updated = lambda.UpdateEventSourceMapping(uuid, false);
  auto polled = lambda.GetEventSourceMapping(uuid);
  auto seen = Boto("emit([client('lambda').get_event_source_mapping(UUID=u)['State'] for u in " +
                   seed_["uuids"].dump() + "])");

  ASSERT_TRUE(updated) << updated.error().Describe();
  EXPECT_EQ(updated->uuid, uuid);
  ASSERT_TRUE(polled) << polled.error().Describe();
  EXPECT_EQ(polled->state, "Disabled");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(*seen, nlohmann::json::parse(R"(["Disabled","Enabled"])"));
}

TEST_F(LambdaClientMotoTest, ResourcePolicyIsNoneUntilAPermissionIsAdded) {
  const LambdaClient lambda(*api_);

  auto none = lambda.GetPolicy("exfil-fn");
  ASSERT_TRUE(
      Boto("client('lambda').add_permission(FunctionName='exfil-fn', StatementId='s3in',"
           " Action='lambda:InvokeFunction', Principal='s3.amazonaws.com'); emit(True)"));
  auto policy = lambda.GetPolicy("exfil-fn");

  ASSERT_TRUE(none) << none.error().Describe();
  EXPECT_EQ(*none, std::nullopt);
  ASSERT_TRUE(policy) << policy.error().Describe();
  ASSERT_TRUE(policy->has_value());
  const nlohmann::json document = nlohmann::json::parse((*policy)->policy);
  EXPECT_EQ(document["Statement"][0]["Sid"], "s3in");
}

TEST_F(LambdaClientMotoTest, EventInvokeConfigNamesTheFailureDestination) {
  const LambdaClient lambda(*api_);

  auto none = lambda.GetFunctionEventInvokeConfig("exfil-fn");
  ASSERT_TRUE(Boto(R"(
client('lambda').put_function_event_invoke_config(FunctionName='exfil-fn',
    DestinationConfig={'OnFailure': {'Destination': 'arn:aws:sqs:us-east-1:123456789012:orders'}})
emit(True)
)"));
  auto config = lambda.GetFunctionEventInvokeConfig("exfil-fn");

  ASSERT_TRUE(none) << none.error().Describe();
  EXPECT_EQ(*none, std::nullopt);
  ASSERT_TRUE(config) << config.error().Describe();
  ASSERT_TRUE(config->has_value());
  EXPECT_EQ((*config)->on_failure_destination, "arn:aws:sqs:us-east-1:123456789012:orders");
}

TEST_F(LambdaClientMotoTest, MissingFunctionIsNotFound) {
  auto config = LambdaClient(*api_).GetFunctionConfiguration("no-such-fn");

  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(config.error().provider_code, "ResourceNotFoundException");
  EXPECT_THAT(config.error().message, HasSubstr("no-such-fn"));
}

}  // namespace
}  // namespace cordon::aws
