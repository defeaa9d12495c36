// Results and errors shared by every layer. Failures are values, never exceptions across a module
// boundary.
#pragma once

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace cordon {

// What kind of failure an Error is. Decides retries and exit codes.
enum class ErrorKind {
  kInvalidInput,  // the user's input is wrong; nothing was changed
  kNotFound,      // the provider says the resource does not exist
  kThrottled,     // the provider asked us to slow down
  kTransient,     // network failure, timeout, truncated body, 5xx
  kAuth,          // credentials missing, expired or rejected
  kPermission,    // authenticated but not allowed
  kConflict,      // concurrent change or resource in the wrong state
  kProvider,      // any other provider error
  kIo,            // local file or database failure
  kCorrupt,       // stored data failed an integrity check
  kRefused,       // a safety guard refused the operation
  kInternal,      // a bug in cordon
};

// A failure, keeping the provider's own code and request id when there is one.
// Thread-compatible.
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;
  std::string provider_code;  // e.g. "Throttling", "InvalidInstanceID.NotFound"
  std::string request_id;     // the provider's request id, when it answered
  int http_status = 0;
  bool retryable = false;

  // "message (code, request id R)" with the parts that are known.
  std::string Describe() const;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> Fail(ErrorKind kind, std::string message) {
  return tl::unexpected<Error>(Error{kind, std::move(message), {}, {}, 0, false});
}

inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

const char* ErrorKindName(ErrorKind kind);

}  // namespace cordon
