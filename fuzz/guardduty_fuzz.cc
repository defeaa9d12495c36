// libFuzzer entry for the GuardDuty finding parser (untrusted JSON from files and events).
// Built only with -DCORDON_FUZZ=ON and clang; run e.g.
//   build-fuzz/guardduty_fuzz -max_len=65536 ../shared/cases/aws/guardduty/
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "planning/guardduty.h"
#include "planning/target_ref.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool include_samples : {false, true}) {
    auto set = cordon::planning::ParseGuardDutyFindings(text, {include_samples});
    if (!set) {
      continue;
    }
    // Whatever the parser accepts must be a target the reference parser would accept too.
    for (const auto& finding : set->findings) {
      for (const auto& target : finding.targets) {
        if (cordon::planning::TargetIdProblem(target.kind, target.id)) {
          __builtin_trap();
        }
      }
    }
  }
  return 0;
}
