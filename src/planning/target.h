// What cordon contains: a resource or principal in one cloud, named precisely.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace cordon::planning {

enum class TargetKind {
  kAwsIamUser,
  kAwsAccessKey,
  kAwsIamRole,
  kAwsEc2Instance,
  kAwsS3Bucket,
  kAwsLambdaFunction,
};

// One thing to contain. Plain data; thread-compatible.
struct Target {
  TargetKind kind = TargetKind::kAwsIamUser;
  std::string id;       // user or role name, access key id, instance id, bucket or function name
  std::string account;  // 12-digit account id when known
  std::string region;   // for regional resources, when known
  std::string owner;    // access keys: the owning user name when the source names it

  // The canonical short reference, e.g. "aws:iam-user:alice", "aws:ec2-instance:i-0abc".
  // Unique per resource within a case and used as the step-id prefix.
  std::string Key() const;
};

bool operator==(const Target& a, const Target& b);

// The stable name of a kind, e.g. "aws:iam-user". Used in references, plans and journals.
const char* TargetKindName(TargetKind kind);
std::optional<TargetKind> TargetKindFromName(const std::string& name);

}  // namespace cordon::planning
