// Release of the S3 bucket and Lambda function changes (see release.h).
#include <vector>

#include "execution/aws_json.h"
#include "execution/release.h"
#include "providers/aws/lambda_client.h"
#include "providers/aws/s3_client.h"

namespace cordon::execution {
namespace {

using nlohmann::json;

// The account of an ARN (its fifth part), or "".
std::string AccountOf(const std::string& arn) {
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    start = arn.find(':', start);
    if (start == std::string::npos) {
      return "";
    }
    ++start;
  }
  const size_t end = arn.find(':', start);
  return end == std::string::npos ? "" : arn.substr(start, end - start);
}

}  // namespace

AwsReleaser::Undone AwsReleaser::UndoS3(const journal::Record& change, const json& request,
                                        const json& prior, StepRecorder& recorder) {
  const std::string& op = change.operation;
  const std::string bucket = Str(request, "Bucket");
  if (op == "s3:PutBucketVersioning") {
    return {ReleaseStatus::kIrreversible,
            "versioning of " + bucket +
                " stays enabled: S3 can suspend it but never turn it off (was " +
                Str(prior, "status") + ")"};
  }
  const std::string region = prior.is_object() && prior.contains("region")
                                 ? Str(prior, "region")
                                 : RegionOf(change.target);
  const aws::S3Client s3(apis_(region), AccountOf(context_.actor));

  if (op == "s3:PutPublicAccessBlock") {
    const json before = prior.is_object() ? prior.value("public_access_block", json()) : json();
    if (before.is_null()) {
      auto done = recorder.Mutate(
          "s3:DeletePublicAccessBlock", {{"Bucket", bucket}, {"undoes", change.seq}},
          {{"public_access_block", request.value("PublicAccessBlockConfiguration", json())}},
          [&] { return s3.DeletePublicAccessBlock(bucket); });
      if (!done) {
        return {ReleaseStatus::kFailed, "DeletePublicAccessBlock: " + done.error().Describe()};
      }
      return {ReleaseStatus::kUndone,
              "public access block of " + bucket + " removed (it had none; the account's applies)"};
    }
    const aws::PublicAccessBlock block{
        before.value("BlockPublicAcls", false), before.value("IgnorePublicAcls", false),
        before.value("BlockPublicPolicy", false), before.value("RestrictPublicBuckets", false)};
    auto done = recorder.Mutate(
        op,
        {{"Bucket", bucket}, {"PublicAccessBlockConfiguration", before}, {"undoes", change.seq}},
        {{"public_access_block", request.value("PublicAccessBlockConfiguration", json())}},
        [&] { return s3.PutPublicAccessBlock(bucket, block); });
    if (!done) {
      return {ReleaseStatus::kFailed, "PutPublicAccessBlock: " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "public access block of " + bucket + " restored"};
  }

  if (op == "s3:PutBucketPolicy") {
    const json before = prior.is_object() ? prior.value("policy", json()) : json();
    if (before.is_null()) {
      auto done =
          recorder.Mutate("s3:DeleteBucketPolicy", {{"Bucket", bucket}, {"undoes", change.seq}},
                          {{"policy", request.value("Policy", json())}},
                          [&] { return s3.DeleteBucketPolicy(bucket); });
      if (!done) {
        return {ReleaseStatus::kFailed, "DeleteBucketPolicy: " + done.error().Describe()};
      }
      return {ReleaseStatus::kUndone, "bucket policy of " + bucket + " removed (it had none)"};
    }
    if (!before.is_object()) {
      return {ReleaseStatus::kFailed, "the saved policy of " + bucket + " is not a JSON object"};
    }
    auto done =
        recorder.Mutate(op, {{"Bucket", bucket}, {"Policy", before}, {"undoes", change.seq}},
                        {{"policy", request.value("Policy", json())}},
                        [&] { return s3.PutBucketPolicy(bucket, before.dump()); });
    if (!done) {
      return {ReleaseStatus::kFailed, "PutBucketPolicy: " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "bucket policy of " + bucket + " restored"};
  }
  if (op == "s3:PutBucketTagging") {
    // Like the other kinds: IR-Status=released, IR-Case kept, every other tag as it is now.
    auto current = s3.GetBucketTagging(bucket);
    if (!current) {
      return {ReleaseStatus::kFailed,
              "could not read the tags of " + bucket + ": " + current.error().Describe()};
    }
    std::vector<aws::Tag> tags;
    for (const auto& tag : *current) {
      if (tag.key != "IR-Status") {
        tags.push_back(tag);
      }
    }
    tags.push_back({"IR-Status", "released"});
    auto done = recorder.Mutate(
        op, {{"Bucket", bucket}, {"Tags", {{"IR-Status", "released"}}}, {"undoes", change.seq}},
        prior, [&] { return s3.PutBucketTagging(bucket, tags); });
    if (!done) {
      return {ReleaseStatus::kFailed, "PutBucketTagging: " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, bucket + " tagged IR-Status=released (IR-Case kept)"};
  }
  return {ReleaseStatus::kFailed, "cordon knows no undo for " + op};
}

AwsReleaser::Undone AwsReleaser::UndoLambda(const journal::Record& change, const json& request,
                                            const json& prior, StepRecorder& recorder) {
  const std::string& op = change.operation;
  const aws::LambdaClient lambda(apis_(RegionOf(change.target)));

  if (op == "lambda:PutFunctionConcurrency") {
    const std::string name = Str(request, "FunctionName");
    const json before =
        prior.is_object() ? prior.value("reserved_concurrent_executions", json()) : json();
    if (before.is_null()) {
      auto done = recorder.Mutate(
          "lambda:DeleteFunctionConcurrency", {{"FunctionName", name}, {"undoes", change.seq}},
          {{"reserved_concurrent_executions", request.value("ReservedConcurrentExecutions", 0)}},
          [&] { return lambda.DeleteFunctionConcurrency(name); });
      if (!done) {
        return {ReleaseStatus::kFailed, "DeleteFunctionConcurrency: " + done.error().Describe()};
      }
      return {ReleaseStatus::kUndone, "reserved concurrency of " + name + " removed (none before)"};
    }
    if (!before.is_number_integer()) {
      return {ReleaseStatus::kFailed, "the saved concurrency of " + name + " is not a number"};
    }
    const int reserved = before.get<int>();
    auto done = recorder.Mutate(
        op,
        {{"FunctionName", name},
         {"ReservedConcurrentExecutions", reserved},
         {"undoes", change.seq}},
        {{"reserved_concurrent_executions", request.value("ReservedConcurrentExecutions", 0)}},
        [&] { return lambda.PutFunctionConcurrency(name, reserved); });
    if (!done) {
      return {ReleaseStatus::kFailed, "PutFunctionConcurrency: " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone,
            "reserved concurrency of " + name + " back to " + std::to_string(reserved)};
  }

  if (op == "lambda:UpdateEventSourceMapping") {
    const std::string uuid = Str(request, "UUID");
    if (!prior.is_object() || !prior.value("enabled", false)) {
      return {ReleaseStatus::kUndone, "mapping " + uuid + " was not enabled before; left as is"};
    }
    auto done = recorder.Mutate(op, {{"UUID", uuid}, {"Enabled", true}, {"undoes", change.seq}},
                                {{"enabled", false}}, [&]() -> Result<aws::MutationResult> {
                                  auto updated = lambda.UpdateEventSourceMapping(uuid, true);
                                  if (!updated) {
                                    return Fail(updated.error());
                                  }
                                  return aws::MutationResult{};
                                });
    if (!done) {
      return {ReleaseStatus::kFailed,
              "UpdateEventSourceMapping " + uuid + ": " + done.error().Describe()};
    }
    return {ReleaseStatus::kUndone, "event-source mapping " + uuid + " enabled again"};
  }
  return {ReleaseStatus::kFailed, "cordon knows no undo for " + op};
}

}  // namespace cordon::execution
