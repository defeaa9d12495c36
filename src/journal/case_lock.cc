#include "journal/case_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace cordon::journal {

Result<CaseLock> CaseLock::Acquire(const CaseDir& case_dir) {
  if (auto created = case_dir.Create(); !created) {
    return Fail(created.error());
  }
  const auto path = case_dir.root() / "case.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(ErrorKind::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  CaseLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) {
      return Fail(ErrorKind::kConflict,
                  "case " + case_dir.case_id() +
                      " is in use by another cordon process (apply or release); wait for it to "
                      "finish, then run this again");
    }
    return Fail(ErrorKind::kIo, "cannot lock " + path.string() + ": " + std::strerror(error));
  }
  return lock;
}

CaseLock::CaseLock(CaseLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

CaseLock& CaseLock::operator=(CaseLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

CaseLock::~CaseLock() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

}  // namespace cordon::journal
