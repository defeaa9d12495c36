#include "core/fs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

namespace cordon {
namespace {

// A C file descriptor owned for its scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&&) = delete;
  Fd& operator=(Fd&&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

tl::unexpected<Error> IoError(const std::string& what, const std::filesystem::path& path) {
  return Fail(ErrorKind::kIo, what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError("cannot read", path);
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return IoError("cannot read", path);
  }
  return content.str();
}

Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content, unsigned mode) {
  const std::filesystem::path dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::random_device random;
  const std::filesystem::path temp =
      dir / ("." + path.filename().string() + ".tmp-" + std::to_string(random()));

  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd.get() < 0) {
      return IoError("cannot create", temp);
    }
    size_t written = 0;
    while (written < content.size()) {
      const ssize_t n = ::write(fd.get(), content.data() + written, content.size() - written);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        auto error = IoError("cannot write", temp);
        ::unlink(temp.c_str());
        return error;
      }
      written += static_cast<size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
      auto error = IoError("cannot fsync", temp);
      ::unlink(temp.c_str());
      return error;
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    auto error = IoError("cannot rename into", path);
    ::unlink(temp.c_str());
    return error;
  }
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) {
    ::fsync(dir_fd.get());
  }
  return {};
}

Status EnsureDirectory(const std::filesystem::path& dir, unsigned mode) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Fail(ErrorKind::kIo, "cannot create folder " + dir.string() + ": " + error.message());
  }
  std::filesystem::permissions(dir, static_cast<std::filesystem::perms>(mode),
                               std::filesystem::perm_options::replace, error);
  return {};
}

}  // namespace cordon
