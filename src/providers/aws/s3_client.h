// Typed S3 calls over the REST-XML protocol: the bucket settings cordon captures and changes, and
// the evidence upload (a bucket with Object Lock, objects with retention and a SHA-256 checksum).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/aws_types.h"

namespace cordon::aws {

// The four public access block flags. Thread-compatible value.
struct PublicAccessBlock {
  bool block_public_acls = false;
  bool ignore_public_acls = false;
  bool block_public_policy = false;
  bool restrict_public_buckets = false;

  // All four on: what containment applies.
  static PublicAccessBlock AllOn() { return {true, true, true, true}; }
  bool operator==(const PublicAccessBlock&) const = default;
};

enum class VersioningStatus {
  kNeverEnabled,  // the response has no Status: versioning was never turned on
  kEnabled,
  kSuspended,
};

struct BucketVersioning {
  VersioningStatus status = VersioningStatus::kNeverEnabled;
  std::string mfa_delete;  // "Enabled", "Disabled" or "" when never configured
};

// Object ownership rules, spelled as S3 does ("BucketOwnerEnforced", "ObjectWriter", ...).
struct OwnershipControls {
  std::vector<std::string> object_ownership;
};

enum class ObjectLockMode { kGovernance, kCompliance };

// "GOVERNANCE" or "COMPLIANCE".
const char* ObjectLockModeName(ObjectLockMode mode);

// A default retention rule: every new object version is locked for `days` or `years` (exactly
// one of them is above zero).
struct DefaultRetention {
  ObjectLockMode mode = ObjectLockMode::kGovernance;
  int days = 0;
  int years = 0;
};

struct ObjectLockConfiguration {
  bool enabled = false;                       // ObjectLockEnabled is "Enabled"
  std::optional<DefaultRetention> retention;  // absent when there is no default rule
};

struct BucketHead {
  std::string region;  // x-amz-bucket-region; may be empty through an emulator
  std::string request_id;
};

// One object to write. With `lock_mode`, `retain_until` is required (and the reverse).
struct PutObjectRequest {
  std::string bucket;
  std::string key;  // any UTF-8 text; "." and ".." segments are refused
  std::string body;
  std::string content_type = "application/octet-stream";
  std::optional<ObjectLockMode> lock_mode;
  std::optional<std::chrono::system_clock::time_point> retain_until;  // sent in whole seconds
};

struct PutObjectResult {
  std::string version_id;       // empty when the bucket is not versioned
  std::string etag;             // as S3 sends it, quotes included
  std::string checksum_sha256;  // base64, as sent (and as S3 echoed it, when it did)
  std::string request_id;
};

// A cheap, copyable handle on the S3 API of one region; it holds only a reference to `api`,
// which must outlive it. Thread-safe (no mutable state; `api` is thread-safe).
//
// Buckets are addressed path-style. A bucket in another region than the AwsApi's fails
// (PermanentRedirect, with the bucket's region in the message); use GetBucketLocation to pick the
// region first. Bucket names must be 1-255 of [A-Za-z0-9._-] (legacy names included) and not "."
// or "..", else kInvalidInput before anything is sent. "None" states (no policy, no public access
// block, no ownership controls, no Object Lock configuration) are std::nullopt, not errors;
// every other error comes back as the AwsApi mapped it (NoSuchBucket is kNotFound). Every body
// cordon sends carries x-amz-checksum-sha256, which S3 requires on these calls (in place of
// Content-MD5). Mutations change only what their comment says.
class S3Client {
 public:
  // With `expected_owner` (an account id), every call but CreateBucket carries
  // x-amz-expected-bucket-owner, so
  // S3 refuses (403 AccessDenied) to act on a bucket that another account owns: bucket names
  // are global, and a mistyped one must never change a stranger's bucket.
  explicit S3Client(AwsApi& api, std::string expected_owner = {})
      : api_(&api), expected_owner_(std::move(expected_owner)) {}

  // GetBucketPolicy: the policy JSON text as stored; nullopt for NoSuchBucketPolicy.
  Result<std::optional<std::string>> GetBucketPolicy(const std::string& bucket) const;
  // PutBucketPolicy: replaces the bucket policy. A policy that is not a JSON object is
  // kInvalidInput, nothing sent.
  Result<MutationResult> PutBucketPolicy(const std::string& bucket,
                                         const std::string& policy_json) const;
  // DeleteBucketPolicy: removes the bucket policy (succeeds when there is none).
  Result<MutationResult> DeleteBucketPolicy(const std::string& bucket) const;

  // GetPublicAccessBlock: nullopt for NoSuchPublicAccessBlockConfiguration.
  Result<std::optional<PublicAccessBlock>> GetPublicAccessBlock(const std::string& bucket) const;
  // PutPublicAccessBlock: sets all four flags as given.
  Result<MutationResult> PutPublicAccessBlock(const std::string& bucket,
                                              const PublicAccessBlock& block) const;
  // DeletePublicAccessBlock: removes the bucket's configuration (the account's still applies).
  Result<MutationResult> DeletePublicAccessBlock(const std::string& bucket) const;

  // GetBucketOwnershipControls: nullopt for OwnershipControlsNotFoundError.
  Result<std::optional<OwnershipControls>> GetBucketOwnershipControls(
      const std::string& bucket) const;

  Result<BucketVersioning> GetBucketVersioning(const std::string& bucket) const;
  // PutBucketVersioning: Enabled or Suspended (versioning can never be turned off again);
  // kNeverEnabled is kInvalidInput.
  Result<MutationResult> PutBucketVersioning(const std::string& bucket,
                                             VersioningStatus status) const;

  // GetBucketTagging: the bucket's tags in the order S3 lists them; empty for NoSuchTagSet.
  // (In s3_client_tagging.cc.)
  Result<std::vector<Tag>> GetBucketTagging(const std::string& bucket) const;
  // PutBucketTagging: replaces the whole tag set with `tags` (read, merge and write to keep
  // the others). An empty list is kInvalidInput, nothing sent: use DeleteBucketTagging.
  Result<MutationResult> PutBucketTagging(const std::string& bucket,
                                          const std::vector<Tag>& tags) const;
  // DeleteBucketTagging: removes every tag of the bucket.
  Result<MutationResult> DeleteBucketTagging(const std::string& bucket) const;

  // GetBucketLocation: the bucket's region ("us-east-1" for an empty constraint, "eu-west-1"
  // for the legacy "EU").
  Result<std::string> GetBucketLocation(const std::string& bucket) const;
  // HeadBucket: kNotFound when there is no such bucket, kPermission when it is not ours.
  Result<BucketHead> HeadBucket(const std::string& bucket) const;

  // CreateBucket in the AwsApi's region, with Object Lock enabled when asked (which also
  // enables versioning). BucketAlreadyOwnedByYou and BucketAlreadyExists are kConflict.
  Result<MutationResult> CreateBucket(const std::string& bucket, bool object_lock_enabled) const;
  // GetObjectLockConfiguration: nullopt for ObjectLockConfigurationNotFoundError.
  Result<std::optional<ObjectLockConfiguration>> GetObjectLockConfiguration(
      const std::string& bucket) const;
  // PutObjectLockConfiguration: enables Object Lock (the bucket must be versioned) with this
  // default retention. Cannot be undone; COMPLIANCE retention cannot be shortened by anyone.
  // Unless exactly one of days and years is above zero: kInvalidInput, nothing sent.
  Result<MutationResult> PutObjectLockConfiguration(const std::string& bucket,
                                                    const DefaultRetention& retention) const;

  // PutObject with x-amz-checksum-sha256 of the body and, when asked, the object's own lock
  // mode and retain-until date. kInvalidInput for an empty key, a "." or ".." segment, or a
  // lock mode without a date (or the reverse); S3's BadDigest if the body changed on the way;
  // kCorrupt if S3 echoes another checksum than the one sent.
  Result<PutObjectResult> PutObject(const PutObjectRequest& request) const;

 private:
  // A request for `bucket`, with the sub-resource `subresource` ("" for none) and the
  // expected-owner header; fails for a bucket name cordon refuses to send.
  Result<RestRequest> BucketRequest(std::string method, std::string operation,
                                    const std::string& bucket,
                                    const std::string& subresource) const;
  // Sends a bucket-level call; `body`, when not empty, goes with its checksum headers.
  Result<RestResponse> Send(std::string method, std::string operation, const std::string& bucket,
                            const std::string& subresource, std::string body = {}) const;
  // A Get whose "none" state is the error code `none_code`: nullopt for that code.
  Result<std::optional<RestResponse>> GetOptional(std::string operation, const std::string& bucket,
                                                  const std::string& subresource,
                                                  std::string_view none_code) const;

  AwsApi* api_;
  std::string expected_owner_;
};

// The base64 SHA-256 of `data`, as x-amz-checksum-sha256 carries it. Pure.
std::string Sha256Base64(std::string_view data);

}  // namespace cordon::aws
