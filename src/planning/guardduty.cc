#include "planning/guardduty.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "planning/attack.h"
#include "planning/target_ref.h"

namespace cordon::planning {
namespace {

using nlohmann::json;

constexpr const char* kShapes =
    "a GuardDuty finding: the API's {\"Findings\":[…]}, an EventBridge event "
    "{\"detail-type\":\"GuardDuty Finding\",\"detail\":{…}}, or one finding object with an Id "
    "and a Type";
constexpr std::string_view kCredentialExfiltration =
    "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration";

// Purposes (the part before ':') whose EC2 and IAMUser findings have a playbook, space-separated.
constexpr std::string_view kInstancePurposes =
    " Backdoor Behavior CryptoCurrency DefenseEvasion Execution Impact Recon Trojan "
    "UnauthorizedAccess ";
constexpr std::string_view kAccessKeyPurposes =
    " CredentialAccess DefenseEvasion Discovery Exfiltration Impact InitialAccess PenTest "
    "Persistence Policy PrivilegeEscalation Recon Stealth UnauthorizedAccess ";

// A JSON value with its path in the document. `value` is null when the field is absent or JSON
// null (every nested block is optional). `pascal` is the document's spelling at this level, so
// an absent field is named as the document would spell it.
struct Field {
  const json* value = nullptr;
  std::string path;
  bool pascal = false;
};

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool SpelledPascal(const json& object) {
  if (!object.is_object()) {
    return false;
  }
  return std::any_of(object.items().begin(), object.items().end(), [](const auto& item) {
    return !item.key().empty() && IsUpper(item.key()[0]);
  });
}

std::string Join(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// Looks `key` (camelCase) up as spelled or with its first letter upper-cased.
Field Child(const Field& parent, std::string_view key) {
  std::string pascal_key(key);
  pascal_key[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(pascal_key[0])));
  if (parent.value != nullptr && parent.value->is_object()) {
    for (const std::string& name : {std::string(key), pascal_key}) {
      auto it = parent.value->find(name);
      if (it != parent.value->end()) {
        return {it->is_null() ? nullptr : &*it, Join(parent.path, name), IsUpper(name[0])};
      }
    }
  }
  return {nullptr, Join(parent.path, parent.pascal ? pascal_key : std::string(key)), parent.pascal};
}

const char* TypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "a list";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "true or false";
    case json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

tl::unexpected<Error> WrongType(const Field& field, const std::string& expected) {
  return Fail(ErrorKind::kInvalidInput,
              field.path + ": expected " + expected + ", got " + TypeName(*field.value));
}

Result<Field> ObjectField(const Field& parent, std::string_view key) {
  Field field = Child(parent, key);
  if (field.value != nullptr && !field.value->is_object()) {
    return WrongType(field, "an object");
  }
  return field;
}

Result<std::optional<std::string>> StringField(const Field& field) {
  if (field.value == nullptr) {
    return std::nullopt;
  }
  if (!field.value->is_string()) {
    return WrongType(field, "a string");
  }
  return field.value->get<std::string>();
}

Result<bool> BoolField(const Field& parent, std::string_view key) {
  Field field = Child(parent, key);
  if (field.value == nullptr) {
    return false;
  }
  if (!field.value->is_boolean()) {
    return WrongType(field, "true or false");
  }
  return field.value->get<bool>();
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
  return WrongType(field, R"(true, false, "true" or "false")");
}

bool IsPrintableWord(std::string_view text) {
  return !text.empty() && text.size() <= 512 && std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
}

// A required string of printable characters without spaces (the finding's Id and Type).
Result<std::string> RequiredWord(const Field& parent, std::string_view key,
                                 const std::string& expected) {
  Field field = Child(parent, key);
  auto text = StringField(field);
  if (!text) {
    return tl::unexpected(text.error());
  }
  if (!*text) {
    return Fail(ErrorKind::kInvalidInput, field.path + ": missing; expected " + expected);
  }
  if (!IsPrintableWord(**text)) {
    return Fail(ErrorKind::kInvalidInput,
                field.path + ": expected " + expected + ", got " + json(**text).dump());
  }
  return **text;
}

// The id of `kind` at parent.key, validated; nullopt when absent.
Result<std::optional<std::string>> IdField(const Field& parent, std::string_view key,
                                           TargetKind kind) {
  Field field = Child(parent, key);
  auto id = StringField(field);
  if (!id || !*id) {
    return id;
  }
  if (auto problem = TargetIdProblem(kind, **id)) {
    return Fail(ErrorKind::kInvalidInput,
                field.path + ": expected " + ExpectedIdForm(kind) + "; " + *problem);
  }
  return id;
}

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

Status AddInstance(const Field& resource, Finding& finding) {
  auto details = ObjectField(resource, "instanceDetails");
  if (!details) {
    return tl::unexpected(details.error());
  }
  auto id = IdField(*details, "instanceId", TargetKind::kAwsEc2Instance);
  if (!id) {
    return tl::unexpected(id.error());
  }
  if (!*id) {
    finding.notes.push_back("names no instance (" + Child(*details, "instanceId").path +
                            " is absent); no instance planned");
    return {};
  }
  finding.targets.push_back(
      {TargetKind::kAwsEc2Instance, **id, finding.account, finding.region, ""});
  return {};
}

Status AddKeyHolder(const Field& resource, Finding& finding) {
  auto details = ObjectField(resource, "accessKeyDetails");
  if (!details) {
    return tl::unexpected(details.error());
  }
  auto key = IdField(*details, "accessKeyId", TargetKind::kAwsAccessKey);
  auto user_type = StringField(Child(*details, "userType"));
  for (const Error* error :
       {key ? nullptr : &key.error(), user_type ? nullptr : &user_type.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  const std::string key_text = *key ? "access key " + **key : "the access key";
  std::string type = user_type->value_or("");
  if (type.empty() && finding.type.starts_with(kCredentialExfiltration)) {
    type = "AssumedRole";  // instance credentials are always a role's session
  }

  if (type == "IAMUser") {
    auto user = IdField(*details, "userName", TargetKind::kAwsIamUser);
    if (!user) {
      return tl::unexpected(user.error());
    }
    if (*key) {
      finding.targets.push_back(
          {TargetKind::kAwsAccessKey, **key, finding.account, "", user->value_or("")});
      if (key->value().starts_with("ASIA")) {
        finding.notes.push_back(key_text + " is temporary (a session of IAM user " +
                                user->value_or("unknown") +
                                "); it cannot be deactivated itself, and the user's deny-all "
                                "policy stops it");
      }
    } else if (*user) {
      finding.targets.push_back({TargetKind::kAwsIamUser, **user, finding.account, "", ""});
      finding.notes.push_back("names no access key (" + Child(*details, "accessKeyId").path +
                              " is absent); containing IAM user " + **user);
    } else {
      finding.notes.push_back("names neither an access key nor a user (" + details->path +
                              "); nothing planned for the key");
    }
    return {};
  }
  if (type == "AssumedRole") {
    auto role = IdField(*details, "userName", TargetKind::kAwsIamRole);
    if (!role) {
      return tl::unexpected(role.error());
    }
    if (!*role) {
      finding.notes.push_back(key_text + " is a role session, but " +
                              Child(*details, "userName").path +
                              " (the role name) is absent; nothing planned for the role");
      return {};
    }
    finding.targets.push_back({TargetKind::kAwsIamRole, **role, finding.account, "", ""});
    finding.notes.push_back(key_text + " is a session of IAM role " + **role +
                            " (GuardDuty gives an assumed role's name as the user name), so the "
                            "role is contained: its sessions issued before containment are "
                            "denied");
    return {};
  }
  if (type == "Root") {
    finding.notes.push_back(key_text +
                            " belongs to the account's root user; cordon does not contain the "
                            "root user: rotate its credentials and review its MFA by hand");
    return {};
  }
  if (type.empty()) {
    finding.notes.push_back("names no principal type (" + Child(*details, "userType").path +
                            " is absent); nothing planned for the key");
    return {};
  }
  finding.notes.push_back(key_text + " belongs to a principal of type " + type +
                          "; cordon has no playbook for it, nothing planned for the key");
  return {};
}

Status AddTargets(const Field& resource, Finding& finding) {
  const auto [purpose, resource_type] = TypeParts(finding.type);
  if (resource_type == "EC2" && OneOf(purpose, kInstancePurposes)) {
    return AddInstance(resource, finding);
  }
  if (resource_type == "IAMUser" && OneOf(purpose, kAccessKeyPurposes)) {
    if (auto added = AddKeyHolder(resource, finding); !added) {
      return added;
    }
    if (finding.type.starts_with(kCredentialExfiltration)) {
      return AddInstance(resource, finding);
    }
    return {};
  }
  finding.notes.push_back("no playbook for finding type " + finding.type + "; nothing planned");
  return {};
}

Result<Finding> ReadFinding(const Field& field, const FindingOptions& options) {
  if (!field.value->is_object()) {
    return WrongType(field, "a finding object");
  }
  if (Child(field, "productArn").value != nullptr && Child(field, "type").value == nullptr) {
    return Fail(ErrorKind::kInvalidInput,
                (field.path.empty() ? "the document" : field.path) +
                    " is a Security Hub (ASFF) finding, which this version does not read; "
                    "expected " +
                    kShapes);
  }
  Finding finding;
  auto id = RequiredWord(field, "id", "the finding id (printable, no spaces)");
  auto type = RequiredWord(field, "type", "a finding type like Recon:IAMUser/UserPermissions");
  const Field account = Child(field, "accountId");
  const Field region = Child(field, "region");
  auto account_text = StringField(account);
  auto region_text = StringField(region);
  const Field severity = Child(field, "severity");
  auto service = ObjectField(field, "service");
  for (const Error* error :
       {id ? nullptr : &id.error(), type ? nullptr : &type.error(),
        account_text ? nullptr : &account_text.error(),
        region_text ? nullptr : &region_text.error(), service ? nullptr : &service.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  finding.id = *id;
  finding.type = *type;
  finding.account = account_text->value_or("");
  finding.region = region_text->value_or("");
  if (account.value != nullptr && !IsAccountId(finding.account)) {
    return Fail(ErrorKind::kInvalidInput, account.path + ": expected a 12-digit account id, got " +
                                              json(finding.account).dump());
  }
  if (region.value != nullptr && !IsRegion(finding.region)) {
    return Fail(ErrorKind::kInvalidInput, region.path + ": expected a region like us-east-1, got " +
                                              json(finding.region).dump());
  }
  if (severity.value != nullptr) {
    if (!severity.value->is_number()) {
      return WrongType(severity, "a number");
    }
    finding.severity = severity.value->get<double>();
  }

  auto archived = BoolField(*service, "archived");
  if (!archived) {
    return tl::unexpected(archived.error());
  }
  auto additional_info = ObjectField(*service, "additionalInfo");
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
  auto resource = ObjectField(field, "resource");
  if (!resource) {
    return tl::unexpected(resource.error());
  }
  if (auto added = AddTargets(*resource, finding); !added) {
    return tl::unexpected(added.error());
  }
  return finding;
}

Result<json> ParseJson(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& error) {
    // Name the position only: the library's own message quotes the input. Its `byte` counts
    // from 1 and points at the offending character.
    const bool ends_early =
        std::string_view(error.what()).find("end of input") != std::string_view::npos;
    const size_t offset =
        ends_early ? text.size() : std::min(text.size(), error.byte == 0 ? 0 : error.byte - 1);
    const std::string_view before = text.substr(0, offset);
    const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    const size_t line_start = before.rfind('\n');
    const size_t column =
        before.size() - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
    return Fail(ErrorKind::kInvalidInput,
                std::string("not valid JSON (") +
                    (ends_early ? "the text ends early" : "syntax error") + " at byte offset " +
                    std::to_string(offset) + ", line " + std::to_string(line) + " column " +
                    std::to_string(column) + "); expected " + kShapes);
  } catch (const json::exception& error) {
    return Fail(ErrorKind::kInvalidInput,
                std::string("not valid JSON (") +
                    (error.id == 406 ? "a number out of range" : "unreadable") + "); expected " +
                    kShapes);
  }
}

// The findings of the document, each with its path: "Findings[2]", "detail" or "".
Result<std::vector<Field>> FindingFields(const json& document) {
  const Field root{&document, "", SpelledPascal(document)};
  if (!document.is_object()) {
    return Fail(ErrorKind::kInvalidInput,
                std::string("expected ") + kShapes + "; got " + TypeName(document));
  }
  const Field list = Child(root, "findings");
  if (list.value != nullptr) {
    if (!list.value->is_array()) {
      return WrongType(list, "a list of findings");
    }
    std::vector<Field> fields;
    for (size_t i = 0; i < list.value->size(); ++i) {
      const json& item = (*list.value)[i];
      fields.push_back({&item, list.path + "[" + std::to_string(i) + "]", SpelledPascal(item)});
    }
    return fields;
  }

  const Field detail_type = Child(root, "detail-type");
  const Field detail = Child(root, "detail");
  if (detail_type.value != nullptr || detail.value != nullptr) {
    if (detail_type.value == nullptr || *detail_type.value != "GuardDuty Finding") {
      return Fail(
          ErrorKind::kInvalidInput,
          detail_type.path + ": expected \"GuardDuty Finding\" in an EventBridge event, got " +
              (detail_type.value == nullptr     ? std::string("nothing")
               : detail_type.value->is_string() ? detail_type.value->dump()
                                                : std::string(TypeName(*detail_type.value))));
    }
    if (detail.value == nullptr || !detail.value->is_object()) {
      return Fail(ErrorKind::kInvalidInput,
                  detail.path + ": expected the finding object of the EventBridge event, got " +
                      (detail.value == nullptr ? "nothing" : TypeName(*detail.value)));
    }
    return std::vector<Field>{{detail.value, detail.path, SpelledPascal(*detail.value)}};
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

Result<FindingSet> ParseGuardDutyFindings(std::string_view text, const FindingOptions& options) {
  auto document = ParseJson(text);
  if (!document) {
    return tl::unexpected(document.error());
  }
  auto fields = FindingFields(*document);
  if (!fields) {
    return tl::unexpected(fields.error());
  }

  FindingSet set;
  std::map<std::string, std::pair<size_t, int>> seen;  // id → (index in set, times sent)
  for (const Field& field : *fields) {
    auto finding = ReadFinding(field, options);
    if (!finding) {
      return tl::unexpected(finding.error());
    }
    auto [it, fresh] = seen.try_emplace(finding->id, set.findings.size(), 0);
    ++it->second.second;
    if (fresh) {
      set.findings.push_back(std::move(*finding));
    }
  }
  for (const auto& [id, entry] : seen) {
    if (entry.second > 1) {
      set.findings[entry.first].notes.push_back("sent " + std::to_string(entry.second) +
                                                " times in this input; planned once");
    }
  }
  return set;
}

}  // namespace cordon::planning
