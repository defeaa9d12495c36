// Amazon GuardDuty findings in, targets out (PRODUCT.md §8). Reads the three shapes a finding
// arrives in — the GetFindings API's {"Findings":[…]} (PascalCase), an EventBridge event
// {"detail-type":"GuardDuty Finding","detail":{…}} (camelCase), or one bare finding in either
// case — and names the resources to contain. Input is untrusted: it is validated, never trusted.
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
  std::string type;  // e.g. "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS"
  std::string account;  // accountId, when given
  std::string region;   // region, when given
  double severity = 0;  // 0 when not given
  bool archived = false;
  bool sample = false;
  std::vector<Target> targets;          // what to contain; empty when skipped or unknown
  std::vector<std::string> techniques;  // ATT&CK ids the type suggests (planning/attack.h)
  std::vector<std::string> notes;       // why something was or was not planned
};

struct FindingSet {
  std::vector<Finding> findings;  // in document order; a repeated id appears once
};

// Parses `text` (one JSON document). Instance findings (Backdoor:EC2/*, CryptoCurrency:EC2/*, …)
// name the instance; access-key findings (…:IAMUser/*) name the key with its owning user, or
// the role of an AssumedRole key, plus the instance for InstanceCredentialExfiltration. Root and
// other principal types, unknown types, and (unless options.include_samples) sample or archived
// findings give no targets and a note saying why. Absent blocks are not errors.
// Fails with kInvalidInput when the text is not JSON, is none of the three shapes, a finding has
// no Id or Type, a field has the wrong JSON type, or an id is malformed; the message names the
// field by its path in the document (e.g. Findings[0].Resource.InstanceDetails.InstanceId) and
// the expected form. Thread-safe.
Result<FindingSet> ParseGuardDutyFindings(std::string_view text, const FindingOptions& options);

}  // namespace cordon::planning
