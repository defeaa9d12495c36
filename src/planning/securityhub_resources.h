// The targets an ASFF finding's Resources[] name (internal to planning/securityhub.cc).
// Pure functions over const JSON; thread-safe.
#pragma once

#include <string>

#include "core/result.h"
#include "planning/finding_json.h"

namespace cordon::planning::securityhub_internal {

// What the finding around the resources says about them.
struct AsffContext {
  std::string account;         // AwsAccountId, when given
  std::string region;          // Region, when given
  std::string guardduty_type;  // the GuardDuty type of a GuardDuty finding, else empty
};

// Reads `finding`.Resources[] as planning/securityhub.h describes: every resource of a type
// cordon knows is validated, and planned unless a GuardDuty type leaves it out; every other
// resource gets a note. Fails with kInvalidInput naming the field (e.g.
// Findings[0].Resources[1].Id) and what is wrong with it.
Result<finding_json::Contained> ContainResources(const finding_json::Field& finding,
                                                 const AsffContext& context);

}  // namespace cordon::planning::securityhub_internal
