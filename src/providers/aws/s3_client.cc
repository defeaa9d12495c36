#include "providers/aws/s3_client.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

using pugi::xml_node;

constexpr std::string_view kService = "s3";
constexpr char kXmlns[] = "http://s3.amazonaws.com/doc/2006-03-01/";
// Evidence files can be large; the default 30 s would cut off a slow upload.
constexpr std::chrono::milliseconds kUploadTimeout{300000};

bool IsBucketNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

Status CheckBucketName(const std::string& bucket) {
  bool valid = !bucket.empty() && bucket.size() <= 255 && bucket != "." && bucket != "..";
  for (const char c : bucket) {
    valid = valid && IsBucketNameChar(c);
  }
  if (!valid) {
    return Fail(ErrorKind::kInvalidInput,
                "\"" + bucket + "\" is not an S3 bucket name (1-255 of A-Z a-z 0-9 . - _)");
  }
  return {};
}

// curl and S3 would resolve "." and ".." segments differently, so such keys are never sent.
Status CheckKey(const std::string& key) {
  if (key.empty()) {
    return Fail(ErrorKind::kInvalidInput, "an S3 object key must not be empty");
  }
  size_t start = 0;
  while (start <= key.size()) {
    const size_t slash = std::min(key.find('/', start), key.size());
    const std::string_view segment = std::string_view(key).substr(start, slash - start);
    if (segment == "." || segment == "..") {
      return Fail(ErrorKind::kInvalidInput,
                  "S3 object key '" + key + "' has a '.' or '..' segment");
    }
    start = slash + 1;
  }
  return {};
}

std::string Operation(std::string_view name) { return "s3:" + std::string(name); }

// Serialises an XML document built by `build` on a root element `root` in the S3 namespace.
template <typename Build>
std::string XmlBody(const char* root, Build build) {
  struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  };
  pugi::xml_document doc;
  xml_node element = doc.append_child(root);
  element.append_attribute("xmlns") = kXmlns;
  build(element);
  StringWriter writer;
  doc.save(writer, "", pugi::format_raw | pugi::format_no_declaration);
  return writer.out;
}

void AddText(xml_node parent, const char* name, const std::string& text) {
  parent.append_child(name).text().set(text.c_str());
}

const char* BoolText(bool value) { return value ? "true" : "false"; }

// The response body as XML; kProvider when it is not.
Result<std::shared_ptr<pugi::xml_document>> ParseXml(const RestResponse& response,
                                                     std::string_view operation) {
  auto doc = std::make_shared<pugi::xml_document>();
  if (!doc->load_buffer(response.body.data(), response.body.size()) || !doc->document_element()) {
    return Fail(Error{ErrorKind::kProvider,
                      "unexpected " + Operation(operation) + " response: the body is not XML",
                      {},
                      response.request_id,
                      response.status,
                      false});
  }
  return doc;
}

std::optional<ObjectLockMode> ParseMode(std::string_view text) {
  if (text == "GOVERNANCE") {
    return ObjectLockMode::kGovernance;
  }
  if (text == "COMPLIANCE") {
    return ObjectLockMode::kCompliance;
  }
  return std::nullopt;
}

std::string_view VersioningText(VersioningStatus status) {
  return status == VersioningStatus::kEnabled ? "Enabled" : "Suspended";
}

}  // namespace

const char* ObjectLockModeName(ObjectLockMode mode) {
  return mode == ObjectLockMode::kCompliance ? "COMPLIANCE" : "GOVERNANCE";
}

std::string Sha256Base64(std::string_view data) {
  const std::string digest = Sha256(data);
  std::string out(4 * ((digest.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(digest.data()),
                                      static_cast<int>(digest.size()));
  out.resize(written > 0 ? static_cast<size_t>(written) : 0);
  return out;
}

Result<RestRequest> S3Client::BucketRequest(std::string method, std::string operation,
                                            const std::string& bucket,
                                            const std::string& subresource) const {
  if (auto valid = CheckBucketName(bucket); !valid) {
    return Fail(valid.error());
  }
  RestRequest request;
  request.method = std::move(method);
  request.operation = std::move(operation);
  request.path = "/" + PathEncode(bucket, /*keep_slash=*/false);
  if (!subresource.empty()) {
    request.query.emplace_back(subresource, "");
  }
  if (!expected_owner_.empty()) {
    request.headers.emplace_back("x-amz-expected-bucket-owner", expected_owner_);
  }
  return request;
}

Result<RestResponse> S3Client::Send(std::string method, std::string operation,
                                    const std::string& bucket, const std::string& subresource,
                                    std::string body) const {
  auto request = BucketRequest(std::move(method), std::move(operation), bucket, subresource);
  if (!request) {
    return Fail(request.error());
  }
  if (!body.empty()) {
    // Every body S3Client sends to a bucket sub-resource is XML, except the policy's JSON.
    request->headers.emplace_back("Content-Type",
                                  subresource == "policy" ? "application/json" : "application/xml");
    request->headers.emplace_back("x-amz-sdk-checksum-algorithm", "SHA256");
    request->headers.emplace_back("x-amz-checksum-sha256", Sha256Base64(body));
    request->body = std::move(body);
  }
  return api_->Rest(kService, *request);
}

Result<std::optional<RestResponse>> S3Client::GetOptional(std::string operation,
                                                          const std::string& bucket,
                                                          const std::string& subresource,
                                                          std::string_view none_code) const {
  auto response = Send("GET", std::move(operation), bucket, subresource);
  if (response) {
    return std::optional<RestResponse>(std::move(*response));
  }
  if (response.error().provider_code == none_code) {
    return std::optional<RestResponse>();
  }
  return Fail(response.error());
}

Result<std::optional<std::string>> S3Client::GetBucketPolicy(const std::string& bucket) const {
  auto response = GetOptional("GetBucketPolicy", bucket, "policy", "NoSuchBucketPolicy");
  if (!response) {
    return Fail(response.error());
  }
  if (!*response) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::move((*response)->body));
}

Result<MutationResult> S3Client::PutBucketPolicy(const std::string& bucket,
                                                 const std::string& policy_json) const {
  const auto parsed = nlohmann::json::parse(policy_json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) {
    return Fail(ErrorKind::kInvalidInput,
                "the policy for bucket " + bucket + " is not a JSON object; nothing was sent");
  }
  auto response = Send("PUT", "PutBucketPolicy", bucket, "policy", policy_json);
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<MutationResult> S3Client::DeleteBucketPolicy(const std::string& bucket) const {
  auto response = Send("DELETE", "DeleteBucketPolicy", bucket, "policy");
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<std::optional<PublicAccessBlock>> S3Client::GetPublicAccessBlock(
    const std::string& bucket) const {
  auto response = GetOptional("GetPublicAccessBlock", bucket, "publicAccessBlock",
                              "NoSuchPublicAccessBlockConfiguration");
  if (!response) {
    return Fail(response.error());
  }
  if (!*response) {
    return std::optional<PublicAccessBlock>();
  }
  auto doc = ParseXml(**response, "GetPublicAccessBlock");
  if (!doc) {
    return Fail(doc.error());
  }
  ResponseReader in(Operation("GetPublicAccessBlock"), (*response)->request_id);
  const xml_node root = (*doc)->document_element();
  PublicAccessBlock block{in.Bool(root, "BlockPublicAcls"), in.Bool(root, "IgnorePublicAcls"),
                          in.Bool(root, "BlockPublicPolicy"),
                          in.Bool(root, "RestrictPublicBuckets")};
  return in.Finish(std::optional<PublicAccessBlock>(block));
}

Result<MutationResult> S3Client::PutPublicAccessBlock(const std::string& bucket,
                                                      const PublicAccessBlock& block) const {
  std::string body = XmlBody("PublicAccessBlockConfiguration", [&](xml_node root) {
    AddText(root, "BlockPublicAcls", BoolText(block.block_public_acls));
    AddText(root, "IgnorePublicAcls", BoolText(block.ignore_public_acls));
    AddText(root, "BlockPublicPolicy", BoolText(block.block_public_policy));
    AddText(root, "RestrictPublicBuckets", BoolText(block.restrict_public_buckets));
  });
  auto response = Send("PUT", "PutPublicAccessBlock", bucket, "publicAccessBlock", std::move(body));
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<MutationResult> S3Client::DeletePublicAccessBlock(const std::string& bucket) const {
  auto response = Send("DELETE", "DeletePublicAccessBlock", bucket, "publicAccessBlock");
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<std::optional<OwnershipControls>> S3Client::GetBucketOwnershipControls(
    const std::string& bucket) const {
  auto response = GetOptional("GetBucketOwnershipControls", bucket, "ownershipControls",
                              "OwnershipControlsNotFoundError");
  if (!response) {
    return Fail(response.error());
  }
  if (!*response) {
    return std::optional<OwnershipControls>();
  }
  auto doc = ParseXml(**response, "GetBucketOwnershipControls");
  if (!doc) {
    return Fail(doc.error());
  }
  ResponseReader in(Operation("GetBucketOwnershipControls"), (*response)->request_id);
  OwnershipControls controls;
  for (const xml_node rule : ListItems((*doc)->document_element(), "")) {
    controls.object_ownership.push_back(in.Required(rule, "ObjectOwnership", "rule"));
  }
  return in.Finish(std::optional<OwnershipControls>(std::move(controls)));
}

Result<BucketVersioning> S3Client::GetBucketVersioning(const std::string& bucket) const {
  auto response = Send("GET", "GetBucketVersioning", bucket, "versioning");
  if (!response) {
    return Fail(response.error());
  }
  auto doc = ParseXml(*response, "GetBucketVersioning");
  if (!doc) {
    return Fail(doc.error());
  }
  ResponseReader in(Operation("GetBucketVersioning"), response->request_id);
  const xml_node root = (*doc)->document_element();
  BucketVersioning versioning;
  const std::string status = in.Text(root, "Status");
  if (status == "Enabled") {
    versioning.status = VersioningStatus::kEnabled;
  } else if (status == "Suspended") {
    versioning.status = VersioningStatus::kSuspended;
  } else if (!status.empty()) {
    in.Problem("Status is '" + status + "', not Enabled or Suspended");
  }
  versioning.mfa_delete = in.Text(root, "MfaDelete");
  return in.Finish(std::move(versioning));
}

Result<MutationResult> S3Client::PutBucketVersioning(const std::string& bucket,
                                                     VersioningStatus status) const {
  if (status == VersioningStatus::kNeverEnabled) {
    return Fail(ErrorKind::kInvalidInput,
                "versioning of bucket " + bucket + " can be Enabled or Suspended, never unset");
  }
  std::string body = XmlBody("VersioningConfiguration", [&](xml_node root) {
    AddText(root, "Status", std::string(VersioningText(status)));
  });
  auto response = Send("PUT", "PutBucketVersioning", bucket, "versioning", std::move(body));
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<std::string> S3Client::GetBucketLocation(const std::string& bucket) const {
  auto response = Send("GET", "GetBucketLocation", bucket, "location");
  if (!response) {
    return Fail(response.error());
  }
  auto doc = ParseXml(*response, "GetBucketLocation");
  if (!doc) {
    return Fail(doc.error());
  }
  const std::string constraint = (*doc)->document_element().text().get();
  if (constraint.empty()) {
    return std::string("us-east-1");
  }
  return constraint == "EU" ? std::string("eu-west-1") : constraint;
}

Result<BucketHead> S3Client::HeadBucket(const std::string& bucket) const {
  auto response = Send("HEAD", "HeadBucket", bucket, "");
  if (!response) {
    return Fail(response.error());
  }
  return BucketHead{response->Header("x-amz-bucket-region"), response->request_id};
}

Result<MutationResult> S3Client::CreateBucket(const std::string& bucket,
                                              bool object_lock_enabled) const {
  auto request = BucketRequest("PUT", "CreateBucket", bucket, "");
  if (!request) {
    return Fail(request.error());
  }
  // A bucket being created has no owner to expect (the model has no such header for it).
  std::erase_if(request->headers,
                [](const auto& header) { return header.first == "x-amz-expected-bucket-owner"; });
  // us-east-1 is the one region that takes no LocationConstraint (and rejects one).
  const std::string region = api_->Region();
  if (region != "us-east-1") {
    request->headers.emplace_back("Content-Type", "application/xml");
    request->body = XmlBody("CreateBucketConfiguration",
                            [&](xml_node root) { AddText(root, "LocationConstraint", region); });
  }
  if (object_lock_enabled) {
    request->headers.emplace_back("x-amz-bucket-object-lock-enabled", "true");
  }
  auto response = api_->Rest(kService, *request);
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<std::optional<ObjectLockConfiguration>> S3Client::GetObjectLockConfiguration(
    const std::string& bucket) const {
  auto response = GetOptional("GetObjectLockConfiguration", bucket, "object-lock",
                              "ObjectLockConfigurationNotFoundError");
  if (!response) {
    return Fail(response.error());
  }
  if (!*response) {
    return std::optional<ObjectLockConfiguration>();
  }
  auto doc = ParseXml(**response, "GetObjectLockConfiguration");
  if (!doc) {
    return Fail(doc.error());
  }
  ResponseReader in(Operation("GetObjectLockConfiguration"), (*response)->request_id);
  const xml_node root = (*doc)->document_element();
  ObjectLockConfiguration config;
  config.enabled = in.Text(root, "ObjectLockEnabled") == "Enabled";
  if (const xml_node rule = Child(root, "Rule/DefaultRetention")) {
    const std::string mode_text = in.Text(rule, "Mode");
    const std::optional<ObjectLockMode> mode = ParseMode(mode_text);
    if (!mode) {
      in.Problem("Mode is '" + mode_text + "', not GOVERNANCE or COMPLIANCE");
    }
    config.retention =
        DefaultRetention{mode.value_or(ObjectLockMode::kGovernance),
                         in.Int(rule, "Days").value_or(0), in.Int(rule, "Years").value_or(0)};
  }
  return in.Finish(std::optional<ObjectLockConfiguration>(config));
}

Result<MutationResult> S3Client::PutObjectLockConfiguration(
    const std::string& bucket, const DefaultRetention& retention) const {
  if ((retention.days > 0) == (retention.years > 0) || retention.days < 0 || retention.years < 0) {
    return Fail(ErrorKind::kInvalidInput,
                "an Object Lock default retention needs a positive number of days or of years");
  }
  std::string body = XmlBody("ObjectLockConfiguration", [&](xml_node root) {
    AddText(root, "ObjectLockEnabled", "Enabled");
    xml_node rule = root.append_child("Rule").append_child("DefaultRetention");
    AddText(rule, "Mode", ObjectLockModeName(retention.mode));
    if (retention.days > 0) {
      AddText(rule, "Days", std::to_string(retention.days));
    } else {
      AddText(rule, "Years", std::to_string(retention.years));
    }
  });
  auto response = Send("PUT", "PutObjectLockConfiguration", bucket, "object-lock", std::move(body));
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<PutObjectResult> S3Client::PutObject(const PutObjectRequest& object) const {
  if (auto valid = CheckKey(object.key); !valid) {
    return Fail(valid.error());
  }
  if (object.lock_mode.has_value() != object.retain_until.has_value()) {
    return Fail(ErrorKind::kInvalidInput,
                "an object lock mode and a retain-until date go together; nothing was sent");
  }
  auto request = BucketRequest("PUT", "PutObject", object.bucket, "");
  if (!request) {
    return Fail(request.error());
  }

  const std::string checksum = Sha256Base64(object.body);
  request->path += "/" + PathEncode(object.key, /*keep_slash=*/true);
  request->headers.emplace_back("Content-Type", object.content_type);
  request->headers.emplace_back("x-amz-sdk-checksum-algorithm", "SHA256");
  request->headers.emplace_back("x-amz-checksum-sha256", checksum);
  if (object.lock_mode) {
    request->headers.emplace_back("x-amz-object-lock-mode", ObjectLockModeName(*object.lock_mode));
    request->headers.emplace_back("x-amz-object-lock-retain-until-date",
                                  FormatRfc3339Seconds(*object.retain_until));
  }
  request->body = object.body;
  request->timeout = kUploadTimeout;

  auto response = api_->Rest(kService, *request);
  if (!response) {
    return Fail(response.error());
  }
  // S3 verifies the checksum itself; an echo that differs would mean the stored evidence is not
  // what cordon hashed, which must never pass silently.
  const std::string echoed = response->Header("x-amz-checksum-sha256");
  if (!echoed.empty() && echoed != checksum) {
    return Fail(Error{ErrorKind::kCorrupt,
                      "s3:PutObject of " + object.key + ": S3 reports SHA-256 " + echoed +
                          " for an object whose SHA-256 is " + checksum,
                      {},
                      response->request_id,
                      response->status,
                      false});
  }
  return PutObjectResult{response->Header("x-amz-version-id"), response->Header("ETag"), checksum,
                         response->request_id};
}

}  // namespace cordon::aws
