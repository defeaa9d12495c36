#include "core/result.h"

namespace cordon {

std::string Error::Describe() const {
  std::string out = message;
  if (provider_code.empty() && request_id.empty()) {
    return out;
  }
  out += " (";
  if (!provider_code.empty()) {
    out += provider_code;
  }
  if (!request_id.empty()) {
    out += provider_code.empty() ? "request id " : ", request id ";
    out += request_id;
  }
  out += ")";
  return out;
}

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return "invalid_input";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kThrottled:
      return "throttled";
    case ErrorKind::kTransient:
      return "transient";
    case ErrorKind::kAuth:
      return "auth";
    case ErrorKind::kPermission:
      return "permission";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kProvider:
      return "provider";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kCorrupt:
      return "corrupt";
    case ErrorKind::kRefused:
      return "refused";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace cordon
