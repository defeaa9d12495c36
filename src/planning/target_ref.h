// Target references: the strings a responder types after --target (PRODUCT.md §4), parsed
// strictly into Targets. Ids are never "fixed": an upper-case instance id, a space or a trailing
// newline is an input error that shows the expected form.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "planning/target.h"

namespace cordon::planning {

// Where short forms (aws:ec2-instance:i-…) get what an ARN would carry. Either may be empty
// (unknown); they are checked only when a short form uses them.
struct RefDefaults {
  std::string region;   // e.g. from --region or AWS_REGION
  std::string account;  // e.g. from --account
};

// Parses one reference: an ARN (arn:aws:iam::ACCOUNT:user/NAME, …:role/NAME with optional
// paths, arn:aws:ec2:REGION:ACCOUNT:instance/i-…, arn:aws:s3:::BUCKET,
// arn:aws:lambda:REGION:ACCOUNT:function:NAME) or a short form (aws:iam-user:NAME,
// aws:access-key:AKIA…|ASIA…, aws:iam-role:NAME, aws:ec2-instance:i-…, aws:s3-bucket:BUCKET,
// aws:lambda-function:NAME). ARNs fill Target.account/region from themselves, short forms from
// `defaults`; IAM kinds are global and keep region empty. Fails with kInvalidInput whose message
// starts with the reference, then "expected " and the accepted forms of its kind (all forms
// when the kind is not recognised), then why it was rejected. Thread-safe.
Result<Target> ParseTargetRef(const std::string& ref, const RefDefaults& defaults);

// Why `id` is not a well-formed id of `kind` (e.g. "\"I-0ABC1234\" has upper-case letters"),
// or nullopt when it is. IAM names: 1-64 of [A-Za-z0-9_+=,.@-]; access keys: AKIA or ASIA then
// upper-case letters and digits, 16-128 in all; instances: i- and 8 or 17 lower-case hex
// digits; buckets: the S3 naming rules; functions: 1-64 of [A-Za-z0-9_-]. Thread-safe.
std::optional<std::string> TargetIdProblem(TargetKind kind, std::string_view id);

// The id part expected for `kind`, e.g. "i-<8 or 17 lower-case hex digits>".
std::string ExpectedIdForm(TargetKind kind);

// Every accepted reference form of `kind`, e.g. "aws:ec2-instance:i-<8 or 17 lower-case hex
// digits> or arn:aws:ec2:REGION:ACCOUNT:instance/i-…".
std::string ExpectedRefForms(TargetKind kind);

// All accepted reference forms, one kind after another, separated by "; ".
std::string AllRefForms();

// True for a 12-digit AWS account id.
bool IsAccountId(std::string_view text);

// True for a region of the right shape: us-east-1, eu-central-2, us-gov-west-1, cn-north-1.
// Shape only: a well-formed region that AWS does not (yet) have passes.
bool IsRegion(std::string_view text);

}  // namespace cordon::planning
