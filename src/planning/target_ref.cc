#include "planning/target_ref.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace cordon::planning {
namespace {

constexpr std::array<TargetKind, 6> kAllKinds = {
    TargetKind::kAwsIamUser,     TargetKind::kAwsAccessKey, TargetKind::kAwsIamRole,
    TargetKind::kAwsEc2Instance, TargetKind::kAwsS3Bucket,  TargetKind::kAwsLambdaFunction,
};

constexpr size_t kMaxIamNameLength = 64;
constexpr size_t kMaxIamPathLength = 512;

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }
bool IsSpaceOrControl(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20 || byte == 0x7f;
}

bool AllOf(std::string_view text, bool (*pred)(char)) {
  return std::all_of(text.begin(), text.end(), pred);
}
bool AnyOf(std::string_view text, bool (*pred)(char)) {
  return std::any_of(text.begin(), text.end(), pred);
}

// The text with control characters escaped, so a message shows exactly what was given.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Quoted(std::string_view text) { return "\"" + Printable(text) + "\""; }

std::string Length(std::string_view text) {
  return Quoted(text) + " is " + std::to_string(text.size()) + " characters long";
}

bool IsIamNameChar(char c) {
  return IsLower(c) || IsUpper(c) || IsDigit(c) ||
         std::string_view("_+=,.@-").find(c) != std::string_view::npos;
}
bool IsKeyChar(char c) { return IsUpper(c) || IsDigit(c); }
bool IsFunctionChar(char c) {
  return IsLower(c) || IsUpper(c) || IsDigit(c) || c == '-' || c == '_';
}
bool IsBucketChar(char c) { return IsLower(c) || IsDigit(c) || c == '.' || c == '-'; }

std::optional<std::string> IamNameProblem(std::string_view id) {
  if (id.size() > kMaxIamNameLength) {
    return Length(id) + " (at most 64)";
  }
  if (!AllOf(id, IsIamNameChar)) {
    return Quoted(id) + " has characters other than A-Z a-z 0-9 _+=,.@-";
  }
  return std::nullopt;
}

std::optional<std::string> AccessKeyProblem(std::string_view id) {
  if (!id.starts_with("AKIA") && !id.starts_with("ASIA")) {
    return Quoted(id) + " does not start with AKIA or ASIA";
  }
  if (AnyOf(id, IsLower)) {
    return Quoted(id) + " has lower-case letters";
  }
  if (!AllOf(id, IsKeyChar)) {
    return Quoted(id) + " has characters other than upper-case letters and digits";
  }
  if (id.size() < 16 || id.size() > 128) {
    return Length(id) + " (16-128)";
  }
  return std::nullopt;
}

std::optional<std::string> InstanceProblem(std::string_view id) {
  if (id.starts_with("I-") || AnyOf(id, IsUpper)) {
    return Quoted(id) + " has upper-case letters";
  }
  if (!id.starts_with("i-")) {
    return Quoted(id) + " does not start with i-";
  }
  const std::string_view digits = id.substr(2);
  if (!AllOf(digits, IsLowerHex)) {
    return Quoted(id) + " has characters other than hex digits after i-";
  }
  if (digits.size() != 8 && digits.size() != 17) {
    return Quoted(id) + " has " + std::to_string(digits.size()) + " hex digits after i-";
  }
  return std::nullopt;
}

bool LooksLikeIpAddress(std::string_view name) {
  int groups = 0;
  size_t start = 0;
  while (start <= name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    const std::string_view group = name.substr(start, dot - start);
    if (group.empty() || !AllOf(group, IsDigit)) {
      return false;
    }
    ++groups;
    start = dot + 1;
  }
  return groups == 4;
}

// The S3 general purpose bucket naming rules.
std::optional<std::string> BucketProblem(std::string_view id) {
  if (AnyOf(id, IsUpper)) {
    return Quoted(id) + " has upper-case letters";
  }
  if (!AllOf(id, IsBucketChar)) {
    return Quoted(id) + " has characters other than a-z 0-9 . -";
  }
  if (id.size() < 3 || id.size() > 63) {
    return Length(id) + " (3-63)";
  }
  if (id.front() == '.' || id.front() == '-' || id.back() == '.' || id.back() == '-') {
    return Quoted(id) + " does not start and end with a letter or digit";
  }
  if (id.find("..") != std::string_view::npos) {
    return Quoted(id) + " has two adjacent dots";
  }
  if (LooksLikeIpAddress(id)) {
    return Quoted(id) + " is formatted as an IP address";
  }
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (id.starts_with(prefix)) {
      return Quoted(id) + " starts with the reserved prefix " + std::string(prefix);
    }
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (id.ends_with(suffix)) {
      return Quoted(id) + " ends with the reserved suffix " + std::string(suffix);
    }
  }
  return std::nullopt;
}

std::optional<std::string> FunctionProblem(std::string_view id) {
  if (id.size() > 64) {
    return Length(id) + " (at most 64)";
  }
  if (!AllOf(id, IsFunctionChar)) {
    return Quoted(id) + " has characters other than A-Z a-z 0-9 - _";
  }
  return std::nullopt;
}

Result<Target> Reject(std::string_view ref, const std::string& forms, const std::string& why) {
  return Fail(ErrorKind::kInvalidInput, Printable(ref) + ": expected " + forms + "; " + why);
}

Result<Target> RejectKind(std::string_view ref, const std::string& why) {
  return Fail(ErrorKind::kInvalidInput,
              Printable(ref) + ": " + why + "; expected one of: " + AllRefForms() +
                  " (Azure and Google Cloud references are not supported yet)");
}

Result<Target> MakeTarget(std::string_view ref, TargetKind kind, std::string_view id,
                          std::string account, std::string region) {
  if (auto problem = TargetIdProblem(kind, id)) {
    return Reject(ref, ExpectedRefForms(kind), *problem);
  }
  return Target{kind, std::string(id), std::move(account), std::move(region), ""};
}

// "path/to/NAME" after "user/" or "role/": checks the path, returns NAME.
Result<std::string_view> IamPathName(std::string_view ref, TargetKind kind, std::string_view rest) {
  const size_t slash = rest.rfind('/');
  if (slash == std::string_view::npos) {
    return rest;
  }
  const std::string_view path = rest.substr(0, slash);
  if (path.size() + 2 > kMaxIamPathLength) {
    return tl::unexpected(
        Reject(ref, ExpectedRefForms(kind), "the path is longer than 512 characters").error());
  }
  size_t start = 0;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    const bool printable = std::all_of(segment.begin(), segment.end(), [](char c) {
      return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    if (segment.empty() || !printable) {
      return tl::unexpected(
          Reject(ref, ExpectedRefForms(kind), "path " + Quoted(path) + " is not well-formed")
              .error());
    }
    start = end + 1;
  }
  return rest.substr(slash + 1);
}

bool RegionInPartition(std::string_view region, std::string_view partition) {
  const bool china = region.starts_with("cn-");
  const bool gov = region.starts_with("us-gov-");
  const bool iso = region.find("-iso") != std::string_view::npos;
  if (partition == "aws-cn") {
    return china;
  }
  if (partition == "aws-us-gov") {
    return gov;
  }
  return !china && !gov && !iso;
}

Result<Target> ParseArn(std::string_view ref) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (fields.size() < 5) {
    const size_t colon = ref.find(':', start);
    if (colon == std::string_view::npos) {
      return RejectKind(ref, "an ARN has six colon-separated fields");
    }
    fields.push_back(ref.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string_view partition = fields[1];
  const std::string_view service = fields[2];
  const std::string_view region = fields[3];
  const std::string_view account = fields[4];
  const std::string_view resource = ref.substr(start);

  TargetKind kind = TargetKind::kAwsIamUser;
  std::string_view id;
  if (service == "iam") {
    kind = resource.starts_with("role/") ? TargetKind::kAwsIamRole : TargetKind::kAwsIamUser;
    if (!resource.starts_with("user/") && !resource.starts_with("role/")) {
      return Reject(ref,
                    ExpectedRefForms(TargetKind::kAwsIamUser) + " or " +
                        ExpectedRefForms(TargetKind::kAwsIamRole),
                    "the resource " + Quoted(resource) + " is not user/NAME or role/NAME");
    }
  } else if (service == "ec2") {
    kind = TargetKind::kAwsEc2Instance;
    if (!resource.starts_with("instance/")) {
      return Reject(ref, ExpectedRefForms(kind),
                    "the resource " + Quoted(resource) + " is not instance/i-…");
    }
    id = resource.substr(9);
  } else if (service == "s3") {
    kind = TargetKind::kAwsS3Bucket;
    if (resource.find('/') != std::string_view::npos) {
      return Reject(ref, ExpectedRefForms(kind), "an object ARN names no bucket to contain");
    }
    id = resource;
  } else if (service == "lambda") {
    kind = TargetKind::kAwsLambdaFunction;
    if (!resource.starts_with("function:")) {
      return Reject(ref, ExpectedRefForms(kind),
                    "the resource " + Quoted(resource) + " is not function:NAME");
    }
    id = resource.substr(9);
    if (const size_t colon = id.find(':'); colon != std::string_view::npos) {
      return Reject(ref, ExpectedRefForms(kind),
                    "the qualifier " + Quoted(id.substr(colon)) +
                        " is not accepted: cordon contains the whole function");
    }
  } else {
    return RejectKind(ref, "cordon has no playbook for service " + Quoted(service));
  }
  const std::string forms = ExpectedRefForms(kind);

  if (partition != "aws" && partition != "aws-cn" && partition != "aws-us-gov") {
    return Reject(ref, forms,
                  "partition " + Quoted(partition) + " is not aws, aws-cn or aws-us-gov");
  }
  const bool global = kind == TargetKind::kAwsIamUser || kind == TargetKind::kAwsIamRole ||
                      kind == TargetKind::kAwsS3Bucket;
  if (global && !region.empty()) {
    return Reject(ref, forms, std::string(service) + " ARNs have an empty region field");
  }
  if (!global && !IsRegion(region)) {
    return Reject(ref, forms, "region " + Quoted(region) + " is not a region like us-east-1");
  }
  if (!global && !RegionInPartition(region, partition)) {
    return Reject(ref, forms,
                  "region " + Quoted(region) + " is not in partition " + std::string(partition));
  }
  if (kind == TargetKind::kAwsS3Bucket && !account.empty()) {
    return Reject(ref, forms, "s3 bucket ARNs have an empty account field");
  }
  if (kind != TargetKind::kAwsS3Bucket && !IsAccountId(account)) {
    return Reject(ref, forms, "account " + Quoted(account) + " is not a 12-digit account id");
  }
  if (kind == TargetKind::kAwsIamUser || kind == TargetKind::kAwsIamRole) {
    auto name = IamPathName(ref, kind, resource.substr(5));
    if (!name) {
      return tl::unexpected(name.error());
    }
    id = *name;
  }
  return MakeTarget(ref, kind, id, std::string(account), std::string(region));
}

Result<Target> ParseShortForm(std::string_view ref, TargetKind kind, std::string_view id,
                              const RefDefaults& defaults) {
  const std::string forms = ExpectedRefForms(kind);
  if (!defaults.account.empty() && !IsAccountId(defaults.account)) {
    return Reject(
        ref, forms,
        "the default account " + Quoted(defaults.account) + " is not a 12-digit account id");
  }
  const bool regional =
      kind == TargetKind::kAwsEc2Instance || kind == TargetKind::kAwsLambdaFunction;
  if (regional && !defaults.region.empty() && !IsRegion(defaults.region)) {
    return Reject(
        ref, forms,
        "the default region " + Quoted(defaults.region) + " is not a region like us-east-1");
  }
  // IAM is global, and a bucket's region is its own, not the default one: leave it unknown.
  return MakeTarget(ref, kind, id, defaults.account, regional ? defaults.region : "");
}

}  // namespace

std::optional<std::string> TargetIdProblem(TargetKind kind, std::string_view id) {
  if (id.empty()) {
    return std::string("the id is empty");
  }
  if (AnyOf(id, IsSpaceOrControl)) {
    return Quoted(id) + " contains white space or control characters";
  }
  switch (kind) {
    case TargetKind::kAwsIamUser:
    case TargetKind::kAwsIamRole:
      return IamNameProblem(id);
    case TargetKind::kAwsAccessKey:
      return AccessKeyProblem(id);
    case TargetKind::kAwsEc2Instance:
      return InstanceProblem(id);
    case TargetKind::kAwsS3Bucket:
      return BucketProblem(id);
    case TargetKind::kAwsLambdaFunction:
      return FunctionProblem(id);
  }
  return std::string("unknown kind of target");
}

std::string ExpectedIdForm(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAwsIamUser:
    case TargetKind::kAwsIamRole:
      return "NAME (1-64 of A-Z a-z 0-9 _+=,.@-)";
    case TargetKind::kAwsAccessKey:
      return "AKIA… or ASIA… (16-128 upper-case letters and digits)";
    case TargetKind::kAwsEc2Instance:
      return "i-<8 or 17 lower-case hex digits>";
    case TargetKind::kAwsS3Bucket:
      return "BUCKET (3-63 of a-z 0-9 . -, starting and ending with a letter or digit)";
    case TargetKind::kAwsLambdaFunction:
      return "NAME (1-64 of A-Z a-z 0-9 - _)";
  }
  return "";
}

std::string ExpectedRefForms(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAwsIamUser:
      return "aws:iam-user:NAME or arn:aws:iam::ACCOUNT:user/NAME (NAME: 1-64 of A-Z a-z 0-9 "
             "_+=,.@-; the ARN may carry a path)";
    case TargetKind::kAwsAccessKey:
      return "aws:access-key:AKIA… or aws:access-key:ASIA… (16-128 upper-case letters and "
             "digits)";
    case TargetKind::kAwsIamRole:
      return "aws:iam-role:NAME or arn:aws:iam::ACCOUNT:role/NAME (NAME: 1-64 of A-Z a-z 0-9 "
             "_+=,.@-; the ARN may carry a path)";
    case TargetKind::kAwsEc2Instance:
      return "aws:ec2-instance:i-<8 or 17 lower-case hex digits> or "
             "arn:aws:ec2:REGION:ACCOUNT:instance/i-…";
    case TargetKind::kAwsS3Bucket:
      return "aws:s3-bucket:BUCKET or arn:aws:s3:::BUCKET (BUCKET: 3-63 of a-z 0-9 . -)";
    case TargetKind::kAwsLambdaFunction:
      return "aws:lambda-function:NAME or arn:aws:lambda:REGION:ACCOUNT:function:NAME (NAME: "
             "1-64 of A-Z a-z 0-9 - _, no version or alias)";
  }
  return "";
}

std::string AllRefForms() {
  std::string out;
  for (TargetKind kind : kAllKinds) {
    out += (out.empty() ? "" : "; ") + ExpectedRefForms(kind);
  }
  return out;
}

bool IsAccountId(std::string_view text) { return text.size() == 12 && AllOf(text, IsDigit); }

bool IsRegion(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t dash = std::min(text.find('-', start), text.size());
    parts.push_back(text.substr(start, dash - start));
    start = dash + 1;
  }
  if (parts.size() != 3 && parts.size() != 4) {
    return false;
  }
  const std::string_view area = parts[0];
  const std::string_view direction = parts[parts.size() - 2];
  const std::string_view number = parts.back();
  if (area.size() != 2 || !AllOf(area, IsLower)) {
    return false;
  }
  if (parts.size() == 4) {
    const std::string_view scope = parts[1];
    if (scope != "gov" && scope != "iso" && scope != "isob" && scope != "isoe" && scope != "isof") {
      return false;
    }
  }
  const bool direction_ok =
      !direction.empty() && direction.size() <= 16 && AllOf(direction, IsLower);
  const bool number_ok =
      !number.empty() && number.size() <= 2 && AllOf(number, IsDigit) && number.front() != '0';
  return direction_ok && number_ok;
}

Result<Target> ParseTargetRef(const std::string& ref, const RefDefaults& defaults) {
  if (ref.empty()) {
    return RejectKind(ref, "empty target reference");
  }
  if (AnyOf(ref, IsSpaceOrControl)) {
    // Name the kind's forms when the rest of the reference shows which kind was meant.
    std::string_view trimmed = ref;
    while (!trimmed.empty() && IsSpaceOrControl(trimmed.front())) {
      trimmed.remove_prefix(1);
    }
    for (TargetKind kind : kAllKinds) {
      if (trimmed.starts_with(std::string(TargetKindName(kind)) + ":")) {
        return Reject(ref, ExpectedRefForms(kind),
                      Quoted(ref) + " contains white space or control characters");
      }
    }
    return RejectKind(ref, Quoted(ref) + " contains white space or control characters");
  }
  if (ref.starts_with("arn:")) {
    return ParseArn(ref);
  }
  const size_t colon = ref.starts_with("aws:") ? ref.find(':', 4) : std::string::npos;
  if (colon == std::string::npos) {
    return RejectKind(ref, "unknown kind of target");
  }
  const auto kind = TargetKindFromName(ref.substr(0, colon));
  if (!kind) {
    return RejectKind(ref, "unknown kind of target " + Quoted(ref.substr(0, colon)));
  }
  return ParseShortForm(ref, *kind, std::string_view(ref).substr(colon + 1), defaults);
}

}  // namespace cordon::planning
