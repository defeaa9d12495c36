// Values shared by the typed AWS clients (EC2, IAM, STS).
#pragma once

#include <string>

namespace cordon::aws {

// A resource tag. Thread-compatible.
struct Tag {
  std::string key;
  std::string value;
};

// What a mutating call returns when the change has no other result. `request_id` is the
// provider's id for the call (empty in a dry run). Thread-compatible.
struct MutationResult {
  std::string request_id;
};

}  // namespace cordon::aws
