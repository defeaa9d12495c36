#include "execution/responders.h"

#include <algorithm>
#include <array>

namespace cordon::execution {
namespace {

// `*` any run of characters, `?` exactly one; everything else literal.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;
  size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

// The six parts of an ARN (the last keeps any further colons), or nullopt for fewer parts.
std::optional<std::array<std::string, 6>> ArnParts(const std::string& arn) {
  std::array<std::string, 6> parts;
  size_t start = 0;
  for (size_t i = 0; i < 5; ++i) {
    const size_t colon = arn.find(':', start);
    if (colon == std::string::npos) {
      return std::nullopt;
    }
    parts[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = arn.substr(start);
  return parts;
}

bool HasWildcard(const std::string& text) { return text.find_first_of("*?") != std::string::npos; }

}  // namespace

bool ArnLike(const std::string& pattern, const std::string& arn) {
  const auto want = ArnParts(pattern);
  const auto have = ArnParts(arn);
  if (!want || !have) {
    return pattern == "*";  // a bare "*" matches any value; other non-ARNs match nothing
  }
  for (size_t i = 0; i < 6; ++i) {
    if (!GlobMatch((*want)[i], (*have)[i])) {
      return false;
    }
  }
  return true;
}

std::string PrincipalArnOfCaller(const std::string& caller_arn) {
  const auto parts = ArnParts(caller_arn);
  const std::string prefix = "assumed-role/";
  if (!parts || (*parts)[2] != "sts" || (*parts)[5].rfind(prefix, 0) != 0) {
    return caller_arn;
  }
  const std::string rest = (*parts)[5].substr(prefix.size());
  const std::string role = rest.substr(0, rest.find('/'));
  return "arn:" + (*parts)[1] + ":iam::" + (*parts)[4] + ":role/" + role;
}

std::optional<std::string> ResponderExempting(const std::string& caller_arn,
                                              const std::string& role_arn,
                                              const std::vector<std::string>& responders) {
  const std::string principal = role_arn.empty() ? PrincipalArnOfCaller(caller_arn) : role_arn;
  for (const auto& entry : responders) {
    if (ArnLike(PrincipalArnOfCaller(entry), principal)) {
      return entry;
    }
  }
  if (!role_arn.empty() || principal == caller_arn) {
    return std::nullopt;
  }
  // The session ARN hides the role's path: accept a same-account role entry naming the role
  // exactly, whatever its path.
  const auto have = ArnParts(principal);
  const std::string role_name = principal.substr(principal.rfind('/') + 1);
  for (const auto& entry : responders) {
    const auto want = ArnParts(PrincipalArnOfCaller(entry));
    if (!want || HasWildcard(entry) || (*want)[2] != "iam" || (*want)[4] != (*have)[4] ||
        (*want)[5].rfind("role/", 0) != 0) {
      continue;
    }
    if ((*want)[5].substr((*want)[5].rfind('/') + 1) == role_name) {
      return entry;
    }
  }
  return std::nullopt;
}

nlohmann::json BucketDenyPolicy(const std::string& partition, const std::string& bucket,
                                const std::vector<std::string>& responders) {
  const std::string arn = "arn:" + partition + ":s3:::" + bucket;
  // A session ARN never is an aws:PrincipalArn: its role's ARN is.
  std::vector<std::string> principals;
  for (const auto& entry : responders) {
    const std::string principal = PrincipalArnOfCaller(entry);
    if (std::find(principals.begin(), principals.end(), principal) == principals.end()) {
      principals.push_back(principal);
    }
  }
  return {{"Version", "2012-10-17"},
          {"Statement",
           {{{"Sid", "CordonDenyAllButResponders"},
             {"Effect", "Deny"},
             {"Principal", "*"},
             {"Action", "s3:*"},
             {"Resource", {arn, arn + "/*"}},
             {"Condition", {{"ArnNotLike", {{"aws:PrincipalArn", principals}}}}}}}}};
}

std::string BucketLockoutRefusal(const planning::Plan& plan, const std::string& caller_arn,
                                 const std::vector<std::string>& responders,
                                 const aws::IamClient& iam) {
  std::string bucket;
  for (const auto& planned : plan.targets) {
    if (planned.target.kind == planning::TargetKind::kAwsS3Bucket) {
      bucket = planned.target.id;
      break;
    }
  }
  if (bucket.empty()) {
    return "";
  }
  const std::string principal = PrincipalArnOfCaller(caller_arn);
  if (principal == caller_arn) {
    if (ResponderExempting(caller_arn, "", responders)) {
      return "";
    }
    return "cordon runs as " + caller_arn +
           ", which no responder entry matches; the deny-all policy for bucket " + bucket +
           " would lock it out. Add it with --responder " + caller_arn +
           " (or to `responders` in the configuration). Nothing changed.";
  }
  // aws:PrincipalArn carries the role's path, which the session ARN hides: only the role's real
  // ARN from IAM can show that the policy will exempt cordon.
  const std::string role_name = principal.substr(principal.rfind('/') + 1);
  auto role = iam.GetRole(role_name);
  if (!role || role->arn.empty()) {
    return "cordon runs as " + caller_arn + " and cannot read its role " + role_name +
           " (IAM GetRole" + (role ? std::string() : ": " + role.error().Describe()) +
           ") to learn the ARN, path included, that the deny-all policy for bucket " + bucket +
           " must exempt; allow iam:GetRole on it, or contain the bucket as another principal. "
           "Nothing changed.";
  }
  if (ResponderExempting(caller_arn, role->arn, responders)) {
    return "";
  }
  return "cordon runs as " + caller_arn + " (aws:PrincipalArn " + role->arn +
         "), which no responder entry matches; the deny-all policy for bucket " + bucket +
         " would lock it out. Add it with --responder " + role->arn +
         " (or to `responders` in the configuration). Nothing changed.";
}

}  // namespace cordon::execution
