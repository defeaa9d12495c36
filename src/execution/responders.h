// Responder principals: matching cordon's caller against the responders a deny policy exempts,
// and the S3 deny-all bucket policy that exempts them (PRODUCT.md §2.3).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "planning/plan.h"
#include "providers/aws/iam_client.h"

namespace cordon::execution {

// True when `pattern` matches `arn` the way IAM's ArnLike does: each of the six colon-separated
// parts is compared on its own, `*` matching any run of characters and `?` one character. Pure.
bool ArnLike(const std::string& pattern, const std::string& arn);

// The aws:PrincipalArn a request signed by `caller_arn` (an STS caller identity) carries: for an
// assumed-role session arn:P:sts::A:assumed-role/ROLE/SESSION the role ARN arn:P:iam::A:role/ROLE
// (without its path, which the session ARN does not show); any other ARN unchanged. Pure.
std::string PrincipalArnOfCaller(const std::string& caller_arn);

// The responder entry that exempts `caller_arn` from a policy conditioned on
// ArnNotLike aws:PrincipalArn (an entry that is a session ARN counts as its role's ARN, as
// BucketDenyPolicy writes it), or nullopt when none does. `role_arn` is the caller's role ARN
// with its path when it is known (IAM GetRole), else "". Without it, an assumed-role caller also
// matches an entry for a role of the same account whose path differs and whose name is spelled
// out exactly (no wildcard); BucketLockoutRefusal always passes the role ARN. Pure.
std::optional<std::string> ResponderExempting(const std::string& caller_arn,
                                              const std::string& role_arn,
                                              const std::vector<std::string>& responders);

// The policy that replaces a contained bucket's policy: one statement denying s3:* on the
// bucket and its objects to every principal whose aws:PrincipalArn is not like one of
// `responders` (ArnNotLike; never NotPrincipal, which would not match role sessions).
// A responder given as a session ARN is exempted by its role's ARN (what aws:PrincipalArn
// carries). `partition` is the ARN partition ("aws", "aws-cn", ...). `responders` must not be
// empty. Pure.
nlohmann::json BucketDenyPolicy(const std::string& partition, const std::string& bucket,
                                const std::vector<std::string>& responders);

// Why apply must stop before any change: `plan` contains an S3 bucket, whose deny-all policy
// exempts only `responders`, and `caller_arn` is not among them, so cordon would lock itself
// out. "" when nothing stops it. For an assumed-role caller that no entry matches as it is, the
// role's ARN with its path is read through `iam` (GetRole; a failed read leaves the name match).
std::string BucketLockoutRefusal(const planning::Plan& plan, const std::string& caller_arn,
                                 const std::vector<std::string>& responders,
                                 const aws::IamClient& iam);

}  // namespace cordon::execution
