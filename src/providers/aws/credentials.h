// AWS credentials. Never print, log or store the secret or the session token.
#pragma once

#include <string>

namespace cordon::aws {

// Thread-compatible. Deliberately has no stream or format support.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  std::string source;         // where they came from, e.g. "environment", "profile default"
};

}  // namespace cordon::aws
