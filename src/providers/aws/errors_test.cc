#include "providers/aws/errors.h"

#include <gtest/gtest.h>

#include <string>

namespace cordon::aws {
namespace {

std::string QueryError(const std::string& code, const std::string& message = "msg") {
  return "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
         "<Type>Sender</Type><Code>" +
         code + "</Code><Message>" + message +
         "</Message></Error><RequestId>query-req-1</RequestId></ErrorResponse>";
}

std::string Ec2Error(const std::string& code, const std::string& message = "msg") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code +
         "</Code><Message>" + message +
         "</Message></Error></Errors><RequestID>ec2-req-1</RequestID></Response>";
}

TEST(MapAwsErrorTest, ReadsTheQueryShape) {
  const Error error = MapAwsError(
      404, QueryError("NoSuchEntity", "The user with name alice cannot be found."), "hdr-id");

  EXPECT_EQ(error.kind, ErrorKind::kNotFound);
  EXPECT_EQ(error.provider_code, "NoSuchEntity");
  EXPECT_EQ(error.message, "The user with name alice cannot be found.");
  EXPECT_EQ(error.request_id, "query-req-1");
  EXPECT_EQ(error.http_status, 404);
  EXPECT_FALSE(error.retryable);
}

TEST(MapAwsErrorTest, ReadsTheEc2Shape) {
  const Error error = MapAwsError(
      400, Ec2Error("InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist"), "");

  EXPECT_EQ(error.kind, ErrorKind::kNotFound);
  EXPECT_EQ(error.provider_code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(error.message, "The instance ID 'i-1' does not exist");
  EXPECT_EQ(error.request_id, "ec2-req-1");
}

TEST(MapAwsErrorTest, ReadsTheMixedShapeMotoSends) {
  const Error error = MapAwsError(
      403,
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error><Code>"
      "SignatureDoesNotMatch</Code><Message>bad sig</Message><Type>Sender</Type></Error></Errors>"
      "</ErrorResponse>",
      "moto-hdr");

  EXPECT_EQ(error.kind, ErrorKind::kAuth);
  EXPECT_EQ(error.provider_code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message, "bad sig");
  EXPECT_EQ(error.request_id, "moto-hdr");
}

TEST(MapAwsErrorTest, ReadsTheS3AndJsonShapes) {
  const Error s3 = MapAwsError(
      404,
      "<Error><Code>NoSuchBucket</Code><Message>gone</Message><RequestId>s3-1</RequestId></Error>",
      "");
  const Error json = MapAwsError(
      404, R"({"__type":"com.amazonaws.lambda#ResourceNotFoundException","message":"no fn"})",
      "json-hdr");

  EXPECT_EQ(s3.kind, ErrorKind::kNotFound);
  EXPECT_EQ(s3.request_id, "s3-1");
  EXPECT_EQ(json.provider_code, "ResourceNotFoundException");
  EXPECT_EQ(json.kind, ErrorKind::kNotFound);
  EXPECT_EQ(json.message, "no fn");
  EXPECT_EQ(json.request_id, "json-hdr");
}

TEST(MapAwsErrorTest, ErrorTypeHeaderNamesTheCodeOfABodyThatDoesNot) {
  const Error lambda = MapAwsError(
      404, R"({"Type":"User","Message":"The resource you requested does not exist."})", "lam-hdr",
      "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/");
  const Error header_wins =
      MapAwsError(400, R"({"__type":"Other","message":"m"})", "", "ThrottlingException");
  const Error no_header =
      MapAwsError(400, R"({"__type":"InvalidCommandId","Message":"m2"})", "", "");

  EXPECT_EQ(lambda.provider_code, "ResourceNotFoundException");
  EXPECT_EQ(lambda.kind, ErrorKind::kNotFound);
  EXPECT_EQ(lambda.message, "The resource you requested does not exist.");
  EXPECT_EQ(lambda.request_id, "lam-hdr");
  EXPECT_EQ(header_wins.provider_code, "ThrottlingException");
  EXPECT_TRUE(header_wins.retryable);
  EXPECT_EQ(no_header.provider_code, "InvalidCommandId");
  EXPECT_EQ(no_header.message, "m2");
}

TEST(MapAwsErrorTest, S3StateConflictsAreConflicts) {
  EXPECT_EQ(MapAwsError(409, "<Error><Code>InvalidBucketState</Code></Error>", "").kind,
            ErrorKind::kConflict);
  EXPECT_EQ(MapAwsError(409, "<Error><Code>BucketAlreadyOwnedByYou</Code></Error>", "").kind,
            ErrorKind::kConflict);
  EXPECT_EQ(MapAwsError(409, "<Error><Code>OperationAborted</Code></Error>", "").kind,
            ErrorKind::kConflict);
}

struct KindCase {
  const char* code;
  int status;
  ErrorKind kind;
  bool retryable;
};

TEST(MapAwsErrorTest, ClassifiesEachKind) {
  const KindCase cases[] = {
      {"Throttling", 400, ErrorKind::kThrottled, true},
      {"ThrottlingException", 400, ErrorKind::kThrottled, true},
      {"RequestLimitExceeded", 503, ErrorKind::kThrottled, true},
      {"TooManyRequestsException", 429, ErrorKind::kThrottled, true},
      {"SlowDown", 503, ErrorKind::kThrottled, true},
      {"RequestThrottled", 400, ErrorKind::kThrottled, true},
      {"InvalidGroup.NotFound", 400, ErrorKind::kNotFound, false},
      {"NoSuchEntity", 404, ErrorKind::kNotFound, false},
      {"NotFound", 404, ErrorKind::kNotFound, false},
      {"AuthFailure", 401, ErrorKind::kAuth, false},
      {"InvalidClientTokenId", 403, ErrorKind::kAuth, false},
      {"SignatureDoesNotMatch", 403, ErrorKind::kAuth, false},
      {"IncompleteSignature", 400, ErrorKind::kAuth, false},
      {"ExpiredToken", 400, ErrorKind::kAuth, false},
      {"UnrecognizedClientException", 400, ErrorKind::kAuth, false},
      {"MissingAuthenticationToken", 403, ErrorKind::kAuth, false},
      {"AccessDenied", 403, ErrorKind::kPermission, false},
      {"AccessDeniedException", 400, ErrorKind::kPermission, false},
      {"UnauthorizedOperation", 403, ErrorKind::kPermission, false},
      {"EntityAlreadyExists", 409, ErrorKind::kConflict, false},
      {"InvalidGroup.Duplicate", 400, ErrorKind::kConflict, false},
      {"InvalidPermission.Duplicate", 400, ErrorKind::kConflict, false},
      {"ConcurrentModification", 409, ErrorKind::kConflict, false},
      {"IncorrectState", 400, ErrorKind::kConflict, false},
      {"DeleteConflict", 409, ErrorKind::kConflict, false},
      {"DependencyViolation", 400, ErrorKind::kConflict, false},
      {"InternalError", 500, ErrorKind::kTransient, true},
      {"InternalFailure", 500, ErrorKind::kTransient, true},
      {"ServiceUnavailable", 503, ErrorKind::kTransient, true},
      {"Unavailable", 503, ErrorKind::kTransient, true},
      {"SomethingNew", 502, ErrorKind::kTransient, true},
      {"SomethingNew", 401, ErrorKind::kAuth, false},
      {"SomethingNew", 403, ErrorKind::kPermission, false},
      {"InvalidParameterCombination", 400, ErrorKind::kProvider, false},
      {"ValidationError", 400, ErrorKind::kProvider, false},
      {"DryRunOperation", 412, ErrorKind::kProvider, false},
  };
  for (const auto& c : cases) {
    const Error query = MapAwsError(c.status, QueryError(c.code), "");
    const Error ec2 = MapAwsError(c.status, Ec2Error(c.code), "");

    EXPECT_EQ(query.kind, c.kind) << c.code << " " << c.status;
    EXPECT_EQ(query.retryable, c.retryable) << c.code;
    EXPECT_EQ(ec2.kind, c.kind) << c.code << " " << c.status;
    EXPECT_EQ(query.provider_code, c.code);
  }
}

TEST(MapAwsErrorTest, UnreadableBodyTakesItsCodeFromTheStatus) {
  const Error unavailable = MapAwsError(503, "<html>busy", "hdr-1");
  const Error forbidden = MapAwsError(403, "", "");
  const Error teapot = MapAwsError(418, "nope", "");
  const Error truncated = MapAwsError(400, QueryError("Throttling").substr(0, 60), "");

  EXPECT_EQ(unavailable.provider_code, "ServiceUnavailable");
  EXPECT_EQ(unavailable.kind, ErrorKind::kTransient);
  EXPECT_TRUE(unavailable.retryable);
  EXPECT_EQ(unavailable.request_id, "hdr-1");
  EXPECT_EQ(unavailable.http_status, 503);
  EXPECT_FALSE(unavailable.message.empty());
  EXPECT_EQ(forbidden.provider_code, "Forbidden");
  EXPECT_EQ(forbidden.kind, ErrorKind::kPermission);
  EXPECT_EQ(teapot.provider_code, "Http418");
  EXPECT_EQ(teapot.kind, ErrorKind::kProvider);
  EXPECT_EQ(truncated.provider_code, "BadRequest");
}

}  // namespace
}  // namespace cordon::aws
