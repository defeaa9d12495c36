// S3Client's bucket tagging calls over FakeAwsApi (moto's answers are read back in
// tests/s3_lambda_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "providers/aws/fake_aws_api.h"
#include "providers/aws/s3_client.h"

namespace cordon::aws {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;

TEST(S3ClientTaggingTest, ReadsTheTagSetAndNoSuchTagSetIsEmpty) {
  FakeAwsApi api;
  api.QueueRest(RestResponse{200,
                             {},
                             R"(<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <TagSet><Tag><Key>team</Key><Value>data</Value></Tag><Tag><Key>empty</Key><Value/></Tag>
    </TagSet></Tagging>)",
                             "r-1"});
  api.QueueRestError(Error{ErrorKind::kNotFound, "none", "NoSuchTagSet", "r-2", 404, false});
  const S3Client s3(api);

  auto tags = s3.GetBucketTagging("case-data");
  auto none = s3.GetBucketTagging("case-data");

  ASSERT_TRUE(tags) << tags.error().Describe();
  ASSERT_EQ(tags->size(), 2u);
  EXPECT_EQ((*tags)[0].key, "team");
  EXPECT_EQ((*tags)[0].value, "data");
  EXPECT_EQ((*tags)[1].value, "");
  ASSERT_TRUE(none) << none.error().Describe();
  EXPECT_TRUE(none->empty());
  EXPECT_THAT(api.RestCalls()[0].request.query, ::testing::ElementsAre(Pair("tagging", "")));
}

TEST(S3ClientTaggingTest, PutSendsTheWholeSetAndRefusesAnEmptyOne) {
  FakeAwsApi api;
  api.QueueRest(RestResponse{200, {}, "", "r-1"});
  const S3Client s3(api, "123456789012");

  auto put = s3.PutBucketTagging("case-data", {{"team", "a&b"}, {"IR-Case", "C1"}});
  auto empty = s3.PutBucketTagging("case-data", {});

  ASSERT_TRUE(put) << put.error().Describe();
  const RestRequest request = api.RestCalls().at(0).request;
  EXPECT_EQ(request.method, "PUT");
  EXPECT_THAT(request.body, HasSubstr("<TagSet><Tag><Key>team</Key><Value>a&amp;b</Value></Tag>"
                                      "<Tag><Key>IR-Case</Key><Value>C1</Value></Tag></TagSet>"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(api.RestCalls().size(), 1u);
}

}  // namespace
}  // namespace cordon::aws
