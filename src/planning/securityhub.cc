#include "planning/securityhub.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <vector>

#include "planning/attack.h"
#include "planning/finding_json.h"
#include "planning/securityhub_resources.h"
#include "planning/target_ref.h"

namespace cordon::planning {
namespace {

using finding_json::ExactChild;
using finding_json::Field;
using finding_json::Quoted;
using finding_json::StringField;
using nlohmann::json;

constexpr const char* kShapes =
    "a Security Hub (ASFF) finding: one finding object with an Id and a ProductArn, a list of "
    "them, the API's {\"Findings\":[…]}, or an EventBridge event {\"detail-type\":\"Security Hub "
    "Findings - Imported\",\"detail\":{\"findings\":[…]}}";

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// An optional string field that must hold one of `allowed` (space-separated) when given.
Result<std::string> EnumField(const Field& field, std::string_view allowed) {
  auto text = StringField(field);
  if (!text) {
    return tl::unexpected(text.error());
  }
  if (!*text) {
    return std::string();
  }
  if (allowed.find(" " + **text + " ") == std::string_view::npos) {
    std::string options(allowed.substr(1, allowed.size() - 2));
    std::replace(options.begin(), options.end(), ' ', ',');
    return Fail(ErrorKind::kInvalidInput,
                field.path + ": expected one of " + options + ", got " + Quoted(**text));
  }
  return **text;
}

// "arn:PARTITION:securityhub:REGION:ACCOUNT:product/COMPANY/PRODUCT" → "COMPANY/PRODUCT".
Result<std::string> ProductOf(const Field& field) {
  auto arn = finding_json::RequiredWord(
      field, "the product's ARN, arn:aws:securityhub:REGION:ACCOUNT:product/COMPANY/PRODUCT");
  if (!arn) {
    return tl::unexpected(arn.error());
  }
  const size_t product = arn->find(":product/");
  const bool shaped = arn->starts_with("arn:") && arn->find(":securityhub:") != std::string::npos &&
                      product != std::string::npos &&
                      std::count(arn->begin() + static_cast<long>(product), arn->end(), '/') == 2;
  if (!shaped || arn->ends_with("/")) {
    return Fail(ErrorKind::kInvalidInput,
                field.path +
                    ": expected arn:aws:securityhub:REGION:ACCOUNT:product/COMPANY/PRODUCT, got " +
                    Quoted(*arn));
  }
  return arn->substr(product + 9);
}

// Severity.Normalized (0-100), else what Security Hub derives from Severity.Label.
Result<double> SeverityOf(const Field& finding) {
  auto severity = finding_json::ObjectField(finding, "Severity");
  if (!severity) {
    return tl::unexpected(severity.error());
  }
  const Field normalized = ExactChild(*severity, "Normalized");
  if (normalized.value != nullptr) {
    if (!normalized.value->is_number()) {
      return finding_json::WrongType(normalized, "a number from 0 to 100");
    }
    return normalized.value->get<double>();
  }
  auto label =
      EnumField(ExactChild(*severity, "Label"), " INFORMATIONAL LOW MEDIUM HIGH CRITICAL ");
  if (!label) {
    return tl::unexpected(label.error());
  }
  if (*label == "CRITICAL") {
    return 90.0;
  }
  if (*label == "HIGH") {
    return 70.0;
  }
  if (*label == "MEDIUM") {
    return 40.0;
  }
  return *label == "LOW" ? 1.0 : 0.0;
}

Result<std::vector<std::string>> TypesOf(const Field& finding) {
  auto list = finding_json::ListField(finding, "Types");
  if (!list) {
    return tl::unexpected(list.error());
  }
  std::vector<std::string> types;
  for (size_t i = 0; list->value != nullptr && i < list->value->size(); ++i) {
    const Field item = finding_json::Item(*list, i);
    if (!item.value->is_string()) {
      return finding_json::WrongType(item, "a string like TTPs/Discovery");
    }
    types.push_back(item.value->get<std::string>());
  }
  return types;
}

// GuardDuty's own flags, as it copies them into ProductFields ("aws/guardduty/service/archived",
// or unprefixed in older findings); additionalInfo is a JSON text there.
Result<std::pair<bool, bool>> GuardDutyFlags(const Field& finding) {
  auto fields = finding_json::ObjectField(finding, "ProductFields");
  if (!fields) {
    return tl::unexpected(fields.error());
  }
  bool archived = false;
  bool sample = false;
  for (const char* prefix : {"aws/guardduty/service/", ""}) {
    for (const std::string_view name : {"archived", "additionalInfo/sample", "additionalInfo"}) {
      const Field field = ExactChild(*fields, prefix + std::string(name));
      auto text = StringField(field);
      if (!text) {
        return tl::unexpected(text.error());
      }
      if (!*text) {
        continue;
      }
      if (name == "archived") {
        archived = archived || **text == "true";
      } else if (name == "additionalInfo/sample") {
        sample = sample || **text == "true";
      } else {
        const json info = json::parse(**text, nullptr, false);
        const json flag = info.is_object() ? info.value("sample", json()) : json();
        sample = sample || flag == json(true) || flag == json("true");
      }
    }
  }
  return std::pair{archived, sample};
}

// Why a finding is not planned; `overridable` reasons yield to --include-samples.
struct Skip {
  std::vector<std::string> final_reasons;
  std::vector<std::string> overridable;
};

Result<Skip> SkipReasons(const Field& finding, const Finding& read, const std::string& record,
                         const FindingOptions& options) {
  auto workflow = finding_json::ObjectField(finding, "Workflow");
  auto compliance = finding_json::ObjectField(finding, "Compliance");
  for (const Error* error :
       {workflow ? nullptr : &workflow.error(), compliance ? nullptr : &compliance.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  auto status = EnumField(ExactChild(*workflow, "Status"), " NEW NOTIFIED RESOLVED SUPPRESSED ");
  auto old_status = StringField(ExactChild(finding, "WorkflowState"));  // deprecated
  auto check =
      EnumField(ExactChild(*compliance, "Status"), " PASSED WARNING FAILED NOT_AVAILABLE ");
  for (const Error* error :
       {status ? nullptr : &status.error(), old_status ? nullptr : &old_status.error(),
        check ? nullptr : &check.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }

  Skip skip;
  if (read.sample && !options.include_samples) {
    skip.overridable.emplace_back("sample finding");
  }
  if (read.archived && !options.include_samples) {
    skip.overridable.emplace_back(record == "ARCHIVED"
                                      ? "archived finding (RecordState ARCHIVED)"
                                      : "archived finding (archived in GuardDuty)");
  }
  if (*status == "SUPPRESSED") {
    skip.final_reasons.emplace_back(
        "suppressed (Workflow.Status SUPPRESSED): a responder decided it needs no action");
  } else if (*status == "RESOLVED" || (status->empty() && *old_status == "RESOLVED")) {
    skip.final_reasons.push_back(std::string("resolved (") +
                                 (status->empty() ? "WorkflowState" : "Workflow.Status") +
                                 " RESOLVED)");
  }
  if (*check == "PASSED") {
    skip.final_reasons.emplace_back(
        "its check passed (Compliance.Status PASSED): nothing to contain");
  } else if (*check == "NOT_AVAILABLE") {
    skip.final_reasons.emplace_back(
        "its check could not be evaluated (Compliance.Status NOT_AVAILABLE)");
  }
  return skip;
}

std::string JoinWith(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) {
    out += (out.empty() ? "" : separator) + part;
  }
  return out;
}

Result<Finding> ReadFinding(const Field& field, const FindingOptions& options) {
  if (!field.value->is_object()) {
    return finding_json::WrongType(field, "a finding object");
  }
  const std::string where = field.path.empty() ? "the document" : field.path;
  if (ExactChild(field, "ProductArn").value == nullptr &&
      (finding_json::Child(field, "type").value != nullptr ||
       finding_json::Child(field, "service").value != nullptr)) {
    return Fail(ErrorKind::kInvalidInput, where +
                                              " is a GuardDuty finding, not Security Hub ASFF "
                                              "(read it with planning/findings.h); expected " +
                                              kShapes);
  }
  Finding finding;
  finding.format = "securityhub";
  auto id = finding_json::RequiredWord(ExactChild(field, "Id"),
                                       "the finding id (1-512 printable characters, no spaces)");
  auto product = ProductOf(ExactChild(field, "ProductArn"));
  const Field account = ExactChild(field, "AwsAccountId");
  const Field region = ExactChild(field, "Region");
  auto account_text = StringField(account);
  auto region_text = StringField(region);
  auto title = StringField(ExactChild(field, "Title"));
  auto severity = SeverityOf(field);
  auto types = TypesOf(field);
  auto sample = finding_json::BoolField(field, "Sample");
  auto record = EnumField(ExactChild(field, "RecordState"), " ACTIVE ARCHIVED ");
  for (const Error* error :
       {id ? nullptr : &id.error(), product ? nullptr : &product.error(),
        account_text ? nullptr : &account_text.error(),
        region_text ? nullptr : &region_text.error(), title ? nullptr : &title.error(),
        severity ? nullptr : &severity.error(), types ? nullptr : &types.error(),
        sample ? nullptr : &sample.error(), record ? nullptr : &record.error()}) {
    if (error != nullptr) {
      return Fail(*error);
    }
  }
  finding.id = *id;
  finding.product = *product;
  finding.title = title->value_or("");
  finding.account = account_text->value_or("");
  finding.region = region_text->value_or("");
  finding.severity = *severity;
  finding.sample = *sample;
  finding.archived = *record == "ARCHIVED";
  if (account.value != nullptr && !IsAccountId(finding.account)) {
    return Fail(ErrorKind::kInvalidInput,
                account.path + ": expected a 12-digit account id, got " + Quoted(finding.account));
  }
  if (region.value != nullptr && !IsRegion(finding.region)) {
    return Fail(ErrorKind::kInvalidInput,
                region.path + ": expected a region like us-east-1, got " + Quoted(finding.region));
  }

  std::string guardduty_type;
  if (finding.product == "aws/guardduty") {
    for (const auto& type : *types) {
      if (auto found = GuardDutyTypeInAsff(type); found && guardduty_type.empty()) {
        guardduty_type = *found;
      }
    }
    auto flags = GuardDutyFlags(field);
    if (!flags) {
      return tl::unexpected(flags.error());
    }
    finding.archived = finding.archived || flags->first;
    finding.sample = finding.sample || flags->second;
  }
  finding.type = !guardduty_type.empty() ? guardduty_type
                 : types->empty()        ? std::string()
                                         : types->front();
  finding.techniques = GuardDutyTechniques(guardduty_type);
  if (finding.techniques.empty()) {
    finding.techniques = SecurityHubTechniques(*types);
  }

  auto skip = SkipReasons(field, finding, *record, options);
  if (!skip) {
    return tl::unexpected(skip.error());
  }
  if (!skip->final_reasons.empty() || !skip->overridable.empty()) {
    std::string note = "skipped: " + JoinWith(skip->overridable, ", ");
    if (!skip->final_reasons.empty()) {
      note += (skip->overridable.empty() ? "" : "; ") + JoinWith(skip->final_reasons, "; ");
    } else {
      note += "; pass --include-samples to contain it";
    }
    finding.notes.push_back(note);
    return finding;
  }
  auto contained = securityhub_internal::ContainResources(
      field, {finding.account, finding.region, guardduty_type});
  if (!contained) {
    return tl::unexpected(contained.error());
  }
  finding.targets = std::move(contained->targets);
  finding.notes = std::move(contained->notes);
  return finding;
}

// The findings of the document, each with its path: "Findings[2]", "detail.findings[0]", "[1]"
// or "".
Result<std::vector<Field>> FindingFields(const json& document) {
  const Field root = finding_json::Root(document);
  Field list = root;
  if (document.is_object()) {
    const Field findings = ExactChild(root, "Findings");
    const Field detail_type = ExactChild(root, "detail-type");
    const Field detail = ExactChild(root, "detail");
    if (findings.value != nullptr) {
      list = findings;
    } else if (detail_type.value != nullptr || detail.value != nullptr) {
      if (detail_type.value != nullptr && *detail_type.value == "GuardDuty Finding") {
        return Fail(ErrorKind::kInvalidInput,
                    "the document is a GuardDuty EventBridge event, not Security Hub ASFF (read "
                    "it with planning/findings.h); expected " +
                        std::string(kShapes));
      }
      if (detail.value == nullptr || !detail.value->is_object()) {
        return Fail(
            ErrorKind::kInvalidInput,
            detail.path + ": expected the detail object of a Security Hub event, got " +
                (detail.value == nullptr ? "nothing" : finding_json::TypeName(*detail.value)));
      }
      list = ExactChild(detail, "findings");
      if (list.value == nullptr) {
        return Fail(ErrorKind::kInvalidInput,
                    list.path +
                        ": missing; expected the findings of a Security Hub event "
                        "(\"Security Hub Findings - Imported\" or \"- Custom Action\")");
      }
    } else if (ExactChild(root, "Id").value != nullptr ||
               ExactChild(root, "ProductArn").value != nullptr) {
      return std::vector<Field>{root};
    } else {
      return Fail(ErrorKind::kInvalidInput,
                  std::string("expected ") + kShapes +
                      "; got an object with none of Findings, detail, Id or ProductArn");
    }
  }
  if (!list.value->is_array()) {
    return Fail(ErrorKind::kInvalidInput,
                (list.path.empty() ? "the document" : list.path) +
                    ": expected a list of findings, got " + finding_json::TypeName(*list.value) +
                    (list.path.empty() ? "; expected " + std::string(kShapes) : ""));
  }
  std::vector<Field> fields;
  for (size_t i = 0; i < list.value->size(); ++i) {
    fields.push_back(finding_json::Item(list, i));
  }
  return fields;
}

}  // namespace

std::optional<std::string> GuardDutyTypeInAsff(std::string_view asff_type) {
  size_t start = 0;
  while (start < asff_type.size()) {
    const size_t end = std::min(asff_type.find('/', start), asff_type.size());
    const std::string_view segment = asff_type.substr(start, end - start);
    const size_t colon = segment.find(':');
    if (colon != std::string_view::npos) {
      std::string type(asff_type.substr(start));
      const size_t dash = type.find('-', colon);
      const size_t slash = type.find('/', colon);
      if (slash == std::string::npos && dash != std::string::npos) {
        type[dash] = '/';
      }
      const size_t split = type.find('/', colon);
      const std::string_view purpose = std::string_view(type).substr(0, colon);
      const std::string_view resource =
          split == std::string::npos ? std::string_view()
                                     : std::string_view(type).substr(colon + 1, split - colon - 1);
      const bool shaped = !purpose.empty() && !resource.empty() && split + 1 < type.size() &&
                          std::all_of(purpose.begin(), purpose.end(), IsWordChar) &&
                          std::all_of(resource.begin(), resource.end(), IsWordChar);
      return shaped ? std::optional<std::string>(type) : std::nullopt;
    }
    start = end + 1;
  }
  return std::nullopt;
}

Result<FindingSet> ParseSecurityHubFindings(std::string_view text, const FindingOptions& options) {
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
