#include "providers/aws/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace cordon::aws {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

const fs::path kSuiteRoot = fs::path(CORDON_SHARED_DIR) / "apis/aws/sigv4-testsuite";
const fs::path kBotocoreRoot = kSuiteRoot / "botocore-aws4_testsuite";
const fs::path kCrtRoot = kSuiteRoot / "aws-c-auth-aws-signing-test-suite/v4";

constexpr char kAccessKey[] = "AKIDEXAMPLE";
constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// 2015-08-30T12:36:00Z, the time every vector is signed at.
system_clock::time_point VectorTime() {
  using namespace std::chrono;
  return sys_days{year{2015} / August / 30} + hours{12} + minutes{36};
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string HeaderValue(const transport::Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return value;
    }
  }
  return "";
}

// Parses a raw HTTP/1.1 request from a vector file: the request target may hold spaces and
// UTF-8, a header line starting with whitespace continues the previous one (obs-fold, replaced
// by one space as RFC 9112 allows), and the body follows the first empty line.
transport::HttpRequest ParseRawRequest(const std::string& text) {
  transport::HttpRequest request;
  std::vector<std::string> lines;
  size_t start = 0;
  size_t body_start = text.size();
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() && !lines.empty()) {
      body_start = std::min(start, text.size());
      break;
    }
    lines.push_back(std::move(line));
  }
  request.body = text.substr(body_start);

  const std::string& request_line = lines.at(0);
  const size_t method_end = request_line.find(' ');
  const size_t target_end = request_line.rfind(" HTTP/");
  request.method = request_line.substr(0, method_end);
  const std::string target = request_line.substr(method_end + 1, target_end - method_end - 1);

  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if ((line[0] == ' ' || line[0] == '\t') && !request.headers.empty()) {
      request.headers.back().second += " " + line;
      continue;
    }
    const size_t colon = line.find(':');
    request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  request.url = "https://" + HeaderValue(request.headers, "Host") + target;
  return request;
}

// The query pieces of a URL or request target, sorted, for order-independent comparison.
std::vector<std::string> SortedQueryPieces(const std::string& url) {
  std::vector<std::string> pieces;
  const size_t question = url.find('?');
  if (question == std::string::npos) {
    return pieces;
  }
  std::istringstream query(url.substr(question + 1));
  for (std::string piece; std::getline(query, piece, '&');) {
    pieces.push_back(piece);
  }
  std::sort(pieces.begin(), pieces.end());
  return pieces;
}

std::string TestName(const std::string& case_name) {
  std::string name = case_name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return name;
}

// Case directories (relative names such as "normalize-path/get-space") holding `marker`, which
// is a file name or, when it starts with '.', a file extension.
std::vector<std::string> FindCases(const fs::path& root, const std::string& marker) {
  std::vector<std::string> cases;
  if (!fs::is_directory(root)) {
    return cases;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const fs::path& path = entry.path();
    const bool matches = marker[0] == '.' ? path.extension() == marker : path.filename() == marker;
    if (entry.is_regular_file() && matches) {
      cases.push_back(fs::relative(path.parent_path(), root).generic_string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

// --- botocore-aws4_testsuite: NAME.req in, NAME.creq / .sts / .authz out. ---

class BotocoreSuiteTest : public testing::TestWithParam<std::string> {};

TEST(BotocoreSuiteTest, FindsAllThirtyFourCases) {
  EXPECT_EQ(FindCases(kBotocoreRoot, ".req").size(), 34u) << kBotocoreRoot;
}

TEST_P(BotocoreSuiteTest, ProducesTheExpectedCanonicalRequestStringToSignAndAuthorization) {
  const fs::path dir = kBotocoreRoot / GetParam();
  const std::string stem = (dir / dir.filename()).string();
  transport::HttpRequest request = ParseRawRequest(ReadFile(stem + ".req"));
  // The session token appears only in the signed request; the readme of post-sts-token says
  // which case adds it after signing.
  const transport::HttpRequest signed_reference = ParseRawRequest(ReadFile(stem + ".sreq"));
  const std::string token = HeaderValue(signed_reference.headers, "X-Amz-Security-Token");
  const Credentials credentials{kAccessKey, kSecretKey, token, "test"};
  SigningOptions options;
  options.sign_session_token = dir.filename() != "post-sts-header-after";

  const auto artifacts =
      SignRequest(request, credentials, {"us-east-1", "service"}, VectorTime(), options);

  ASSERT_TRUE(artifacts.has_value()) << artifacts.error().message;
  EXPECT_EQ(artifacts->canonical_request, ReadFile(stem + ".creq"));
  EXPECT_EQ(artifacts->string_to_sign, ReadFile(stem + ".sts"));
  EXPECT_EQ(HeaderValue(request.headers, "Authorization"), ReadFile(stem + ".authz"));
  EXPECT_EQ(HeaderValue(request.headers, "X-Amz-Security-Token"), token);
}

INSTANTIATE_TEST_SUITE_P(Vectors, BotocoreSuiteTest,
                         testing::ValuesIn(FindCases(kBotocoreRoot, ".req")),
                         [](const auto& param_info) { return TestName(param_info.param); });

// --- aws-c-auth v4 suite: context.json and request.txt in, header- and query- variants out. ---

struct CrtCase {
  transport::HttpRequest request;
  Credentials credentials;
  SigningScope scope;
  system_clock::time_point time;
  SigningOptions options;
};

system_clock::time_point ParseTimestamp(const std::string& text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::sscanf(text.c_str(), "%d-%u-%uT%d:%d:%dZ", &year, &month, &day, &hour, &minute, &second);
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} +
         hours{hour} + minutes{minute} + seconds{second};
}

CrtCase LoadCrtCase(const fs::path& dir, SignatureLocation location) {
  const auto context = nlohmann::json::parse(ReadFile(dir / "context.json"));
  const auto& json_credentials = context.at("credentials");

  CrtCase test_case;
  test_case.request = ParseRawRequest(ReadFile(dir / "request.txt"));
  test_case.credentials = Credentials{json_credentials.at("access_key_id").get<std::string>(),
                                      json_credentials.at("secret_access_key").get<std::string>(),
                                      json_credentials.value("token", std::string()), "test"};
  test_case.scope = {context.at("region").get<std::string>(),
                     context.at("service").get<std::string>()};
  test_case.time = ParseTimestamp(context.at("timestamp").get<std::string>());
  test_case.options.location = location;
  test_case.options.normalize_path = context.at("normalize").get<bool>();
  test_case.options.add_content_sha256 = context.at("sign_body").get<bool>();
  test_case.options.sign_session_token = !context.value("omit_session_token", false);
  test_case.options.expires = std::chrono::seconds(context.at("expiration_in_seconds").get<int>());
  return test_case;
}

class CrtSuiteTest : public testing::TestWithParam<std::string> {};

TEST(CrtSuiteTest, FindsAllThirtyEightCases) {
  EXPECT_EQ(FindCases(kCrtRoot, "context.json").size(), 38u) << kCrtRoot;
}

TEST_P(CrtSuiteTest, HeaderSigningMatchesTheVectors) {
  const fs::path dir = kCrtRoot / GetParam();
  CrtCase test_case = LoadCrtCase(dir, SignatureLocation::kHeader);

  const auto artifacts = SignRequest(test_case.request, test_case.credentials, test_case.scope,
                                     test_case.time, test_case.options);

  ASSERT_TRUE(artifacts.has_value()) << artifacts.error().message;
  EXPECT_EQ(artifacts->canonical_request, ReadFile(dir / "header-canonical-request.txt"));
  EXPECT_EQ(artifacts->string_to_sign, ReadFile(dir / "header-string-to-sign.txt"));
  EXPECT_EQ(artifacts->signature, ReadFile(dir / "header-signature.txt"));
  const transport::HttpRequest reference =
      ParseRawRequest(ReadFile(dir / "header-signed-request.txt"));
  EXPECT_EQ(HeaderValue(test_case.request.headers, "Authorization"),
            HeaderValue(reference.headers, "Authorization"));
  EXPECT_EQ(HeaderValue(test_case.request.headers, "X-Amz-Security-Token"),
            HeaderValue(reference.headers, "X-Amz-Security-Token"));
}

TEST_P(CrtSuiteTest, QuerySigningMatchesTheVectors) {
  const fs::path dir = kCrtRoot / GetParam();
  CrtCase test_case = LoadCrtCase(dir, SignatureLocation::kQueryString);

  const auto artifacts = SignRequest(test_case.request, test_case.credentials, test_case.scope,
                                     test_case.time, test_case.options);

  ASSERT_TRUE(artifacts.has_value()) << artifacts.error().message;
  EXPECT_EQ(artifacts->canonical_request, ReadFile(dir / "query-canonical-request.txt"));
  EXPECT_EQ(artifacts->string_to_sign, ReadFile(dir / "query-string-to-sign.txt"));
  EXPECT_EQ(artifacts->signature, ReadFile(dir / "query-signature.txt"));
  EXPECT_EQ(HeaderValue(test_case.request.headers, "Authorization"), "");
  const transport::HttpRequest reference =
      ParseRawRequest(ReadFile(dir / "query-signed-request.txt"));
  EXPECT_EQ(SortedQueryPieces(test_case.request.url), SortedQueryPieces(reference.url));
}

INSTANTIATE_TEST_SUITE_P(Vectors, CrtSuiteTest,
                         testing::ValuesIn(FindCases(kCrtRoot, "context.json")),
                         [](const auto& param_info) { return TestName(param_info.param); });

// --- Behaviour beyond the suites. Expected signatures were computed with botocore 1.43. ---

// 2024-01-05T03:04:05.750Z: single-digit fields, and a fraction that must be truncated.
system_clock::time_point OtherTime() {
  using namespace std::chrono;
  return sys_days{year{2024} / January / 5} + hours{3} + minutes{4} + seconds{5} +
         milliseconds{750};
}

size_t CountHeaders(const transport::Headers& headers, const std::string& name) {
  return static_cast<size_t>(std::count_if(
      headers.begin(), headers.end(), [&](const auto& header) { return header.first == name; }));
}

TEST(SigV4Test, DefaultS3SigningAddsContentHashAndKeepsThePathAsEncoded) {
  transport::HttpRequest request{
      "PUT", "https://bucket.s3.us-east-1.amazonaws.com/my%20key//a/../b?tagging", {}, "hello"};
  const Credentials credentials{kAccessKey, kSecretKey, "SESSIONTOKEN/+=", "test"};

  SignRequest(request, credentials, {"us-east-1", "s3"}, OtherTime());

  EXPECT_EQ(HeaderValue(request.headers, "X-Amz-Date"), "20240105T030405Z");
  EXPECT_EQ(HeaderValue(request.headers, "x-amz-content-sha256"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(HeaderValue(request.headers, "X-Amz-Security-Token"), "SESSIONTOKEN/+=");
  EXPECT_EQ(HeaderValue(request.headers, "Host"), "bucket.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(HeaderValue(request.headers, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240105/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
            "Signature=d33042f994c4956beab51b853ddbbe5980b0db5a3f1e86965fc33da11aae5b1a");
}

TEST(SigV4Test, DefaultSigningForOtherServicesNormalizesAndEncodesThePathTwice) {
  transport::HttpRequest request{
      "POST",
      "http://127.0.0.1:5000/a%20b/./c",
      {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
      "Action=ListUsers&Version=2010-05-08"};
  const Credentials credentials{kAccessKey, kSecretKey, "", "test"};

  const auto artifacts =
      SignRequest(request, credentials, {"us-east-1", "iam"}, OtherTime(), SigningOptions{});

  ASSERT_TRUE(artifacts.has_value());
  EXPECT_EQ(artifacts->canonical_request.substr(0, artifacts->canonical_request.find("\n\n")),
            "POST\n/a%2520b/c");
  EXPECT_EQ(HeaderValue(request.headers, "Host"), "127.0.0.1:5000");
  EXPECT_EQ(HeaderValue(request.headers, "x-amz-content-sha256"), "");
  EXPECT_EQ(HeaderValue(request.headers, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240105/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=7639d630cbdb596fd77a20d074ffced7deaccb02d3255dabe8eee806d6a16976");
}

TEST(SigV4Test, PresignedS3UrlMatchesBotocore) {
  transport::HttpRequest request{
      "GET", "https://bucket.s3.us-east-1.amazonaws.com/my%20key?versionId=a%2Bb", {}, ""};
  const Credentials credentials{kAccessKey, kSecretKey, "SESSIONTOKEN/+=", "test"};
  SigningOptions options;
  options.location = SignatureLocation::kQueryString;
  options.expires = std::chrono::seconds(900);

  const auto artifacts =
      SignRequest(request, credentials, {"us-east-1", "s3"}, OtherTime(), options);

  ASSERT_TRUE(artifacts.has_value());
  EXPECT_EQ(artifacts->signature,
            "56015be40ca5ab38aea26bcd2ec62f653b1689a5626930c3c5e4ef2525664b22");
  EXPECT_EQ(request.url.substr(0, request.url.find('?')),
            "https://bucket.s3.us-east-1.amazonaws.com/my%20key");
  EXPECT_EQ(
      SortedQueryPieces(request.url),
      SortedQueryPieces(
          "?versionId=a%2Bb&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F"
          "20240105%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240105T030405Z&X-Amz-"
          "Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token=SESSIONTOKEN%2F%2B%3D&"
          "X-Amz-Signature=56015be40ca5ab38aea26bcd2ec62f653b1689a5626930c3c5e4ef2525664b22"));
  EXPECT_EQ(HeaderValue(request.headers, "X-Amz-Date"), "");
}

TEST(SigV4Test, SigningAgainReplacesTheEarlierSignature) {
  const Credentials credentials{kAccessKey, kSecretKey, "token", "test"};
  transport::HttpRequest fresh{"GET", "https://ec2.us-east-1.amazonaws.com/?Action=X", {}, ""};
  transport::HttpRequest resigned = fresh;
  SignRequest(fresh, credentials, {"us-east-1", "ec2"}, OtherTime());

  SignRequest(resigned, credentials, {"us-east-1", "ec2"}, VectorTime());
  SignRequest(resigned, credentials, {"us-east-1", "ec2"}, OtherTime());

  EXPECT_EQ(CountHeaders(resigned.headers, "Authorization"), 1u);
  EXPECT_EQ(CountHeaders(resigned.headers, "X-Amz-Date"), 1u);
  EXPECT_EQ(CountHeaders(resigned.headers, "X-Amz-Security-Token"), 1u);
  EXPECT_EQ(CountHeaders(resigned.headers, "Host"), 1u);
  EXPECT_EQ(HeaderValue(resigned.headers, "Authorization"),
            HeaderValue(fresh.headers, "Authorization"));
}

TEST(SigV4Test, PresigningAgainReplacesTheEarlierQueryParameters) {
  const Credentials credentials{kAccessKey, kSecretKey, "token", "test"};
  SigningOptions options;
  options.location = SignatureLocation::kQueryString;
  transport::HttpRequest fresh{"GET", "https://s3.amazonaws.com/b/k?x=1", {}, ""};
  transport::HttpRequest resigned = fresh;
  ASSERT_TRUE(SignRequest(fresh, credentials, {"us-east-1", "s3"}, OtherTime(), options));

  ASSERT_TRUE(SignRequest(resigned, credentials, {"us-east-1", "s3"}, VectorTime(), options));
  ASSERT_TRUE(SignRequest(resigned, credentials, {"us-east-1", "s3"}, OtherTime(), options));

  EXPECT_EQ(resigned.url, fresh.url);
}

TEST(SigV4Test, DefaultPortIsLeftOutOfTheHostHeader) {
  transport::HttpRequest request{"GET", "https://sts.us-east-1.amazonaws.com:443", {}, ""};

  const auto artifacts = SignRequest(request, {kAccessKey, kSecretKey, "", "test"},
                                     {"us-east-1", "sts"}, OtherTime(), SigningOptions{});

  ASSERT_TRUE(artifacts.has_value());
  EXPECT_EQ(HeaderValue(request.headers, "Host"), "sts.us-east-1.amazonaws.com");
  EXPECT_EQ(artifacts->canonical_request.substr(0, 7), "GET\n/\n\n");
}

TEST(SigV4Test, RelativeUrlIsRefusedAndTheRequestLeftUnchanged) {
  transport::HttpRequest request{"GET", "/no-host", {{"A", "b"}}, ""};

  const auto artifacts = SignRequest(request, {kAccessKey, kSecretKey, "", "test"},
                                     {"us-east-1", "iam"}, OtherTime(), SigningOptions{});

  ASSERT_FALSE(artifacts.has_value());
  EXPECT_EQ(artifacts.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(request.url, "/no-host");
  EXPECT_EQ(request.headers, (transport::Headers{{"A", "b"}}));
}

TEST(SigV4Test, SecretKeyAppearsNowhereInTheSignedRequestOrArtifacts) {
  for (const SignatureLocation location :
       {SignatureLocation::kHeader, SignatureLocation::kQueryString}) {
    transport::HttpRequest request{"POST", "https://iam.amazonaws.com/", {}, "Action=GetUser"};
    SigningOptions options;
    options.location = location;

    const auto artifacts = SignRequest(request, {kAccessKey, kSecretKey, "tok", "test"},
                                       {"us-east-1", "iam"}, OtherTime(), options);

    ASSERT_TRUE(artifacts.has_value());
    std::string everything = request.url + request.body + artifacts->canonical_request +
                             artifacts->string_to_sign + artifacts->signature;
    for (const auto& [name, value] : request.headers) {
      everything += name + value;
    }
    EXPECT_EQ(everything.find(kSecretKey), std::string::npos);
    EXPECT_EQ(everything.find("wJalrXUtnFEMI"), std::string::npos);
  }
}

}  // namespace
}  // namespace cordon::aws
