// S3Client against a real moto_server, with every change read back through boto3.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "providers/aws/moto_fixture_for_tests.h"
#include "providers/aws/s3_client.h"

namespace cordon::aws {
namespace {

using ::testing::HasSubstr;

constexpr char kDenyAll[] =
    R"({"Version":"2012-10-17","Statement":[{"Sid":"CordonDenyAll","Effect":"Deny",)"
    R"("Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::case-bucket",)"
    R"("arn:aws:s3:::case-bucket/*"],"Condition":{"ArnNotLike":{"aws:PrincipalArn":)"
    R"(["arn:aws:iam::123456789012:role/responder"]}}}]})";

class S3ClientMotoTest : public MotoFixture {
 protected:
  void SetUp() override {
    MotoFixture::SetUp();
    ASSERT_TRUE(Boto("client('s3').create_bucket(Bucket='case-bucket'); emit(True)"));
  }
};

TEST_F(S3ClientMotoTest, AFreshBucketHasNoneOfTheSettingsAndWasNeverVersioned) {
  const S3Client s3(*api_);

  auto policy = s3.GetBucketPolicy("case-bucket");
  auto block = s3.GetPublicAccessBlock("case-bucket");
  auto ownership = s3.GetBucketOwnershipControls("case-bucket");
  auto versioning = s3.GetBucketVersioning("case-bucket");
  auto lock = s3.GetObjectLockConfiguration("case-bucket");
  auto location = s3.GetBucketLocation("case-bucket");

  ASSERT_TRUE(policy) << policy.error().Describe();
  EXPECT_EQ(*policy, std::nullopt);
  ASSERT_TRUE(block) << block.error().Describe();
  EXPECT_EQ(*block, std::nullopt);
  ASSERT_TRUE(ownership) << ownership.error().Describe();
  EXPECT_FALSE(ownership->has_value());
  ASSERT_TRUE(versioning) << versioning.error().Describe();
  EXPECT_EQ(versioning->status, VersioningStatus::kNeverEnabled);
  ASSERT_TRUE(lock) << lock.error().Describe();
  EXPECT_FALSE(lock->has_value());
  ASSERT_TRUE(location) << location.error().Describe();
  EXPECT_EQ(*location, "us-east-1");
}

TEST_F(S3ClientMotoTest, ContainmentSettingsAreWhatBoto3ReadsBack) {
  const S3Client s3(*api_);

  ASSERT_TRUE(s3.PutBucketPolicy("case-bucket", kDenyAll));
  ASSERT_TRUE(s3.PutPublicAccessBlock("case-bucket", PublicAccessBlock::AllOn()));
  ASSERT_TRUE(s3.PutBucketVersioning("case-bucket", VersioningStatus::kEnabled));

  auto seen = Boto(R"(
s3 = client('s3')
emit({'policy': json.loads(s3.get_bucket_policy(Bucket='case-bucket')['Policy']),
      'block': s3.get_public_access_block(Bucket='case-bucket')['PublicAccessBlockConfiguration'],
      'versioning': s3.get_bucket_versioning(Bucket='case-bucket').get('Status')})
)");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ((*seen)["policy"], nlohmann::json::parse(kDenyAll));
  EXPECT_EQ((*seen)["block"], nlohmann::json::parse(R"({"BlockPublicAcls":true,
      "IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true})"));
  EXPECT_EQ((*seen)["versioning"], "Enabled");
  auto policy = s3.GetBucketPolicy("case-bucket");
  ASSERT_TRUE(policy && policy->has_value());
  EXPECT_EQ(nlohmann::json::parse(**policy), nlohmann::json::parse(kDenyAll));
  auto block = s3.GetPublicAccessBlock("case-bucket");
  ASSERT_TRUE(block && block->has_value());
  EXPECT_EQ(**block, PublicAccessBlock::AllOn());
  EXPECT_EQ(s3.GetBucketVersioning("case-bucket")->status, VersioningStatus::kEnabled);
}

TEST_F(S3ClientMotoTest, PriorSettingsAreReadAndRestored) {
  ASSERT_TRUE(Boto(R"(
s3 = client('s3')
s3.put_public_access_block(Bucket='case-bucket', PublicAccessBlockConfiguration={
    'BlockPublicAcls': True, 'IgnorePublicAcls': False, 'BlockPublicPolicy': True,
    'RestrictPublicBuckets': False})
s3.put_bucket_ownership_controls(Bucket='case-bucket',
    OwnershipControls={'Rules': [{'ObjectOwnership': 'BucketOwnerEnforced'}]})
s3.put_bucket_policy(Bucket='case-bucket', Policy='{"Version":"2012-10-17","Statement":[]}')
emit(True)
)"));
  const S3Client s3(*api_);

  auto block = s3.GetPublicAccessBlock("case-bucket");
  auto ownership = s3.GetBucketOwnershipControls("case-bucket");
  ASSERT_TRUE(block && block->has_value());
  EXPECT_EQ(**block, (PublicAccessBlock{true, false, true, false}));
  ASSERT_TRUE(ownership && ownership->has_value());
  EXPECT_EQ((*ownership)->object_ownership, std::vector<std::string>{"BucketOwnerEnforced"});

  ASSERT_TRUE(s3.PutPublicAccessBlock("case-bucket", PublicAccessBlock::AllOn()));
  ASSERT_TRUE(s3.PutPublicAccessBlock("case-bucket", **block));
  ASSERT_TRUE(s3.DeleteBucketPolicy("case-bucket"));
  auto seen = Boto(R"(
s3 = client('s3')
try:
    s3.get_bucket_policy(Bucket='case-bucket')
    policy = 'present'
except s3.exceptions.ClientError as error:
    policy = error.response['Error']['Code']
emit({'policy': policy,
      'block': s3.get_public_access_block(Bucket='case-bucket')['PublicAccessBlockConfiguration']})
)");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ((*seen)["policy"], "NoSuchBucketPolicy");
  EXPECT_EQ((*seen)["block"]["IgnorePublicAcls"], false);
  EXPECT_EQ((*seen)["block"]["BlockPublicPolicy"], true);
}

TEST_F(S3ClientMotoTest, DeletedPublicAccessBlockIsNoneAgain) {
  const S3Client s3(*api_);
  ASSERT_TRUE(s3.PutPublicAccessBlock("case-bucket", PublicAccessBlock::AllOn()));

  ASSERT_TRUE(s3.DeletePublicAccessBlock("case-bucket"));

  auto block = s3.GetPublicAccessBlock("case-bucket");
  ASSERT_TRUE(block) << block.error().Describe();
  EXPECT_EQ(*block, std::nullopt);
}

TEST_F(S3ClientMotoTest, EvidenceObjectIsLockedAndCarriesItsChecksum) {
  const S3Client s3(*api_);
  const std::string body = "{\"eventID\":\"e-1\"}\n{\"eventID\":\"e-2\"}\n";
  const auto retain_until = std::chrono::sys_days{std::chrono::year{2031} / 3 / 4};

  ASSERT_TRUE(s3.CreateBucket("evidence-locked", /*object_lock_enabled=*/true));
  ASSERT_TRUE(
      s3.PutObjectLockConfiguration("evidence-locked", {ObjectLockMode::kGovernance, 30, 0}));
  auto put = s3.PutObject({"evidence-locked", "cases/c 1/cloudtrail é.jsonl", body,
                           "application/x-ndjson", ObjectLockMode::kGovernance, retain_until});

  ASSERT_TRUE(put) << put.error().Describe();
  EXPECT_FALSE(put->version_id.empty());
  EXPECT_EQ(put->checksum_sha256, Sha256Base64(body));
  auto seen = Boto(R"(
s3 = client('s3')
key = 'cases/c 1/cloudtrail \u00e9.jsonl'
head = s3.head_object(Bucket='evidence-locked', Key=key, ChecksumMode='ENABLED')
lock = s3.get_object_lock_configuration(Bucket='evidence-locked')['ObjectLockConfiguration']
emit({'mode': head['ObjectLockMode'], 'until': head['ObjectLockRetainUntilDate'].isoformat(),
      'checksum': head['ChecksumSHA256'], 'version': head['VersionId'],
      'body': s3.get_object(Bucket='evidence-locked', Key=key)['Body'].read().decode(),
      'lock': lock,
      'versioning': s3.get_bucket_versioning(Bucket='evidence-locked').get('Status')})
)");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ((*seen)["mode"], "GOVERNANCE");
  EXPECT_EQ((*seen)["until"], "2031-03-04T00:00:00+00:00");
  EXPECT_EQ((*seen)["checksum"], Sha256Base64(body));
  EXPECT_EQ((*seen)["version"], put->version_id);
  EXPECT_EQ((*seen)["body"], body);
  EXPECT_EQ((*seen)["lock"]["ObjectLockEnabled"], "Enabled");
  EXPECT_EQ((*seen)["lock"]["Rule"]["DefaultRetention"]["Mode"], "GOVERNANCE");
  EXPECT_EQ((*seen)["lock"]["Rule"]["DefaultRetention"]["Days"], 30);
  EXPECT_EQ((*seen)["versioning"], "Enabled");
  auto lock = s3.GetObjectLockConfiguration("evidence-locked");
  ASSERT_TRUE(lock && lock->has_value());
  EXPECT_TRUE((*lock)->enabled);
  ASSERT_TRUE((*lock)->retention.has_value());
  EXPECT_EQ((*lock)->retention->days, 30);
  EXPECT_EQ((*lock)->retention->mode, ObjectLockMode::kGovernance);
}

TEST_F(S3ClientMotoTest, MissingBucketIsNotFound) {
  const S3Client s3(*api_);

  auto policy = s3.GetBucketPolicy("no-such-bucket-here");
  auto head = s3.HeadBucket("no-such-bucket-here");

  ASSERT_FALSE(policy);
  EXPECT_EQ(policy.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(policy.error().provider_code, "NoSuchBucket");
  EXPECT_FALSE(policy.error().request_id.empty());
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().kind, ErrorKind::kNotFound);
}

TEST_F(S3ClientMotoTest, SignedS3CallsAreAcceptedWithTheRightSecretOnly) {
  auto credentials = CheckSignatures();
  ASSERT_TRUE(credentials) << credentials.error().Describe();
  auto api = Client(*credentials);
  Credentials wrong = *credentials;
  wrong.secret_access_key += "x";
  auto wrong_api = Client(wrong);
  const S3Client s3(*api);

  ASSERT_TRUE(s3.CreateBucket("signed-bucket", /*object_lock_enabled=*/false));
  auto policy = s3.PutBucketPolicy("signed-bucket", kDenyAll);
  // moto's check rejects boto3's own signature for keys with '+' or non-ASCII characters;
  // aws_api_client_botocore_test.cc covers those against botocore.
  auto put = s3.PutObject({"signed-bucket", "case 1/events.jsonl", "x", "text/plain", {}, {}});
  auto read = s3.GetBucketPolicy("signed-bucket");
  auto rejected = S3Client(*wrong_api).GetBucketPolicy("signed-bucket");

  ASSERT_TRUE(policy) << policy.error().Describe();
  ASSERT_TRUE(put) << put.error().Describe();
  ASSERT_TRUE(read) << read.error().Describe();
  EXPECT_TRUE(read->has_value());
  ASSERT_FALSE(rejected);
  EXPECT_THAT(rejected.error().provider_code, HasSubstr("SignatureDoesNotMatch"));
}

}  // namespace
}  // namespace cordon::aws
