// AwsApiClient over the real curl transport against moto_server, started and stopped by the
// fixture on a free loopback port.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "providers/aws/aws_api_client.h"
#include "transport/child_process_for_tests.h"
#include "transport/curl_transport.h"

namespace cordon::aws {
namespace {

using ::testing::HasSubstr;

class AwsApiClientMotoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = testing::ChildProcess::Start({"moto_server", "-H", "127.0.0.1", "-p", "0"},
                                                "Running on http://127.0.0.1:");
    ASSERT_TRUE(started) << started.error().message;
    shared_moto = started->release();
    const std::string& line = shared_moto->ReadyLine();
    moto_endpoint = line.substr(line.find("http://"));
    while (!moto_endpoint.empty() &&
           (moto_endpoint.back() == '\r' || moto_endpoint.back() == ' ')) {
      moto_endpoint.pop_back();
    }
    shared_http = transport::MakeCurlTransport().release();
  }

  static void TearDownTestSuite() {
    delete shared_http;
    shared_http = nullptr;
    delete shared_moto;
    shared_moto = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(shared_moto, nullptr);
    ASSERT_EQ(MotoAdmin("/moto-api/reset", ""), 200);
  }

  void TearDown() override { MotoAdmin("/moto-api/reset-auth", "inf"); }

  // POSTs to moto's own control API; returns the HTTP status (0 when unreachable).
  static int MotoAdmin(const std::string& path, const std::string& body) {
    transport::HttpRequest request;
    request.method = "POST";
    request.url = moto_endpoint + path;
    request.headers = {{"Content-Type", "text/plain"}};
    request.body = body;
    auto response = shared_http->Send(request);
    return response ? response->status : 0;
  }

  static std::unique_ptr<AwsApiClient> Client(Credentials credentials) {
    transport::RetryPolicy retry;
    retry.max_attempts = 2;
    return std::make_unique<AwsApiClient>(*shared_http, std::move(credentials), "us-east-1",
                                          EndpointResolver({{"AWS_ENDPOINT_URL", moto_endpoint}}),
                                          retry);
  }

  static std::unique_ptr<AwsApiClient> Client() {
    return Client({"AKIAIOSFODNN7EXAMPLE", "moto-test-secret", "", "test"});
  }

  static testing::ChildProcess* shared_moto;
  static transport::HttpTransport* shared_http;
  static std::string moto_endpoint;
};

testing::ChildProcess* AwsApiClientMotoTest::shared_moto = nullptr;
transport::HttpTransport* AwsApiClientMotoTest::shared_http = nullptr;
std::string AwsApiClientMotoTest::moto_endpoint;

TEST_F(AwsApiClientMotoTest, StsGetCallerIdentitySucceeds) {
  auto client = Client();

  auto response = client->Query("sts", "GetCallerIdentity", {});

  ASSERT_TRUE(response) << response.error().Describe();
  const pugi::xml_node result = response->Root().child("GetCallerIdentityResult");
  EXPECT_FALSE(std::string(result.child_value("Account")).empty());
  EXPECT_THAT(std::string(result.child_value("Arn")), HasSubstr("arn:aws:"));
  EXPECT_FALSE(response->request_id.empty());
}

TEST_F(AwsApiClientMotoTest, IamListUsersSeesACreatedUser) {
  auto client = Client();

  auto created = client->Query("iam", "CreateUser", {{"UserName", "wire-test-user"}});
  auto listed = client->Query("iam", "ListUsers", {});

  ASSERT_TRUE(created) << created.error().Describe();
  ASSERT_TRUE(listed) << listed.error().Describe();
  std::vector<std::string> names;
  for (const auto& member : listed->Root().child("ListUsersResult").child("Users").children()) {
    names.emplace_back(member.child_value("UserName"));
  }
  EXPECT_THAT(names, ::testing::Contains("wire-test-user"));
  EXPECT_FALSE(listed->request_id.empty());
}

TEST_F(AwsApiClientMotoTest, Ec2DescribeVpcsReadsTheEc2Shape) {
  auto client = Client();

  auto response = client->Query("ec2", "DescribeVpcs",
                                {{"Filter.1.Name", "is-default"}, {"Filter.1.Value.1", "true"}});

  ASSERT_TRUE(response) << response.error().Describe();
  EXPECT_EQ(std::string(response->Root().name()), "DescribeVpcsResponse");
  EXPECT_TRUE(response->Root().child("vpcSet").child("item"));
  EXPECT_FALSE(response->request_id.empty());
}

TEST_F(AwsApiClientMotoTest, MissingUserMapsToNotFound) {
  auto client = Client();

  auto response = client->Query("iam", "GetUser", {{"UserName", "nobody-here"}});

  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(response.error().provider_code, "NoSuchEntity");
  EXPECT_EQ(response.error().http_status, 404);
}

TEST_F(AwsApiClientMotoTest, SignaturesAreAcceptedWithTheRightSecretOnly) {
  auto setup = Client();
  // Three unchecked calls set up a user with full access; moto checks every call after them.
  ASSERT_EQ(MotoAdmin("/moto-api/reset-auth", "3"), 200);
  ASSERT_TRUE(setup->Query("iam", "CreateUser", {{"UserName", "responder"}}));
  ASSERT_TRUE(setup->Query(
      "iam", "PutUserPolicy",
      {{"UserName", "responder"},
       {"PolicyName", "all"},
       {"PolicyDocument",
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})"}}));
  auto key = setup->Query("iam", "CreateAccessKey", {{"UserName", "responder"}});
  ASSERT_TRUE(key) << key.error().Describe();
  const pugi::xml_node access_key = key->Root().child("CreateAccessKeyResult").child("AccessKey");
  const std::string key_id = access_key.child_value("AccessKeyId");
  const std::string secret = access_key.child_value("SecretAccessKey");

  auto accepted = Client({key_id, secret, "", "test"})->Query("iam", "ListUsers", {});
  auto rejected = Client({key_id, secret + "x", "", "test"})->Query("iam", "ListUsers", {});

  ASSERT_TRUE(accepted) << accepted.error().Describe();
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().kind, ErrorKind::kAuth) << rejected.error().Describe();
  EXPECT_EQ(rejected.error().provider_code, "SignatureDoesNotMatch");
}

}  // namespace
}  // namespace cordon::aws
