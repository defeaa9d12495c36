#include "planning/target.h"

#include <array>
#include <utility>

namespace cordon::planning {
namespace {

constexpr std::array<std::pair<TargetKind, const char*>, 6> kKindNames = {{
    {TargetKind::kAwsIamUser, "aws:iam-user"},
    {TargetKind::kAwsAccessKey, "aws:access-key"},
    {TargetKind::kAwsIamRole, "aws:iam-role"},
    {TargetKind::kAwsEc2Instance, "aws:ec2-instance"},
    {TargetKind::kAwsS3Bucket, "aws:s3-bucket"},
    {TargetKind::kAwsLambdaFunction, "aws:lambda-function"},
}};

}  // namespace

const char* TargetKindName(TargetKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) {
      return name;
    }
  }
  return "unknown";
}

std::optional<TargetKind> TargetKindFromName(const std::string& name) {
  for (const auto& [k, n] : kKindNames) {
    if (name == n) {
      return k;
    }
  }
  return std::nullopt;
}

std::string Target::Key() const { return std::string(TargetKindName(kind)) + ":" + id; }

bool operator==(const Target& a, const Target& b) {
  return a.kind == b.kind && a.id == b.id && a.account == b.account && a.region == b.region &&
         a.owner == b.owner;
}

}  // namespace cordon::planning
