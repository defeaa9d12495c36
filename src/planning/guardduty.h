// Amazon GuardDuty findings in, targets out (PRODUCT.md §8). Reads the three shapes a finding
// arrives in — the GetFindings API's {"Findings":[…]} (PascalCase), an EventBridge event
// {"detail-type":"GuardDuty Finding","detail":{…}} (camelCase), or one bare finding in either
// case — and names the resources to contain. Input is untrusted: it is validated, never trusted.
#pragma once

#include <string_view>

#include "core/result.h"
#include "planning/findings.h"

namespace cordon::planning {

// What a GuardDuty finding type asks cordon to contain, decided by its threat purpose and the
// resource type it affects ("Purpose:Resource/…"). All false when cordon has no playbook for the
// type (e.g. Canary:EC2/*, Execution:Runtime/*). Plain data.
struct GuardDutySubjects {
  bool instance = false;   // the EC2 instance
  bool principal = false;  // whoever holds the access key: an IAM user's key, or an assumed role
  bool buckets = false;    // the S3 buckets
  bool function = false;   // the Lambda function

  bool Any() const { return instance || principal || buckets || function; }
};

// EC2 threat types (Backdoor, CryptoCurrency, Trojan, …:EC2/*) name the instance. IAMUser types
// name the principal, and also the instance for
// UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration*. S3 types name the buckets, except
// Stealth:S3/* (logging was turned off: the data is not at stake), and the principal, except
// Policy:S3/* (an exposure, usually set by an administrator, whom a note names instead). Lambda
// threat types (Backdoor, CryptoCurrency, Trojan, UnauthorizedAccess:Lambda/*) name the
// function. Thread-safe.
GuardDutySubjects GuardDutyTypeSubjects(std::string_view type);

// Parses `text` (one JSON document). Instances come from Resource.InstanceDetails.InstanceId;
// access keys from Resource.AccessKeyDetails, as the key with its owning user, the role of an
// AssumedRole key, or the user when no key id is given; buckets from
// Resource.S3BucketDetails[].Name (or .Arn); functions from Resource.LambdaDetails.FunctionArn
// (or .FunctionName). Root and other principal types, unknown types, and (unless
// options.include_samples) sample or archived findings give no targets and a note saying why.
// Absent blocks are not errors. Fails with kInvalidInput when the text is not JSON, is none of
// the three shapes, a finding has no Id or Type, a field has the wrong JSON type, or an id is
// malformed; the message names the field by its path in the document (e.g.
// Findings[0].Resource.InstanceDetails.InstanceId) and the expected form. Thread-safe.
Result<FindingSet> ParseGuardDutyFindings(std::string_view text, const FindingOptions& options);

}  // namespace cordon::planning
