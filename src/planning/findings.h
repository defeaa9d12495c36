// Findings in, targets out (PRODUCT.md §8): what cordon reads from a finding, whichever service
// raised it, and the one entry point that recognises the format. Input is untrusted: it is
// validated, never trusted, and never repaired.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "planning/target.h"

namespace cordon::planning {

struct FindingOptions {
  bool include_samples = false;  // plan sample and archived findings too
};

// One finding as cordon reads it. Plain data; thread-compatible.
struct Finding {
  std::string id;
  // The GuardDuty type, e.g. "Recon:IAMUser/UserPermissions", also for a GuardDuty finding read
  // from Security Hub; otherwise the first ASFF Types entry (e.g. "TTPs/Discovery"), or empty.
  std::string type;
  std::string format;   // "guardduty" or "securityhub" (ASFF): which reader read it
  std::string product;  // who raised it: "aws/guardduty", or ASFF's ProductArn "company/product"
  std::string title;    // when given
  std::string account;  // accountId / AwsAccountId, when given
  std::string region;   // region / Region, when given
  // The source's own number, 0 when not given: GuardDuty 0-10; Security Hub
  // Severity.Normalized 0-100 (from Severity.Label when only that is given).
  double severity = 0;
  bool archived = false;
  bool sample = false;
  std::vector<Target> targets;          // what to contain; empty when skipped or unknown
  std::vector<std::string> techniques;  // ATT&CK ids the type suggests (planning/attack.h)
  std::vector<std::string> notes;       // why something was or was not planned
};

struct FindingSet {
  std::vector<Finding> findings;  // in document order; a repeated id appears once
};

// Parses `text` (one JSON document) as whichever finding format it is: a GuardDuty finding
// (the API's {"Findings":[…]}, an EventBridge "GuardDuty Finding" event, or one bare finding;
// planning/guardduty.h) or Security Hub ASFF (one finding, a list, {"Findings":[…]}, or an
// EventBridge event's detail.findings[]; planning/securityhub.h), and reads it with that
// format's parser. Fails with kInvalidInput when the text is not JSON or is neither format (the
// message names every accepted shape), or as that parser fails. Thread-safe.
Result<FindingSet> ParseFindings(std::string_view text, const FindingOptions& options);

}  // namespace cordon::planning
