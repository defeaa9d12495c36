#include "planning/securityhub_resources.h"

#include <algorithm>

#include "planning/guardduty.h"
#include "planning/target_ref.h"

namespace cordon::planning::securityhub_internal {
namespace {

using finding_json::Contained;
using finding_json::ExactChild;
using finding_json::Field;
using finding_json::Quoted;
using finding_json::StringField;

constexpr std::string_view kKeyIdPrefix = "AWS::IAM::AccessKey:";

// What one resource entry says about itself.
struct Resource {
  Field field;       // Resources[i]
  std::string type;  // e.g. "AwsEc2Instance"
  Field id_field;    // Resources[i].Id
  std::string id;
  Field region_field;  // Resources[i].Region
  std::string region;  // empty when not given
};

std::optional<TargetKind> KindOf(const std::string& type) {
  if (type == "AwsEc2Instance") {
    return TargetKind::kAwsEc2Instance;
  }
  if (type == "AwsIamAccessKey") {
    return TargetKind::kAwsAccessKey;
  }
  if (type == "AwsIamUser") {
    return TargetKind::kAwsIamUser;
  }
  if (type == "AwsIamRole") {
    return TargetKind::kAwsIamRole;
  }
  if (type == "AwsS3Bucket") {
    return TargetKind::kAwsS3Bucket;
  }
  if (type == "AwsLambdaFunction") {
    return TargetKind::kAwsLambdaFunction;
  }
  return std::nullopt;
}

// Whether a GuardDuty type with these subjects asks to contain a resource of `kind`.
bool Wanted(const GuardDutySubjects& subjects, TargetKind kind) {
  switch (kind) {
    case TargetKind::kAwsEc2Instance:
      return subjects.instance;
    case TargetKind::kAwsIamUser:
    case TargetKind::kAwsAccessKey:
    case TargetKind::kAwsIamRole:
      return subjects.principal;
    case TargetKind::kAwsS3Bucket:
      return subjects.buckets;
    case TargetKind::kAwsLambdaFunction:
      return subjects.function;
  }
  return false;
}

// The Id a resource of `kind` carries in ASFF.
std::string ExpectedId(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAwsEc2Instance:
      return "arn:aws:ec2:REGION:ACCOUNT:instance/i-… or the bare " +
             ExpectedIdForm(TargetKind::kAwsEc2Instance);
    case TargetKind::kAwsAccessKey:
      return std::string(kKeyIdPrefix) + ExpectedIdForm(TargetKind::kAwsAccessKey) +
             ", or the bare key id";
    case TargetKind::kAwsIamUser:
      return "arn:aws:iam::ACCOUNT:user/NAME (NAME: 1-64 of A-Z a-z 0-9 _+=,.@-, after an optional "
             "path)";
    case TargetKind::kAwsIamRole:
      return "arn:aws:iam::ACCOUNT:role/NAME (NAME: 1-64 of A-Z a-z 0-9 _+=,.@-, after an optional "
             "path)";
    case TargetKind::kAwsS3Bucket:
      return "arn:aws:s3:::" + ExpectedIdForm(TargetKind::kAwsS3Bucket);
    case TargetKind::kAwsLambdaFunction:
      return "arn:aws:lambda:REGION:ACCOUNT:function:" +
             ExpectedIdForm(TargetKind::kAwsLambdaFunction);
  }
  return "";
}

std::string Describe(const Resource& resource) {
  return resource.field.path + " (" + resource.type + " " + Quoted(resource.id) + ")";
}

// The ARN of the resource, as a target of `kind`, with what the finding adds to it.
Result<Target> TargetFromArn(const Resource& resource, TargetKind kind,
                             const AsffContext& context) {
  if (!resource.id.starts_with("arn:")) {
    return Fail(ErrorKind::kInvalidInput, resource.id_field.path + ": expected " +
                                              ExpectedId(kind) + " for a resource of type " +
                                              resource.type + ", got " + Quoted(resource.id));
  }
  auto target = ParseTargetRef(resource.id, {});
  if (!target) {
    return Fail(ErrorKind::kInvalidInput, resource.id_field.path + ": " + target.error().message);
  }
  if (target->kind != kind) {
    return Fail(ErrorKind::kInvalidInput, resource.id_field.path + ": expected " +
                                              ExpectedId(kind) + " for a resource of type " +
                                              resource.type + ", got the ARN of an " +
                                              TargetKindName(target->kind));
  }
  if (!target->region.empty() && !resource.region.empty() && target->region != resource.region) {
    return Fail(ErrorKind::kInvalidInput, resource.region_field.path + ": " +
                                              Quoted(resource.region) + " is not the region of " +
                                              resource.id_field.path + " (" + target->region + ")");
  }
  if (kind == TargetKind::kAwsS3Bucket) {
    // A bucket ARN carries neither: the bucket lives in the resource's region and account.
    target->region = resource.region.empty() ? context.region : resource.region;
    target->account = context.account;
  }
  return *target;
}

Result<Contained> ContainInstance(const Resource& resource, const AsffContext& context) {
  Contained contained;
  if (resource.id.starts_with("arn:")) {
    auto target = TargetFromArn(resource, TargetKind::kAwsEc2Instance, context);
    if (!target) {
      return tl::unexpected(target.error());
    }
    contained.targets.push_back(*target);
    return contained;
  }
  if (auto problem = TargetIdProblem(TargetKind::kAwsEc2Instance, resource.id)) {
    return Fail(ErrorKind::kInvalidInput, resource.id_field.path + ": expected " +
                                              ExpectedId(TargetKind::kAwsEc2Instance) + "; " +
                                              *problem);
  }
  contained.targets.push_back({TargetKind::kAwsEc2Instance, resource.id, context.account,
                               resource.region.empty() ? context.region : resource.region, ""});
  return contained;
}

bool IsRootArn(std::string_view id) {
  const size_t colon = id.rfind(':');
  return id.starts_with("arn:") && id.find(":iam::") != std::string_view::npos &&
         colon != std::string_view::npos && colon >= 12 && id.substr(colon) == ":root" &&
         IsAccountId(id.substr(colon - 12, 12));
}

Result<Contained> ContainPrincipal(const Resource& resource, TargetKind kind,
                                   const AsffContext& context) {
  Contained contained;
  if (kind == TargetKind::kAwsIamUser && IsRootArn(resource.id)) {
    contained.notes.push_back(Describe(resource) +
                              " is the account's root user; cordon does not contain the root "
                              "user: rotate its credentials and review its MFA by hand");
    return contained;
  }
  auto target = TargetFromArn(resource, kind, context);
  if (!target) {
    return tl::unexpected(target.error());
  }
  contained.targets.push_back(*target);
  return contained;
}

// The key id a resource Id carries: AWS::IAM::AccessKey:KEY or KEY itself.
Result<std::string> KeyIdOf(const Resource& resource) {
  std::string_view key = resource.id;
  if (key.starts_with(kKeyIdPrefix)) {
    key.remove_prefix(kKeyIdPrefix.size());
  } else if (!key.starts_with("AKIA") && !key.starts_with("ASIA")) {
    return Fail(ErrorKind::kInvalidInput, resource.id_field.path + ": expected " +
                                              ExpectedId(TargetKind::kAwsAccessKey) + ", got " +
                                              Quoted(resource.id));
  }
  if (auto problem = TargetIdProblem(TargetKind::kAwsAccessKey, key)) {
    return Fail(ErrorKind::kInvalidInput, resource.id_field.path + ": expected " +
                                              ExpectedId(TargetKind::kAwsAccessKey) + "; " +
                                              *problem);
  }
  return std::string(key);
}

Result<Contained> ContainAccessKey(const Resource& resource, const AsffContext& context) {
  auto details = finding_json::ObjectField(resource.field, "Details");
  if (!details) {
    return tl::unexpected(details.error());
  }
  auto key_details = finding_json::ObjectField(*details, "AwsIamAccessKey");
  if (!key_details) {
    return tl::unexpected(key_details.error());
  }
  const Field key_field = ExactChild(*key_details, "AccessKeyId");
  const Field account_field = ExactChild(*key_details, "AccountId");
  auto detail_key = finding_json::IdField(key_field, TargetKind::kAwsAccessKey);
  auto id_key = KeyIdOf(resource);
  auto account = StringField(account_field);
  for (const Error* error :
       {detail_key ? nullptr : &detail_key.error(), id_key ? nullptr : &id_key.error(),
        account ? nullptr : &account.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  if (*detail_key && **detail_key != *id_key) {
    return Fail(ErrorKind::kInvalidInput, key_field.path + ": " + Quoted(**detail_key) +
                                              " is not the key " + resource.id_field.path +
                                              " names (" + *id_key + ")");
  }
  if (*account && !IsAccountId(**account)) {
    return Fail(ErrorKind::kInvalidInput,
                account_field.path + ": expected a 12-digit account id, got " + Quoted(**account));
  }

  // PrincipalName replaced the older UserName, which some channels still send.
  Field name = ExactChild(*key_details, "PrincipalName");
  if (name.value == nullptr && ExactChild(*key_details, "UserName").value != nullptr) {
    name = ExactChild(*key_details, "UserName");
  }
  const std::string name_key = name.path.substr(name.path.rfind('.') + 1);
  return finding_json::ContainKeyHolder(
      {*id_key, key_field.path, key_details->path, ExactChild(*key_details, "PrincipalType"), name,
       account->value_or(context.account),
       "Security Hub gives an assumed role's name as " + name_key,
       context.guardduty_type.starts_with(
           "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration")});
}

Result<Contained> ContainFunction(const Resource& resource) {
  auto contained = finding_json::ContainFunctionArn(resource.id_field.path, resource.id);
  if (!contained) {
    return contained;
  }
  const Target& target = contained->targets[0];
  if (!resource.region.empty() && target.region != resource.region) {
    return Fail(ErrorKind::kInvalidInput, resource.region_field.path + ": " +
                                              Quoted(resource.region) + " is not the region of " +
                                              resource.id_field.path + " (" + target.region + ")");
  }
  return contained;
}

Result<Contained> ContainOne(const Resource& resource, TargetKind kind,
                             const AsffContext& context) {
  switch (kind) {
    case TargetKind::kAwsEc2Instance:
      return ContainInstance(resource, context);
    case TargetKind::kAwsAccessKey:
      return ContainAccessKey(resource, context);
    case TargetKind::kAwsIamUser:
    case TargetKind::kAwsIamRole:
      return ContainPrincipal(resource, kind, context);
    case TargetKind::kAwsS3Bucket: {
      auto target = TargetFromArn(resource, kind, context);
      if (!target) {
        return tl::unexpected(target.error());
      }
      return Contained{{*target}, {}};
    }
    case TargetKind::kAwsLambdaFunction:
      return ContainFunction(resource);
  }
  return Contained{};
}

Result<Resource> ReadResource(const Field& field) {
  if (!field.value->is_object()) {
    return finding_json::WrongType(field, "a resource object");
  }
  Resource resource{field, "", ExactChild(field, "Id"), "", ExactChild(field, "Region"), ""};
  auto type =
      finding_json::RequiredWord(ExactChild(field, "Type"), "a resource type like AwsEc2Instance");
  auto id = StringField(resource.id_field);
  auto region = StringField(resource.region_field);
  for (const Error* error : {type ? nullptr : &type.error(), id ? nullptr : &id.error(),
                             region ? nullptr : &region.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  if (!*id) {
    return Fail(ErrorKind::kInvalidInput,
                resource.id_field.path + ": missing; expected the resource's identifier");
  }
  if (*region && !IsRegion(**region)) {
    return Fail(
        ErrorKind::kInvalidInput,
        resource.region_field.path + ": expected a region like us-east-1, got " + Quoted(**region));
  }
  resource.type = *type;
  resource.id = **id;
  resource.region = region->value_or("");
  return resource;
}

}  // namespace

Result<Contained> ContainResources(const Field& finding, const AsffContext& context) {
  const Field list = ExactChild(finding, "Resources");
  if (list.value != nullptr && !list.value->is_array()) {
    return finding_json::WrongType(list, "a list of resources");
  }
  const bool from_guardduty = !context.guardduty_type.empty();
  const GuardDutySubjects subjects = GuardDutyTypeSubjects(context.guardduty_type);
  Contained contained;
  if (from_guardduty && !subjects.Any()) {
    contained.notes.push_back("no playbook for finding type " + context.guardduty_type +
                              "; nothing planned");
    return contained;
  }
  if (list.value == nullptr || list.value->empty()) {
    contained.notes.push_back("names no resources (" + list.path +
                              " is absent or empty); nothing planned");
    return contained;
  }

  for (size_t i = 0; i < list.value->size(); ++i) {
    auto resource = ReadResource(finding_json::Item(list, i));
    if (!resource) {
      return tl::unexpected(resource.error());
    }
    const auto kind = KindOf(resource->type);
    if (!kind) {
      contained.notes.push_back(Describe(*resource) +
                                ": cordon has no playbook for that resource type; nothing "
                                "planned for it");
      continue;
    }
    if (auto problem = finding_json::WordProblem(resource->id)) {
      return Fail(ErrorKind::kInvalidInput, resource->id_field.path + ": expected " +
                                                ExpectedId(*kind) + ", got " +
                                                Quoted(resource->id) + " (" + *problem + ")");
    }
    auto part = ContainOne(*resource, *kind, context);  // validated even when left out below
    if (!part) {
      return tl::unexpected(part.error());
    }
    if (from_guardduty && !Wanted(subjects, *kind)) {
      contained.notes.push_back(Describe(*resource) + " is not what finding type " +
                                context.guardduty_type +
                                " asks to contain; not planned (add it with --target if it "
                                "should be)");
      continue;
    }
    contained.Add(std::move(*part));
  }
  return contained;
}

}  // namespace cordon::planning::securityhub_internal
