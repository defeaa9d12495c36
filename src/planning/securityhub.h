// AWS Security Hub findings in the AWS Security Finding Format (ASFF) in, targets out
// (PRODUCT.md §8). Reads one finding object, a list of them, the GetFindings API's
// {"Findings":[…],"NextToken":…}, or an EventBridge event whose detail.findings[] holds them
// ("Security Hub Findings - Imported" or "- Custom Action"). Input is untrusted: every
// identifier is validated and reported, never repaired.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "planning/findings.h"

namespace cordon::planning {

// The GuardDuty finding type in one ASFF Types entry of a GuardDuty finding, e.g.
// "TTPs/Discovery/Recon:IAMUser-UserPermissions" → "Recon:IAMUser/UserPermissions" (Security
// Hub writes the '/' after the resource type as '-'), "TTPs/PenTest:IAMUser/KaliLinux" →
// "PenTest:IAMUser/KaliLinux"; nullopt when the entry carries none. Thread-safe.
std::optional<std::string> GuardDutyTypeInAsff(std::string_view asff_type);

// Parses `text` (one JSON document). Each finding's Resources[] name the targets:
//   AwsEc2Instance     Id arn:…:ec2:REGION:ACCOUNT:instance/i-… or a bare i-…
//   AwsIamAccessKey    the key from Id AWS::IAM::AccessKey:AKIA…|ASIA… (or a bare key id) and/or
//                      Details.AwsIamAccessKey.AccessKeyId; its holder from PrincipalType and
//                      PrincipalName (or the older UserName): an IAMUser key with its user, the
//                      role of an AssumedRole key; Root and other principals give a note
//   AwsIamUser         Id arn:…:iam::ACCOUNT:user/NAME
//   AwsIamRole         Id arn:…:iam::ACCOUNT:role/NAME
//   AwsS3Bucket        Id arn:…:s3:::BUCKET
//   AwsLambdaFunction  Id arn:…:lambda:REGION:ACCOUNT:function:NAME (a version or alias
//                      qualifier is read as the whole function, with a note)
// Other resource types give a note and no target. A finding from GuardDuty (ProductArn
// …:product/aws/guardduty) is read by its GuardDuty type (GuardDutyTypeInAsff): only the
// resources that type asks to contain are planned (planning/guardduty.h GuardDutyTypeSubjects),
// the others get a note, so it plans as the same finding read from GuardDuty would (when no
// Types entry carries a GuardDuty type, it is read like any other product's finding).
// Regions come from the ARN, else Resources[].Region, else the finding's Region; accounts from
// the ARN, else AwsAccountId. Techniques come from the GuardDuty type, else from Types[].
// Skipped, with a note and no targets: Workflow.Status SUPPRESSED or RESOLVED, Compliance.Status
// PASSED or NOT_AVAILABLE, and (unless options.include_samples) RecordState ARCHIVED, Sample
// true, or GuardDuty's own archived or sample flag in ProductFields. A re-sent finding (same Id)
// is kept once. Fails with kInvalidInput when the text is not JSON, is none of the shapes, a
// finding has no Id or ProductArn, a field has the wrong JSON type or an unknown enumerated
// value, or an identifier is malformed (an Id holding a space, an ARN of the wrong kind or
// shape, a region that differs from its ARN's); the message names the field by its path (e.g.
// Findings[0].Resources[1].Id) and what is wrong with it. Thread-safe.
Result<FindingSet> ParseSecurityHubFindings(std::string_view text, const FindingOptions& options);

}  // namespace cordon::planning
