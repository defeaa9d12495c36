// libFuzzer entry for target references (--target REF). Built only with -DCORDON_FUZZ=ON and
// clang; run e.g. build-fuzz/target_ref_fuzz -max_len=512
#include <cstddef>
#include <cstdint>
#include <string>

#include "planning/target_ref.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string ref(reinterpret_cast<const char*>(data), size);
  auto target = cordon::planning::ParseTargetRef(ref, {"us-east-1", "123456789012"});
  if (!target) {
    // Every rejection shows the expected form.
    if (target.error().message.find("expected ") == std::string::npos) {
      __builtin_trap();
    }
    return 0;
  }
  // An accepted reference round-trips: its canonical short form parses to the same target.
  auto again = cordon::planning::ParseTargetRef(target->Key(), {target->region, target->account});
  if (!again || again->kind != target->kind || again->id != target->id) {
    __builtin_trap();
  }
  return 0;
}
