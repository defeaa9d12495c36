// S3Client request forms and response readings over FakeAwsApi. Responses moto can give are
// checked against moto itself in s3_client_moto_test.cc; these cover the wire form and what only
// real S3 sends.
#include "providers/aws/s3_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;

RestResponse Ok(std::string body = "", transport::Headers headers = {}) {
  return RestResponse{200, std::move(headers), std::move(body), "s3-req"};
}

Error S3Error(const std::string& code, int status = 404) {
  return Error{ErrorKind::kProvider, "s3: " + code, code, "err-req", status, false};
}

std::string HeaderOf(const RestRequest& request, std::string_view name) {
  RestResponse view;
  view.headers = request.headers;
  return view.Header(name);
}

TEST(S3ClientTest, GetBucketPolicyReadsThePolicySubResource) {
  FakeAwsApi api;
  api.QueueRest(Ok(R"({"Version":"2012-10-17","Statement":[]})"));

  auto policy = S3Client(api).GetBucketPolicy("my-bucket");

  ASSERT_TRUE(policy) << policy.error().Describe();
  ASSERT_TRUE(policy->has_value());
  EXPECT_EQ(**policy, R"({"Version":"2012-10-17","Statement":[]})");
  const auto calls = api.RestCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].service, "s3");
  EXPECT_EQ(calls[0].request.method, "GET");
  EXPECT_EQ(calls[0].request.path, "/my-bucket");
  EXPECT_THAT(calls[0].request.query, ::testing::ElementsAre(Pair("policy", "")));
}

TEST(S3ClientTest, NoneStatesAreValuesAndOtherErrorsAreErrors) {
  FakeAwsApi api;
  api.QueueRestError(S3Error("NoSuchBucketPolicy"));
  api.QueueRestError(S3Error("NoSuchPublicAccessBlockConfiguration"));
  api.QueueRestError(S3Error("OwnershipControlsNotFoundError"));
  api.QueueRestError(S3Error("ObjectLockConfigurationNotFoundError"));
  api.QueueRestError(S3Error("AccessDenied", 403));
  const S3Client s3(api);

  auto policy = s3.GetBucketPolicy("b-1");
  auto block = s3.GetPublicAccessBlock("b-1");
  auto ownership = s3.GetBucketOwnershipControls("b-1");
  auto lock = s3.GetObjectLockConfiguration("b-1");
  auto denied = s3.GetBucketPolicy("b-1");

  ASSERT_TRUE(policy);
  EXPECT_FALSE(policy->has_value());
  ASSERT_TRUE(block);
  EXPECT_FALSE(block->has_value());
  ASSERT_TRUE(ownership);
  EXPECT_FALSE(ownership->has_value());
  ASSERT_TRUE(lock);
  EXPECT_FALSE(lock->has_value());
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().provider_code, "AccessDenied");
}

TEST(S3ClientTest, PutPublicAccessBlockSendsAllFourFlagsWithAChecksum) {
  FakeAwsApi api;
  api.QueueRest(Ok());

  auto put = S3Client(api).PutPublicAccessBlock("b-1", PublicAccessBlock::AllOn());

  ASSERT_TRUE(put) << put.error().Describe();
  EXPECT_EQ(put->request_id, "s3-req");
  const RestRequest request = api.RestCalls().at(0).request;
  EXPECT_EQ(request.method, "PUT");
  EXPECT_THAT(request.query, ::testing::ElementsAre(Pair("publicAccessBlock", "")));
  EXPECT_EQ(request.body,
            "<PublicAccessBlockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
            "<BlockPublicPolicy>true</BlockPublicPolicy>"
            "<RestrictPublicBuckets>true</RestrictPublicBuckets>"
            "</PublicAccessBlockConfiguration>");
  EXPECT_EQ(HeaderOf(request, "x-amz-checksum-sha256"), Sha256Base64(request.body));
  EXPECT_EQ(HeaderOf(request, "x-amz-sdk-checksum-algorithm"), "SHA256");
  EXPECT_EQ(HeaderOf(request, "Content-Type"), "application/xml");
}

TEST(S3ClientTest, PolicyThatIsNotJsonIsRefusedBeforeSending) {
  FakeAwsApi api;

  auto put = S3Client(api).PutBucketPolicy("b-1", R"({"Version": "2012-10-17",)");
  auto array = S3Client(api).PutBucketPolicy("b-1", "[]");

  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind, ErrorKind::kInvalidInput);
  ASSERT_FALSE(array);
  EXPECT_TRUE(api.RestCalls().empty());
}

TEST(S3ClientTest, BucketNamesThatCouldChangeThePathAreRefused) {
  FakeAwsApi api;
  const S3Client s3(api);

  const std::vector<std::string> names = {"",         "..",  "a/b",
                                          "a?policy", "a b", std::string(256, 'a')};
  for (const std::string& bad : names) {
    auto result = s3.GetBucketVersioning(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput) << bad;
  }
  EXPECT_TRUE(api.RestCalls().empty());
}

TEST(S3ClientTest, ExpectedOwnerTravelsWithEveryCall) {
  FakeAwsApi api;
  api.QueueRest(Ok("<VersioningConfiguration/>"));
  api.QueueRest(Ok());

  ASSERT_TRUE(S3Client(api, "123456789012").GetBucketVersioning("b-1"));
  ASSERT_TRUE(S3Client(api).DeleteBucketPolicy("b-1"));

  EXPECT_EQ(HeaderOf(api.RestCalls().at(0).request, "x-amz-expected-bucket-owner"), "123456789012");
  EXPECT_EQ(HeaderOf(api.RestCalls().at(1).request, "x-amz-expected-bucket-owner"), "");
}

TEST(S3ClientTest, VersioningStatusAbsentMeansNeverEnabled) {
  FakeAwsApi api;
  api.QueueRest(Ok("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"));
  api.QueueRest(
      Ok("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
         "<Status>Suspended</Status><MfaDelete>Disabled</MfaDelete>"
         "</VersioningConfiguration>"));
  api.QueueRest(Ok("<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>"));
  const S3Client s3(api);

  auto never = s3.GetBucketVersioning("b-1");
  auto suspended = s3.GetBucketVersioning("b-1");
  auto odd = s3.GetBucketVersioning("b-1");

  ASSERT_TRUE(never);
  EXPECT_EQ(never->status, VersioningStatus::kNeverEnabled);
  ASSERT_TRUE(suspended);
  EXPECT_EQ(suspended->status, VersioningStatus::kSuspended);
  EXPECT_EQ(suspended->mfa_delete, "Disabled");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().kind, ErrorKind::kProvider);
}

TEST(S3ClientTest, VersioningCanOnlyBeEnabledOrSuspended) {
  FakeAwsApi api;
  api.QueueRest(Ok());

  auto unset = S3Client(api).PutBucketVersioning("b-1", VersioningStatus::kNeverEnabled);
  auto enabled = S3Client(api).PutBucketVersioning("b-1", VersioningStatus::kEnabled);

  ASSERT_FALSE(unset);
  EXPECT_EQ(unset.error().kind, ErrorKind::kInvalidInput);
  ASSERT_TRUE(enabled);
  EXPECT_THAT(api.RestCalls().at(0).request.body, HasSubstr("<Status>Enabled</Status>"));
}

TEST(S3ClientTest, LocationConstraintNamesTheRegion) {
  FakeAwsApi api;
  api.QueueRest(Ok("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"));
  api.QueueRest(
      Ok("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">EU"
         "</LocationConstraint>"));
  api.QueueRest(
      Ok("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
         "ap-south-1</LocationConstraint>"));
  const S3Client s3(api);

  EXPECT_EQ(s3.GetBucketLocation("b-1").value_or("?"), "us-east-1");
  EXPECT_EQ(s3.GetBucketLocation("b-1").value_or("?"), "eu-west-1");
  EXPECT_EQ(s3.GetBucketLocation("b-1").value_or("?"), "ap-south-1");
}

TEST(S3ClientTest, ObjectLockConfigurationWritesOneRetentionUnit) {
  FakeAwsApi api;
  api.QueueRest(Ok());
  const S3Client s3(api);

  auto both = s3.PutObjectLockConfiguration("b-1", {ObjectLockMode::kGovernance, 7, 1});
  auto none = s3.PutObjectLockConfiguration("b-1", {ObjectLockMode::kGovernance, 0, 0});
  auto compliance = s3.PutObjectLockConfiguration("b-1", {ObjectLockMode::kCompliance, 0, 2});

  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().kind, ErrorKind::kInvalidInput);
  ASSERT_FALSE(none);
  ASSERT_TRUE(compliance);
  const RestRequest request = api.RestCalls().at(0).request;
  EXPECT_THAT(request.query, ::testing::ElementsAre(Pair("object-lock", "")));
  EXPECT_EQ(request.body,
            "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention>"
            "<Mode>COMPLIANCE</Mode><Years>2</Years></DefaultRetention></Rule>"
            "</ObjectLockConfiguration>");
}

TEST(S3ClientTest, CreateBucketOutsideUsEast1NamesItsRegion) {
  class EuApi : public FakeAwsApi {
   public:
    std::string Region() const override { return "eu-central-1"; }
  };
  EuApi eu;
  FakeAwsApi us;
  eu.QueueRest(Ok());
  us.QueueRest(Ok());

  ASSERT_TRUE(
      S3Client(eu, "123456789012").CreateBucket("evidence-eu", /*object_lock_enabled=*/true));
  ASSERT_TRUE(S3Client(us).CreateBucket("evidence-us", /*object_lock_enabled=*/false));

  const RestRequest eu_request = eu.RestCalls().at(0).request;
  EXPECT_EQ(eu_request.method, "PUT");
  EXPECT_EQ(eu_request.path, "/evidence-eu");
  EXPECT_THAT(eu_request.body, HasSubstr("<LocationConstraint>eu-central-1</LocationConstraint>"));
  EXPECT_EQ(HeaderOf(eu_request, "x-amz-bucket-object-lock-enabled"), "true");
  EXPECT_EQ(HeaderOf(eu_request, "x-amz-expected-bucket-owner"), "");
  const RestRequest us_request = us.RestCalls().at(0).request;
  EXPECT_EQ(us_request.body, "");
  EXPECT_EQ(HeaderOf(us_request, "x-amz-bucket-object-lock-enabled"), "");
}

TEST(S3ClientTest, PutObjectSendsLockHeadersAndTheBodyChecksum) {
  FakeAwsApi api;
  const std::string body = "{\"event\":1}\n";
  api.QueueRest(Ok("", {{"x-amz-version-id", "v-1"},
                        {"ETag", "\"etag\""},
                        {"x-amz-checksum-sha256", Sha256Base64(body)}}));
  PutObjectRequest object;
  object.bucket = "evidence";
  object.key = "cases/c 1/events.jsonl";
  object.body = body;
  object.content_type = "application/x-ndjson";
  object.lock_mode = ObjectLockMode::kGovernance;
  object.retain_until = std::chrono::sys_days{std::chrono::year{2026} / 2 / 1} +
                        std::chrono::hours{12} + std::chrono::milliseconds{900};

  auto put = S3Client(api).PutObject(object);

  ASSERT_TRUE(put) << put.error().Describe();
  EXPECT_EQ(put->version_id, "v-1");
  EXPECT_EQ(put->etag, "\"etag\"");
  EXPECT_EQ(put->checksum_sha256, Sha256Base64(body));
  const RestRequest request = api.RestCalls().at(0).request;
  EXPECT_EQ(request.path, "/evidence/cases/c%201/events.jsonl");
  EXPECT_TRUE(request.query.empty());
  EXPECT_EQ(request.body, body);
  EXPECT_EQ(HeaderOf(request, "Content-Type"), "application/x-ndjson");
  EXPECT_EQ(HeaderOf(request, "x-amz-object-lock-mode"), "GOVERNANCE");
  EXPECT_EQ(HeaderOf(request, "x-amz-object-lock-retain-until-date"), "2026-02-01T12:00:00Z");
  EXPECT_EQ(HeaderOf(request, "x-amz-checksum-sha256"), Sha256Base64(body));
}

TEST(S3ClientTest, PutObjectRefusesBadKeysAndHalfALock) {
  FakeAwsApi api;
  const S3Client s3(api);
  PutObjectRequest dots{"evidence", "a/../b", "x", "text/plain", std::nullopt, std::nullopt};
  PutObjectRequest empty{"evidence", "", "x", "text/plain", std::nullopt, std::nullopt};
  PutObjectRequest half{"evidence",  "k", "x", "text/plain", ObjectLockMode::kGovernance,
                        std::nullopt};

  EXPECT_EQ(s3.PutObject(dots).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(s3.PutObject(empty).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(s3.PutObject(half).error().kind, ErrorKind::kInvalidInput);
  EXPECT_TRUE(api.RestCalls().empty());
}

TEST(S3ClientTest, ADifferentEchoedChecksumIsCorruption) {
  FakeAwsApi api;
  api.QueueRest(Ok("", {{"x-amz-checksum-sha256", Sha256Base64("something else")}}));
  PutObjectRequest object{"evidence", "k", "body", "text/plain", std::nullopt, std::nullopt};

  auto put = S3Client(api).PutObject(object);

  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().kind, ErrorKind::kCorrupt);
}

TEST(S3ClientTest, ResponsesThatAreNotXmlAreProviderErrors) {
  FakeAwsApi api;
  api.QueueRest(Ok("<PublicAccessBlockConfiguration><BlockPublicAcls>tru"));
  api.QueueRest(
      Ok("<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls>"
         "</PublicAccessBlockConfiguration>"));

  auto truncated = S3Client(api).GetPublicAccessBlock("b-1");
  auto odd = S3Client(api).GetPublicAccessBlock("b-1");

  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(truncated.error().request_id, "s3-req");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().kind, ErrorKind::kProvider);
}

TEST(Sha256Base64Test, MatchesTheKnownDigestOfHello) {
  // base64 of SHA-256("hello"), as S3 and botocore compute it.
  EXPECT_EQ(Sha256Base64("hello"), "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=");
  EXPECT_EQ(Sha256Base64(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

}  // namespace
}  // namespace cordon::aws
