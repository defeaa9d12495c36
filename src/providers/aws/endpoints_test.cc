#include "providers/aws/endpoints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

Endpoint Resolved(const Environment& env, std::string_view service, std::string_view region) {
  auto endpoint = EndpointResolver(env).Resolve(service, region);
  EXPECT_TRUE(endpoint) << endpoint.error().message;
  return endpoint.value_or(Endpoint{});
}

TEST(EndpointsTest, DefaultsPerService) {
  const Endpoint iam = Resolved({}, "iam", "eu-west-1");
  const Endpoint sts = Resolved({}, "sts", "eu-west-1");
  const Endpoint ec2 = Resolved({}, "ec2", "ap-southeast-2");
  const Endpoint elb = Resolved({}, "elasticloadbalancing", "us-east-2");

  EXPECT_EQ(iam.url, "https://iam.amazonaws.com");
  EXPECT_EQ(iam.signing_region, "us-east-1");
  EXPECT_EQ(iam.signing_name, "iam");
  EXPECT_EQ(sts.url, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(sts.signing_region, "eu-west-1");
  EXPECT_EQ(ec2.url, "https://ec2.ap-southeast-2.amazonaws.com");
  EXPECT_EQ(ec2.signing_name, "ec2");
  EXPECT_EQ(elb.url, "https://elasticloadbalancing.us-east-2.amazonaws.com");
}

TEST(EndpointsTest, OtherPartitions) {
  EXPECT_EQ(Resolved({}, "ec2", "cn-north-1").url, "https://ec2.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(Resolved({}, "iam", "cn-northwest-1").signing_region, "cn-north-1");
  EXPECT_EQ(Resolved({}, "iam", "us-gov-east-1").url, "https://iam.us-gov.amazonaws.com");
  EXPECT_EQ(Resolved({}, "iam", "us-gov-east-1").signing_region, "us-gov-west-1");
}

TEST(EndpointsTest, GlobalOverrideAppliesToEveryService) {
  const Environment env{{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"}};

  const Endpoint iam = Resolved(env, "iam", "eu-west-1");
  const Endpoint ec2 = Resolved(env, "ec2", "eu-west-1");

  EXPECT_EQ(iam.url, "http://127.0.0.1:5000");
  EXPECT_EQ(iam.signing_region, "us-east-1");
  EXPECT_EQ(ec2.url, "http://127.0.0.1:5000");
  EXPECT_EQ(ec2.signing_region, "eu-west-1");
}

TEST(EndpointsTest, ServiceOverrideBeatsTheGlobalOne) {
  const Environment env{{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"},
                        {"AWS_ENDPOINT_URL_EC2", "https://ec2.internal.example:8443/base/"},
                        {"AWS_ENDPOINT_URL_AUTO_SCALING", "http://localhost:7000"},
                        {"AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "http://[::1]:7001"}};

  EXPECT_EQ(Resolved(env, "ec2", "us-east-1").url, "https://ec2.internal.example:8443/base");
  EXPECT_EQ(Resolved(env, "sts", "us-east-1").url, "http://127.0.0.1:5000");
  EXPECT_EQ(Resolved(env, "autoscaling", "us-east-1").url, "http://localhost:7000");
  EXPECT_EQ(Resolved(env, "elasticloadbalancing", "us-east-1").url, "http://[::1]:7001");
}

TEST(EndpointsTest, IgnoreFlagRestoresTheDefaults) {
  const Environment env{{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"},
                        {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5001"},
                        {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"}};

  EXPECT_EQ(Resolved(env, "sts", "us-west-2").url, "https://sts.us-west-2.amazonaws.com");
  EXPECT_EQ(Resolved(env, "iam", "us-west-2").url, "https://iam.amazonaws.com");
}

TEST(EndpointsTest, PlainHttpToANonLoopbackHostIsRejected) {
  const Environment env{{"AWS_ENDPOINT_URL_IAM", "http://10.0.0.5:5000"}};

  auto endpoint = EndpointResolver(env).Resolve("iam", "us-east-1");

  ASSERT_FALSE(endpoint);
  EXPECT_EQ(endpoint.error().kind, ErrorKind::kInvalidInput);
  EXPECT_THAT(endpoint.error().message,
              AllOf(HasSubstr("AWS_ENDPOINT_URL_IAM"), HasSubstr("https://HOST")));
}

TEST(EndpointsTest, MalformedOverridesAreRejected) {
  for (const std::string value :
       {"ftp://127.0.0.1", "127.0.0.1:5000", "https://", "https://:443", "http://127.0.0.1:0",
        "http://127.0.0.1:99999", "http://127.0.0.1.evil.example", "http://128.0.0.1",
        "https://host/?a=b", "https://user:pw@host", "https://bad host", "http://[::2]"}) {
    auto endpoint = EndpointResolver({{"AWS_ENDPOINT_URL", value}}).Resolve("sts", "us-east-1");

    ASSERT_FALSE(endpoint) << value;
    EXPECT_EQ(endpoint.error().kind, ErrorKind::kInvalidInput) << value;
    EXPECT_THAT(endpoint.error().message, HasSubstr("AWS_ENDPOINT_URL")) << value;
  }
}

TEST(EndpointsTest, LoopbackHostsAreRecognised) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.255.3.4"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.256"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.nip.io"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("localhost.example"));
}

TEST(EndpointsTest, BadRegionAndUnknownServiceFail) {
  auto region = EndpointResolver({}).Resolve("sts", "evil.example/");
  auto service = EndpointResolver({}).Resolve("route53", "us-east-1");

  ASSERT_FALSE(region);
  EXPECT_EQ(region.error().kind, ErrorKind::kInvalidInput);
  ASSERT_FALSE(service);
  EXPECT_EQ(service.error().kind, ErrorKind::kInternal);
}

}  // namespace
}  // namespace cordon::aws
