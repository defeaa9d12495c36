// The S3 bucket steps of the AWS playbook: capture, versioning, public access block, and the
// deny-all bucket policy that exempts the responders.
#include "execution/aws_json.h"
#include "execution/aws_runner.h"
#include "execution/responders.h"

namespace cordon::execution {

using nlohmann::json;

namespace {

const char* VersioningName(aws::VersioningStatus status) {
  switch (status) {
    case aws::VersioningStatus::kNeverEnabled:
      return "NeverEnabled";
    case aws::VersioningStatus::kEnabled:
      return "Enabled";
    case aws::VersioningStatus::kSuspended:
      return "Suspended";
  }
  return "NeverEnabled";
}

json BlockJson(const aws::PublicAccessBlock& block) {
  return {{"BlockPublicAcls", block.block_public_acls},
          {"IgnorePublicAcls", block.ignore_public_acls},
          {"BlockPublicPolicy", block.block_public_policy},
          {"RestrictPublicBuckets", block.restrict_public_buckets}};
}

// The ARN partition of `arn` ("aws" when it has none).
std::string PartitionOf(const std::string& arn) {
  const std::string prefix = "arn:";
  if (arn.rfind(prefix, 0) != 0) {
    return "aws";
  }
  const size_t end = arn.find(':', prefix.size());
  return end == std::string::npos ? "aws" : arn.substr(prefix.size(), end - prefix.size());
}

}  // namespace

aws::S3Client AwsStepRunner::S3For(const std::string& region) {
  return aws::S3Client(apis_(region), guards_.caller.account);
}

StepResult AwsStepRunner::CaptureBucket(const planning::Step& step, StepRecorder& recorder) {
  (void)recorder;
  const planning::Target* target = FindTarget(step.target);
  if (target == nullptr) {
    return {Outcome::kFailed, "target " + step.target + " is not in the plan", {}};
  }
  const std::string& bucket = target->id;

  // Path-style calls must go to the bucket's own region.
  std::string region = target->region;
  if (region.empty()) {
    auto location = S3For("").GetBucketLocation(bucket);
    if (!location) {
      const bool absent = location.error().kind == ErrorKind::kNotFound;
      return {absent ? Outcome::kFailed : Outcome::kUnknown,
              "could not read the region of bucket " + bucket + ": " + location.error().Describe(),
              {}};
    }
    region = *location;
  }
  const aws::S3Client s3 = S3For(region);
  auto policy = s3.GetBucketPolicy(bucket);
  auto block = s3.GetPublicAccessBlock(bucket);
  auto ownership = s3.GetBucketOwnershipControls(bucket);
  auto versioning = s3.GetBucketVersioning(bucket);
  for (const Error* error :
       {policy ? nullptr : &policy.error(), block ? nullptr : &block.error(),
        ownership ? nullptr : &ownership.error(), versioning ? nullptr : &versioning.error()}) {
    if (error != nullptr) {
      const bool absent = error->kind == ErrorKind::kNotFound;
      return {absent ? Outcome::kFailed : Outcome::kUnknown,
              "capture of bucket " + bucket + " incomplete: " + error->Describe(),
              {}};
    }
  }

  CapturedTarget captured;
  captured.bucket_region = region;
  captured.bucket_policy = *policy;
  captured.public_access_block = *block;
  captured.versioning = *versioning;
  json policy_json = nullptr;
  if (*policy) {
    policy_json = json::parse(**policy, nullptr, false);
    if (!policy_json.is_object()) {
      // S3 only stores JSON policies: text that is not JSON means the read is not what it seems.
      captured.bucket_policy_unparsable = true;
      policy_json = {{"unparsable_text", **policy}};
    }
  }
  json evidence = {
      {"bucket", bucket},
      {"region", region},
      {"policy", policy_json},
      {"public_access_block", *block ? BlockJson(**block) : json(nullptr)},
      {"ownership_controls", *ownership ? json((*ownership)->object_ownership) : json(nullptr)},
      {"versioning",
       {{"status", VersioningName(versioning->status)}, {"mfa_delete", versioning->mfa_delete}}}};
  for (const auto& entry : guards_.protected_principals) {
    if (entry == bucket || entry == "arn:" + PartitionOf(entry) + ":s3:::" + bucket) {
      captured.refused = true;
      captured.refusal = "refused: bucket " + bucket + " is protected in the configuration";
    }
  }
  SetCaptured(step.target, captured);
  if (auto stored = StoreEvidence(step, "s3-bucket-" + bucket + ".json", evidence); !stored) {
    return {Outcome::kFailed, "could not store evidence: " + stored.error().Describe(), {}};
  }
  if (captured.refused) {
    return {Outcome::kRefused, captured.refusal, {}};
  }
  std::string message = "captured bucket " + bucket + " in " + region +
                        " (policy: " + (*policy ? "yes" : "none") +
                        ", public access block: " + (*block ? "yes" : "none") +
                        ", versioning: " + VersioningName(versioning->status) + ")";
  if (captured.bucket_policy_unparsable) {
    message += "; its policy is not JSON, so the policy step will not replace it";
  }
  return {Outcome::kOk, message, {{"region", region}}};
}

StepResult AwsStepRunner::EnableVersioning(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string& bucket = FindTarget(step.target)->id;
  if (captured.versioning && captured.versioning->status == aws::VersioningStatus::kEnabled) {
    return {Outcome::kOk, "versioning of " + bucket + " was already enabled", {}};
  }
  const aws::S3Client s3 = S3For(captured.bucket_region);
  const json prior = {
      {"region", captured.bucket_region},
      {"status", VersioningName(captured.versioning ? captured.versioning->status
                                                    : aws::VersioningStatus::kNeverEnabled)}};
  auto done = recorder.Mutate(
      "s3:PutBucketVersioning",
      {{"Bucket", bucket}, {"VersioningConfiguration", {{"Status", "Enabled"}}}}, prior,
      [&] { return s3.PutBucketVersioning(bucket, aws::VersioningStatus::kEnabled); });
  if (!done) {
    return {Outcome::kFailed, "PutBucketVersioning: " + done.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "versioning of " + bucket + " enabled: overwritten and deleted objects are kept",
          {{"request_id", done->request_id}}};
}

StepResult AwsStepRunner::BlockPublicAccess(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string& bucket = FindTarget(step.target)->id;
  const aws::PublicAccessBlock all_on = aws::PublicAccessBlock::AllOn();
  if (captured.public_access_block == all_on) {
    return {Outcome::kOk, "all four public access block flags of " + bucket + " were on", {}};
  }
  const aws::S3Client s3 = S3For(captured.bucket_region);
  const json prior = {
      {"region", captured.bucket_region},
      {"public_access_block",
       captured.public_access_block ? BlockJson(*captured.public_access_block) : json(nullptr)}};
  auto done =
      recorder.Mutate("s3:PutPublicAccessBlock",
                      {{"Bucket", bucket}, {"PublicAccessBlockConfiguration", BlockJson(all_on)}},
                      prior, [&] { return s3.PutPublicAccessBlock(bucket, all_on); });
  if (!done) {
    return {Outcome::kFailed, "PutPublicAccessBlock: " + done.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "all four public access block flags of " + bucket + " on",
          {{"request_id", done->request_id}}};
}

StepResult AwsStepRunner::DenyBucketPolicy(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string& bucket = FindTarget(step.target)->id;
  if (captured.bucket_policy_unparsable) {
    return {Outcome::kUnknown,
            "the policy of bucket " + bucket +
                " read back as text that is not JSON; it is kept as evidence and not replaced, "
                "and the public access block step waits for this one (check both by hand)",
            {}};
  }
  if (guards_.responders.empty()) {
    return {Outcome::kRefused,
            "refused: no responder principals are configured, so a deny-all policy on " + bucket +
                " would lock out everyone (add --responder ARN)",
            {}};
  }
  const json policy = BucketDenyPolicy(PartitionOf(guards_.caller.arn), bucket, guards_.responders);
  json current = nullptr;
  if (captured.bucket_policy) {
    current = json::parse(*captured.bucket_policy, nullptr, false);
  }
  if (current == policy) {
    return {Outcome::kOk, "bucket " + bucket + " already has cordon's deny-all policy", {}};
  }

  const aws::S3Client s3 = S3For(captured.bucket_region);
  auto done = recorder.Mutate("s3:PutBucketPolicy", {{"Bucket", bucket}, {"Policy", policy}},
                              {{"region", captured.bucket_region}, {"policy", current}},
                              [&] { return s3.PutBucketPolicy(bucket, policy.dump()); });
  if (!done) {
    return {Outcome::kFailed, "PutBucketPolicy: " + done.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "bucket policy of " + bucket + " denies s3:* to every principal but " +
              std::to_string(guards_.responders.size()) + " responder(s) (original saved)",
          {{"request_id", done->request_id}, {"exempt", guards_.responders}}};
}

StepResult AwsStepRunner::TagBucket(const planning::Step& step, StepRecorder& recorder) {
  const CapturedTarget captured = Captured(step.target);
  const std::string& bucket = FindTarget(step.target)->id;
  const aws::S3Client s3 = S3For(captured.bucket_region);

  // PutBucketTagging replaces the whole set: read it right before merging, and never write
  // over a set that could not be read.
  auto current = s3.GetBucketTagging(bucket);
  if (!current) {
    return {Outcome::kUnknown,
            "could not read the tags of " + bucket + ": " + current.error().Describe(),
            {}};
  }
  std::vector<aws::Tag> merged;
  for (const auto& tag : *current) {
    if (tag.key != "IR-Case" && tag.key != "IR-Status") {
      merged.push_back(tag);
    }
  }
  merged.push_back({"IR-Case", context_.case_id});
  merged.push_back({"IR-Status", "contained"});
  if (ToJson(merged) == ToJson(*current)) {
    return {Outcome::kOk, bucket + " was already tagged IR-Case=" + context_.case_id, {}};
  }

  auto tagged =
      recorder.Mutate("s3:PutBucketTagging", {{"Bucket", bucket}, {"Tags", ToJson(merged)}},
                      {{"region", captured.bucket_region}, {"tags", ToJson(*current)}},
                      [&] { return s3.PutBucketTagging(bucket, merged); });
  if (!tagged) {
    return {Outcome::kFailed, "PutBucketTagging: " + tagged.error().Describe(), {}};
  }
  return {Outcome::kOk,
          "tagged " + bucket + " IR-Case=" + context_.case_id + " IR-Status=contained (" +
              std::to_string(merged.size() - 2) + " other tag(s) kept)",
          {{"request_id", tagged->request_id}}};
}

}  // namespace cordon::execution
