// An exclusive lock on one case, held while a process changes the cloud on the case's behalf
// (apply, release), so two runs of one case never repeat each other's steps or evidence.
#pragma once

#include "core/result.h"
#include "journal/case_dir.h"

namespace cordon::journal {

// Holds an advisory lock (flock) on <case>/case.lock until destroyed; the kernel drops it when
// the process dies, so a killed run never leaves a stale lock. Thread-compatible; move-only.
class CaseLock {
 public:
  // Creates the case folders when missing and takes the lock without waiting. Fails with
  // kConflict when another process holds it, kIo when the lock file cannot be opened.
  static Result<CaseLock> Acquire(const CaseDir& case_dir);

  CaseLock(CaseLock&& other) noexcept;
  CaseLock& operator=(CaseLock&& other) noexcept;
  CaseLock(const CaseLock&) = delete;
  CaseLock& operator=(const CaseLock&) = delete;
  ~CaseLock();

 private:
  explicit CaseLock(int fd) : fd_(fd) {}

  int fd_ = -1;
};

}  // namespace cordon::journal
