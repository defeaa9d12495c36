// Time as a seam: the journal and the playbooks read the time through a Clock so tests can fix
// it. Timestamps cordon writes are UTC, RFC 3339 with milliseconds.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

namespace cordon {

// Thread-safe implementations only: one clock serves every executor thread.
class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  Clock(Clock&&) = delete;
  Clock& operator=(Clock&&) = delete;
  virtual ~Clock() = default;

  virtual std::chrono::system_clock::time_point Now() const = 0;
};

// The system's wall clock. Thread-safe; lives for the whole process.
const Clock& DefaultClock();

// A clock that returns what it was last set to. Thread-safe.
class FixedClock : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point now) : now_(now.time_since_epoch()) {}
  std::chrono::system_clock::time_point Now() const override;
  void Set(std::chrono::system_clock::time_point now);

 private:
  std::atomic<std::chrono::system_clock::duration> now_;
};

// "2026-12-04T03:45:35.123Z".
std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time);

// "2026-12-04T03:45:35Z": whole seconds, the form IAM policy conditions use.
std::string FormatRfc3339Seconds(std::chrono::system_clock::time_point time);

}  // namespace cordon
