#include "providers/aws/sts_client.h"

#include <gtest/gtest.h>

#include "providers/aws/fake_aws_api.h"

namespace cordon::aws {
namespace {

TEST(StsClientTest, CallerIdentityReadsAccountArnAndUserId) {
  FakeAwsApi api;
  api.QueueFile("sts_get_caller_identity.xml");

  auto identity = StsClient(api).GetCallerIdentity();

  ASSERT_TRUE(identity) << identity.error().Describe();
  EXPECT_EQ(identity->account, "123456789012");
  EXPECT_EQ(identity->arn, "arn:aws:sts::123456789012:user/moto");
  EXPECT_EQ(identity->user_id, "AKIAIOSFODNN7EXAMPLE");
  ASSERT_EQ(api.Calls().size(), 1u);
  EXPECT_EQ(api.Calls()[0].service, "sts");
  EXPECT_EQ(api.Calls()[0].action, "GetCallerIdentity");
  EXPECT_TRUE(api.Calls()[0].params.empty());
}

TEST(StsClientTest, AnIdentityWithoutArnIsAProviderError) {
  FakeAwsApi api;
  api.QueueXml(
      "<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account>"
      "</GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId>"
      "</ResponseMetadata></GetCallerIdentityResponse>");

  auto identity = StsClient(api).GetCallerIdentity();

  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().kind, ErrorKind::kProvider);
  EXPECT_EQ(identity.error().request_id, "req-1");
}

TEST(StsClientTest, RejectedCredentialsPassThrough) {
  FakeAwsApi api;
  api.QueueError(Error{ErrorKind::kAuth, "The security token included in the request is invalid",
                       "InvalidClientTokenId", "req-2", 403, false});

  auto identity = StsClient(api).GetCallerIdentity();

  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().kind, ErrorKind::kAuth);
  EXPECT_EQ(identity.error().provider_code, "InvalidClientTokenId");
}

}  // namespace
}  // namespace cordon::aws
