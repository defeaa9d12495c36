// Child processes for end-to-end tests: run to completion with captured output, or in the
// background. Every child gets an explicit environment, stdin from /dev/null, and dies with the
// thread that started it; a test never leaves one running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace cordon::testing {

// The complete environment of a child: nothing else is inherited from the test process.
using Environment = std::map<std::string, std::string>;

// How long RunProcess waits before it kills the child and fails.
inline constexpr std::chrono::seconds kProcessTimeout{120};

struct ProcessResult {
  int exit_code = -1;   // the exit status; 128 + signal when the child was killed by a signal
  std::string out;      // everything written to stdout
  std::string err;      // everything written to stderr
  int term_signal = 0;  // the signal that ended the child, 0 when it exited
};

// Runs argv[0] (a path, or a name looked up on env's PATH) with `env` and stdin from /dev/null,
// capturing stdout and stderr, until it ends. Returns its exit code whatever it is. Fails with
// kNotFound when the program is not found or cannot be executed, kTransient when it runs longer
// than `timeout` (it is then killed by its pid and reaped), kIo when pipes or fork fail.
// Thread-safe.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const Environment& env,
                                 std::chrono::milliseconds timeout = kProcessTimeout);

// RunProcess for the cordon binary under test (CORDON_BINARY) with `args`. The parent's
// ASAN_OPTIONS, UBSAN_OPTIONS and LSAN_OPTIONS are added when `env` lacks them, so a sanitizer
// build checks the child the same way. Thread-safe.
Result<ProcessResult> RunCordon(const std::vector<std::string>& args, const Environment& env);

// The python3 interpreter, resolved once through the test process's own PATH (so version
// managers' shims are followed once, not on every call). Fails with kNotFound. Thread-safe.
Result<std::string> Python();

// The test process's PATH, or a default system PATH when it has none.
std::string ParentPath();

// A child running in the background with stdout and stderr appended to a log file. Destroying
// it stops the child by its pid (SIGTERM, then SIGKILL after a grace period) and reaps it.
// Movable, not copyable. Not thread-safe.
class BackgroundProcess {
 public:
  // Starts argv (as in RunProcess) with `env`, stdin from /dev/null, output appended to
  // `log_path`. Fails with kNotFound or kIo as RunProcess does.
  static Result<BackgroundProcess> Start(const std::vector<std::string>& argv,
                                         const Environment& env, const std::string& log_path);

  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  BackgroundProcess(BackgroundProcess&& other) noexcept;
  BackgroundProcess& operator=(BackgroundProcess&& other) noexcept;
  ~BackgroundProcess();

  // The child's pid (kept after it was reaped, for diagnostics), or -1 when moved from.
  pid_t pid() const { return pid_; }

  // True while the child has not ended; reaps it when it has.
  bool Running();

  // Stops the child by its pid and reaps it; waits at most `grace` after SIGTERM before SIGKILL.
  // Does nothing when it already ended.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  explicit BackgroundProcess(pid_t pid) : pid_(pid) {}

  pid_t pid_ = -1;
  bool reaped_ = true;
};

}  // namespace cordon::testing
