#include "planning/findings.h"

#include <nlohmann/json.hpp>

#include "planning/finding_json.h"
#include "planning/guardduty.h"
#include "planning/securityhub.h"

namespace cordon::planning {
namespace {

using nlohmann::json;

constexpr const char* kShapes =
    "a GuardDuty finding (the API's {\"Findings\":[…]}, an EventBridge event "
    "{\"detail-type\":\"GuardDuty Finding\",\"detail\":{…}}, or one finding object with an Id "
    "and a Type) or a Security Hub (ASFF) finding (one finding object with an Id and a "
    "ProductArn, a list of them, the API's {\"Findings\":[…]}, or an EventBridge event "
    "{\"detail-type\":\"Security Hub Findings - Imported\",\"detail\":{\"findings\":[…]}})";

enum class Format { kGuardDuty, kSecurityHub, kUnknown };

bool Has(const json& object, const char* key) { return object.contains(key); }

// A finding object's own keys tell the formats apart: ASFF findings carry a ProductArn (and
// SchemaVersion 2018-10-08, AwsAccountId, Types), GuardDuty ones a Type and usually a Service.
Format FormatOfFinding(const json& finding) {
  if (!finding.is_object()) {
    return Format::kUnknown;
  }
  if (Has(finding, "ProductArn") || Has(finding, "AwsAccountId") || Has(finding, "Types")) {
    return Format::kSecurityHub;
  }
  for (const char* key : {"type", "Type", "service", "Service", "resource", "Resource"}) {
    if (Has(finding, key)) {
      return Format::kGuardDuty;
    }
  }
  return Format::kUnknown;
}

// The format of a list of findings, by its first element; an empty list reads as either.
Format FormatOfList(const json& list) {
  if (list.empty()) {
    return Format::kGuardDuty;
  }
  return FormatOfFinding(list.front());
}

Format FormatOf(const json& document) {
  if (document.is_array()) {
    // Only Security Hub sends bare lists; an empty one holds no finding of either format.
    return document.empty() ? Format::kSecurityHub : FormatOfFinding(document.front());
  }
  if (!document.is_object()) {
    return Format::kUnknown;
  }
  for (const char* key : {"Findings", "findings"}) {
    if (Has(document, key)) {
      // Not a list: either parser names the field; GuardDuty's reads both spellings.
      return document[key].is_array() ? FormatOfList(document[key]) : Format::kGuardDuty;
    }
  }
  if (Has(document, "detail-type") || Has(document, "detail")) {
    const json detail_type = document.value("detail-type", json());
    if (detail_type == "GuardDuty Finding") {
      return Format::kGuardDuty;
    }
    const json detail = document.value("detail", json());
    if (detail_type.is_string() && detail_type.get<std::string>().starts_with("Security Hub")) {
      return Format::kSecurityHub;
    }
    if (detail.is_object() && detail.contains("findings")) {
      return Format::kSecurityHub;
    }
    return Format::kUnknown;
  }
  return FormatOfFinding(document);
}

std::string Describe(const json& document) {
  if (document.is_object()) {
    for (const char* key : {"Findings", "findings"}) {
      if (document.contains(key) && document[key].is_array()) {
        return "a list of findings whose first element is neither";
      }
    }
    const json detail_type = document.value("detail-type", json());
    if (detail_type.is_string()) {
      return "an EventBridge event of detail-type " + detail_type.dump();
    }
    return "an object with none of Findings, detail-type, Id, Type or ProductArn";
  }
  if (document.is_array()) {
    return "a list whose first element is not a finding object";
  }
  return finding_json::TypeName(document);
}

}  // namespace

Result<FindingSet> ParseFindings(std::string_view text, const FindingOptions& options) {
  auto document = finding_json::ParseJson(text, kShapes);
  if (!document) {
    return tl::unexpected(document.error());
  }

  switch (FormatOf(*document)) {
    case Format::kGuardDuty:
      return ParseGuardDutyFindings(text, options);
    case Format::kSecurityHub:
      return ParseSecurityHubFindings(text, options);
    case Format::kUnknown:
      break;
  }
  return Fail(ErrorKind::kInvalidInput,
              std::string("expected ") + kShapes + "; got " + Describe(*document));
}

}  // namespace cordon::planning
