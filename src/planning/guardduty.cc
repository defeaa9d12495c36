#include "planning/guardduty.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "planning/attack.h"
#include "planning/finding_json.h"
#include "planning/target_ref.h"

namespace cordon::planning {
namespace {

using finding_json::Child;
using finding_json::Contained;
using finding_json::Field;
using finding_json::StringField;
using nlohmann::json;

constexpr const char* kShapes =
    "a GuardDuty finding: the API's {\"Findings\":[…]}, an EventBridge event "
    "{\"detail-type\":\"GuardDuty Finding\",\"detail\":{…}}, or one finding object with an Id "
    "and a Type";
constexpr std::string_view kCredentialExfiltration =
    "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration";

// Purposes (the part before ':') that have a playbook, per affected resource; space-separated.
constexpr std::string_view kInstancePurposes =
    " Backdoor Behavior CryptoCurrency DefenseEvasion Execution Impact Recon Trojan "
    "UnauthorizedAccess ";
constexpr std::string_view kAccessKeyPurposes =
    " CredentialAccess DefenseEvasion Discovery Exfiltration Impact InitialAccess PenTest "
    "Persistence Policy PrivilegeEscalation Recon Stealth UnauthorizedAccess ";
constexpr std::string_view kBucketPurposes =
    " Discovery Exfiltration Impact PenTest Policy UnauthorizedAccess ";
constexpr std::string_view kBucketActorPurposes =
    " Discovery Exfiltration Impact PenTest Stealth UnauthorizedAccess ";
constexpr std::string_view kFunctionPurposes =
    " Backdoor CryptoCurrency Trojan UnauthorizedAccess ";

bool OneOf(std::string_view word, std::string_view words) {
  return !word.empty() && words.find(" " + std::string(word) + " ") != std::string_view::npos;
}

// "Purpose:Resource/Family.Mechanism!Artifact" → {Purpose, Resource}; empty when not that shape.
std::pair<std::string_view, std::string_view> TypeParts(std::string_view type) {
  const size_t colon = type.find(':');
  const size_t slash = type.find('/');
  if (colon == std::string_view::npos || slash == std::string_view::npos || slash < colon) {
    return {};
  }
  return {type.substr(0, colon), type.substr(colon + 1, slash - colon - 1)};
}

// Service.AdditionalInfo.Sample is a boolean in some channels and the string "true" in others.
Result<bool> SampleFlag(const Field& additional_info) {
  Field field = Child(additional_info, "sample");
  if (field.value == nullptr) {
    return false;
  }
  if (field.value->is_boolean()) {
    return field.value->get<bool>();
  }
  if (field.value->is_string() && (*field.value == "true" || *field.value == "false")) {
    return *field.value == "true";
  }
  return finding_json::WrongType(field, R"(true, false, "true" or "false")");
}

Result<Contained> ContainInstance(const Field& resource, const Finding& finding) {
  auto details = finding_json::ObjectField(resource, "instanceDetails");
  if (!details) {
    return tl::unexpected(details.error());
  }
  const Field id_field = Child(*details, "instanceId");
  auto id = finding_json::IdField(id_field, TargetKind::kAwsEc2Instance);
  if (!id) {
    return tl::unexpected(id.error());
  }
  Contained contained;
  if (!*id) {
    contained.notes.push_back("names no instance (" + id_field.path +
                              " is absent); no instance planned");
    return contained;
  }
  contained.targets.push_back(
      {TargetKind::kAwsEc2Instance, **id, finding.account, finding.region, ""});
  return contained;
}

Result<finding_json::KeyHolder> KeyHolderOf(const Field& resource, const Finding& finding) {
  auto details = finding_json::ObjectField(resource, "accessKeyDetails");
  if (!details) {
    return tl::unexpected(details.error());
  }
  const Field key_field = Child(*details, "accessKeyId");
  auto key = finding_json::IdField(key_field, TargetKind::kAwsAccessKey);
  if (!key) {
    return tl::unexpected(key.error());
  }
  return finding_json::KeyHolder{*key,
                                 key_field.path,
                                 details->path,
                                 Child(*details, "userType"),
                                 Child(*details, "userName"),
                                 finding.account,
                                 "GuardDuty gives an assumed role's name as the user name",
                                 finding.type.starts_with(kCredentialExfiltration)};
}

Result<Contained> ContainPrincipal(const Field& resource, const Finding& finding) {
  auto holder = KeyHolderOf(resource, finding);
  if (!holder) {
    return tl::unexpected(holder.error());
  }
  return finding_json::ContainKeyHolder(*holder);
}

// For a type that does not contain the principal: who it was, so the responder can decide.
Result<Contained> NamePrincipal(const Field& resource, const Finding& finding) {
  auto holder = KeyHolderOf(resource, finding);
  if (!holder) {
    return tl::unexpected(holder.error());
  }
  auto name = StringField(holder->name);
  if (!name) {
    return tl::unexpected(name.error());
  }
  Contained contained;
  if (holder->key || *name) {
    contained.notes.push_back(
        "the finding names " + (holder->key ? "access key " + *holder->key : "principal") +
        (*name ? " of " + **name : "") + " as the actor; finding type " + finding.type +
        " does not contain it (usually an administrator's change): add it with --target if it "
        "should be");
  }
  return contained;
}

Result<Contained> ContainBuckets(const Field& resource, const Finding& finding) {
  auto list = finding_json::ListField(resource, "s3BucketDetails");
  if (!list) {
    return tl::unexpected(list.error());
  }
  Contained contained;
  if (list->value == nullptr || list->value->empty()) {
    contained.notes.push_back("names no bucket (" + list->path + " is absent or empty)");
    return contained;
  }
  for (size_t i = 0; i < list->value->size(); ++i) {
    const Field item = finding_json::Item(*list, i);
    if (!item.value->is_object()) {
      return finding_json::WrongType(item, "an object");
    }
    const Field name_field = Child(item, "name");
    const Field arn_field = Child(item, "arn");
    auto name = finding_json::IdField(name_field, TargetKind::kAwsS3Bucket);
    auto arn = StringField(arn_field);
    for (const Error* error : {name ? nullptr : &name.error(), arn ? nullptr : &arn.error()}) {
      if (error != nullptr) {
        return Fail(*error);
      }
    }
    std::optional<std::string> bucket = *name;
    if (*arn) {
      auto target = ParseTargetRef(**arn, {});
      if (!target || target->kind != TargetKind::kAwsS3Bucket) {
        return Fail(ErrorKind::kInvalidInput,
                    arn_field.path + ": " +
                        (target ? "expected " + ExpectedRefForms(TargetKind::kAwsS3Bucket)
                                : target.error().message));
      }
      if (bucket && *bucket != target->id) {
        return Fail(ErrorKind::kInvalidInput,
                    name_field.path + ": " + finding_json::Quoted(*bucket) + " is not the bucket " +
                        arn_field.path + " names (" + target->id + ")");
      }
      bucket = target->id;
    }
    if (!bucket) {
      contained.notes.push_back("names no bucket at " + item.path + " (" + name_field.path +
                                " is absent)");
      continue;
    }
    contained.targets.push_back(
        {TargetKind::kAwsS3Bucket, *bucket, finding.account, finding.region, ""});
  }
  return contained;
}

Result<Contained> ContainFunction(const Field& resource, const Finding& finding) {
  auto details = finding_json::ObjectField(resource, "lambdaDetails");
  if (!details) {
    return tl::unexpected(details.error());
  }
  const Field arn_field = Child(*details, "functionArn");
  const Field name_field = Child(*details, "functionName");
  auto arn = StringField(arn_field);
  auto name = finding_json::IdField(name_field, TargetKind::kAwsLambdaFunction);
  for (const Error* error : {arn ? nullptr : &arn.error(), name ? nullptr : &name.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  if (*arn) {
    auto contained = finding_json::ContainFunctionArn(arn_field.path, **arn);
    if (contained && *name && contained->targets[0].id != **name) {
      return Fail(ErrorKind::kInvalidInput, name_field.path + ": " + finding_json::Quoted(**name) +
                                                " is not the function " + arn_field.path +
                                                " names (" + contained->targets[0].id + ")");
    }
    return contained;
  }
  Contained contained;
  if (!*name) {
    contained.notes.push_back("names no function (" + arn_field.path + " and " + name_field.path +
                              " are absent); no function planned");
    return contained;
  }
  contained.targets.push_back(
      {TargetKind::kAwsLambdaFunction, **name, finding.account, finding.region, ""});
  return contained;
}

Result<Contained> ContainSubjects(const Field& resource, const Finding& finding) {
  const GuardDutySubjects subjects = GuardDutyTypeSubjects(finding.type);
  Contained contained;
  if (!subjects.Any()) {
    contained.notes.push_back("no playbook for finding type " + finding.type + "; nothing planned");
    return contained;
  }
  const bool s3 = TypeParts(finding.type).second == "S3";
  // The resource the type is about comes first, then the principal, then the instance it used.
  using Reader = Result<Contained> (*)(const Field&, const Finding&);
  const std::pair<bool, Reader> readers[] = {
      {subjects.buckets, ContainBuckets},     {subjects.function, ContainFunction},
      {subjects.principal, ContainPrincipal}, {s3 && !subjects.principal, NamePrincipal},
      {subjects.instance, ContainInstance},
  };
  for (const auto& [wanted, read] : readers) {
    if (!wanted) {
      continue;
    }
    auto part = read(resource, finding);
    if (!part) {
      return tl::unexpected(part.error());
    }
    contained.Add(std::move(*part));
  }
  if (s3 && !subjects.buckets) {
    contained.notes.push_back("finding type " + finding.type +
                              " does not contain the buckets it names; turn their server access "
                              "logging back on by hand");
  }
  return contained;
}

Result<Finding> ReadFinding(const Field& field, const FindingOptions& options) {
  if (!field.value->is_object()) {
    return finding_json::WrongType(field, "a finding object");
  }
  if (Child(field, "productArn").value != nullptr && Child(field, "type").value == nullptr) {
    return Fail(ErrorKind::kInvalidInput,
                (field.path.empty() ? "the document" : field.path) +
                    " is a Security Hub (ASFF) finding, not a GuardDuty one (read it with "
                    "planning/findings.h); expected " +
                    kShapes);
  }
  Finding finding;
  finding.format = "guardduty";
  finding.product = "aws/guardduty";
  auto id = finding_json::RequiredWord(Child(field, "id"), "the finding id (printable, no spaces)");
  auto type = finding_json::RequiredWord(Child(field, "type"),
                                         "a finding type like Recon:IAMUser/UserPermissions");
  const Field account = Child(field, "accountId");
  const Field region = Child(field, "region");
  auto account_text = StringField(account);
  auto region_text = StringField(region);
  auto title = StringField(Child(field, "title"));
  const Field severity = Child(field, "severity");
  auto service = finding_json::ObjectField(field, "service");
  for (const Error* error :
       {id ? nullptr : &id.error(), type ? nullptr : &type.error(),
        account_text ? nullptr : &account_text.error(),
        region_text ? nullptr : &region_text.error(), title ? nullptr : &title.error(),
        service ? nullptr : &service.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  finding.id = *id;
  finding.type = *type;
  finding.title = title->value_or("");
  finding.account = account_text->value_or("");
  finding.region = region_text->value_or("");
  if (account.value != nullptr && !IsAccountId(finding.account)) {
    return Fail(ErrorKind::kInvalidInput, account.path + ": expected a 12-digit account id, got " +
                                              finding_json::Quoted(finding.account));
  }
  if (region.value != nullptr && !IsRegion(finding.region)) {
    return Fail(ErrorKind::kInvalidInput, region.path + ": expected a region like us-east-1, got " +
                                              finding_json::Quoted(finding.region));
  }
  if (severity.value != nullptr) {
    if (!severity.value->is_number()) {
      return finding_json::WrongType(severity, "a number");
    }
    finding.severity = severity.value->get<double>();
  }

  auto archived = finding_json::BoolField(*service, "archived");
  if (!archived) {
    return tl::unexpected(archived.error());
  }
  auto additional_info = finding_json::ObjectField(*service, "additionalInfo");
  if (!additional_info) {
    return tl::unexpected(additional_info.error());
  }
  auto sample = SampleFlag(*additional_info);
  if (!sample) {
    return tl::unexpected(sample.error());
  }
  finding.archived = *archived;
  finding.sample = *sample;
  finding.techniques = GuardDutyTechniques(finding.type);

  if ((finding.sample || finding.archived) && !options.include_samples) {
    const std::string what = finding.sample ? "sample finding" : "archived finding";
    finding.notes.push_back("skipped: " + what +
                            (finding.sample && finding.archived ? ", archived" : "") +
                            "; pass --include-samples to contain it");
    return finding;
  }
  auto resource = finding_json::ObjectField(field, "resource");
  if (!resource) {
    return tl::unexpected(resource.error());
  }
  auto contained = ContainSubjects(*resource, finding);
  if (!contained) {
    return tl::unexpected(contained.error());
  }
  finding.targets = std::move(contained->targets);
  finding.notes = std::move(contained->notes);
  return finding;
}

// The findings of the document, each with its path: "Findings[2]", "detail" or "".
Result<std::vector<Field>> FindingFields(const json& document) {
  const Field root = finding_json::Root(document);
  if (!document.is_object()) {
    return Fail(ErrorKind::kInvalidInput,
                std::string("expected ") + kShapes + "; got " + finding_json::TypeName(document));
  }
  const Field list = Child(root, "findings");
  if (list.value != nullptr) {
    if (!list.value->is_array()) {
      return finding_json::WrongType(list, "a list of findings");
    }
    std::vector<Field> fields;
    for (size_t i = 0; i < list.value->size(); ++i) {
      fields.push_back(finding_json::Item(list, i));
    }
    return fields;
  }

  const Field detail_type = finding_json::ExactChild(root, "detail-type");
  const Field detail = finding_json::ExactChild(root, "detail");
  if (detail_type.value != nullptr || detail.value != nullptr) {
    if (detail_type.value == nullptr || *detail_type.value != "GuardDuty Finding") {
      return Fail(
          ErrorKind::kInvalidInput,
          detail_type.path + ": expected \"GuardDuty Finding\" in an EventBridge event, got " +
              (detail_type.value == nullptr     ? std::string("nothing")
               : detail_type.value->is_string() ? detail_type.value->dump()
                                                : finding_json::TypeName(*detail_type.value)));
    }
    if (detail.value == nullptr || !detail.value->is_object()) {
      return Fail(
          ErrorKind::kInvalidInput,
          detail.path + ": expected the finding object of the EventBridge event, got " +
              (detail.value == nullptr ? "nothing" : finding_json::TypeName(*detail.value)));
    }
    return std::vector<Field>{detail};
  }

  for (const char* key : {"type", "id", "schemaVersion", "resource", "service"}) {
    if (Child(root, key).value != nullptr) {
      return std::vector<Field>{root};
    }
  }
  return Fail(ErrorKind::kInvalidInput,
              std::string("expected ") + kShapes +
                  "; got an object with none of Findings, detail-type, Id or Type");
}

}  // namespace

GuardDutySubjects GuardDutyTypeSubjects(std::string_view type) {
  const auto [purpose, resource] = TypeParts(type);
  GuardDutySubjects subjects;
  if (resource == "EC2") {
    subjects.instance = OneOf(purpose, kInstancePurposes);
  } else if (resource == "IAMUser") {
    subjects.principal = OneOf(purpose, kAccessKeyPurposes);
    subjects.instance = subjects.principal && type.starts_with(kCredentialExfiltration);
  } else if (resource == "S3") {
    subjects.buckets = OneOf(purpose, kBucketPurposes);
    subjects.principal = OneOf(purpose, kBucketActorPurposes);
  } else if (resource == "Lambda") {
    subjects.function = OneOf(purpose, kFunctionPurposes);
  }
  return subjects;
}

Result<FindingSet> ParseGuardDutyFindings(std::string_view text, const FindingOptions& options) {
  auto document = finding_json::ParseJson(text, kShapes);
  if (!document) {
    return tl::unexpected(document.error());
  }
  auto fields = FindingFields(*document);
  if (!fields) {
    return tl::unexpected(fields.error());
  }

  std::vector<Finding> findings;
  for (const Field& field : *fields) {
    auto finding = ReadFinding(field, options);
    if (!finding) {
      return tl::unexpected(finding.error());
    }
    findings.push_back(std::move(*finding));
  }
  return finding_json::CollectOnce(std::move(findings));
}

}  // namespace cordon::planning
