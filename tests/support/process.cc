#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <utility>

extern char** environ;

namespace cordon::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A file descriptor owned by its scope.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    Reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  void Reset(int fd = -1) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

tl::unexpected<Error> SystemError(const std::string& what) {
  return Fail(ErrorKind::kIo, what + ": " + std::strerror(errno));
}

Result<Pipe> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return SystemError("pipe");
  }
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

Result<UniqueFd> OpenFile(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0) {
    return SystemError("open " + path);
  }
  return UniqueFd(fd);
}

bool IsExecutableFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

Result<std::string> FindProgram(const std::string& name, const Environment& env) {
  if (name.find('/') != std::string::npos) {
    if (!IsExecutableFile(name)) {
      return Fail(ErrorKind::kNotFound, "no executable file " + name);
    }
    return name;
  }
  auto path = env.find("PATH");
  const std::string dirs = path == env.end() ? ParentPath() : path->second;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) {
      end = dirs.size();
    }
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (IsExecutableFile(candidate)) {
      return candidate;
    }
    start = end + 1;
  }
  return Fail(ErrorKind::kNotFound, "program " + name + " not found on PATH " + dirs);
}

// Everything execve needs, built before fork so the child allocates nothing.
struct ExecSpec {
  std::string path;
  std::vector<std::string> strings;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

Result<ExecSpec> PrepareExec(const std::vector<std::string>& argv, const Environment& env) {
  if (argv.empty()) {
    return Fail(ErrorKind::kInvalidInput, "no program to run");
  }
  auto path = FindProgram(argv[0], env);
  if (!path) {
    return Fail(path.error());
  }
  ExecSpec spec;
  spec.path = *path;
  spec.strings = argv;
  for (const auto& [name, value] : env) {
    spec.strings.push_back(name + "=" + value);
  }
  for (size_t i = 0; i < spec.strings.size(); ++i) {
    (i < argv.size() ? spec.argv : spec.envp).push_back(spec.strings[i].data());
  }
  spec.argv.push_back(nullptr);
  spec.envp.push_back(nullptr);
  return spec;
}

// Makes `fd` the child's descriptor `target`, inheritable across exec.
void Install(int fd, int target) {
  if (fd == target) {
    ::fcntl(target, F_SETFD, 0);
    return;
  }
  ::dup2(fd, target);
}

// The child side of Spawn: only async-signal-safe calls from here to execve.
[[noreturn]] void ExecChild(const ExecSpec& spec, pid_t parent, int in, int out, int err,
                            int status_fd) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) {
    ::_exit(127);
  }
  Install(in, 0);
  Install(out, 1);
  Install(err, 2);
  // Descriptors the test process opened without O_CLOEXEC must not leak into the child.
  if (status_fd > 3) {
    ::close_range(3, static_cast<unsigned>(status_fd - 1), 0);
  }
  ::close_range(static_cast<unsigned>(status_fd + 1), ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);

  ::execve(spec.path.c_str(), spec.argv.data(), spec.envp.data());
  int error = errno;
  [[maybe_unused]] ssize_t written = ::write(status_fd, &error, sizeof(error));
  ::_exit(127);
}

int WaitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Starts the child with the given standard descriptors. Fails with kNotFound when execve fails.
Result<pid_t> Spawn(const ExecSpec& spec, int in, int out, int err) {
  auto status = MakePipe();
  if (!status) {
    return Fail(status.error());
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    return SystemError("fork");
  }
  if (pid == 0) {
    ExecChild(spec, parent, in, out, err, status->write.get());
  }
  status->write.Reset();

  int child_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(status->read.get(), &child_errno, sizeof(child_errno));
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof(child_errno))) {
    WaitFor(pid);
    return Fail(ErrorKind::kNotFound,
                "cannot execute " + spec.path + ": " + std::strerror(child_errno));
  }
  return pid;
}

struct Captured {
  std::string out;
  std::string err;
  bool timed_out = false;
};

// Reads both pipes until both close or the deadline passes, so neither can fill and block.
Captured Drain(const UniqueFd& out, const UniqueFd& err, Clock::time_point deadline) {
  Captured captured;
  pollfd fds[2] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}};
  std::string* sinks[2] = {&captured.out, &captured.err};
  char buffer[65536];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      captured.timed_out = true;
      return captured;
    }
    int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      captured.timed_out = true;
      return captured;
    }
    for (int i = 0; i < 2 && ready > 0; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      ssize_t got = ::read(fds[i].fd, buffer, sizeof(buffer));
      if (got > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;
      }
    }
  }
  return captured;
}

std::string Tail(const std::string& text, size_t limit = 2000) {
  return text.size() <= limit ? text : "..." + text.substr(text.size() - limit);
}

Environment ParentEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string text = *entry;
    size_t equals = text.find('=');
    if (equals != std::string::npos) {
      env[text.substr(0, equals)] = text.substr(equals + 1);
    }
  }
  return env;
}

}  // namespace

std::string ParentPath() {
  const char* path = std::getenv("PATH");
  return path != nullptr && *path != '\0' ? path : "/usr/local/bin:/usr/bin:/bin";
}

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, const Environment& env,
                                 std::chrono::milliseconds timeout) {
  auto spec = PrepareExec(argv, env);
  if (!spec) {
    return Fail(spec.error());
  }
  auto null = OpenFile("/dev/null", O_RDONLY);
  auto out = MakePipe();
  auto err = MakePipe();
  if (!null || !out || !err) {
    return Fail(!null ? null.error() : !out ? out.error() : err.error());
  }

  auto pid = Spawn(*spec, null->get(), out->write.get(), err->write.get());
  if (!pid) {
    return Fail(pid.error());
  }
  out->write.Reset();
  err->write.Reset();
  Captured captured = Drain(out->read, err->read, Clock::now() + timeout);
  if (captured.timed_out) {
    ::kill(*pid, SIGKILL);
    WaitFor(*pid);
    return Fail(ErrorKind::kTransient, spec->path + " still running after " +
                                           std::to_string(timeout.count()) +
                                           " ms; killed it. stderr so far: " + Tail(captured.err));
  }

  const int status = WaitFor(*pid);
  ProcessResult result;
  result.out = std::move(captured.out);
  result.err = std::move(captured.err);
  if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
    result.exit_code = 128 + result.term_signal;
  } else {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

Result<ProcessResult> RunCordon(const std::vector<std::string>& args, const Environment& env) {
  Environment child = env;
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && child.count(name) == 0) {
      child[name] = value;
    }
  }
  std::vector<std::string> argv = {CORDON_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, child);
}

Result<std::string> Python() {
  static const Result<std::string> python = []() -> Result<std::string> {
    auto run = RunProcess({"python3", "-c", "import sys; print(sys.executable)"},
                          ParentEnvironment(), std::chrono::seconds(30));
    if (!run) {
      return Fail(run.error());
    }
    std::string path = run->out.substr(0, run->out.find('\n'));
    if (run->exit_code != 0 || path.empty()) {
      return Fail(ErrorKind::kNotFound, "python3 did not name its interpreter: " + run->err);
    }
    return path;
  }();
  return python;
}

Result<BackgroundProcess> BackgroundProcess::Start(const std::vector<std::string>& argv,
                                                   const Environment& env,
                                                   const std::string& log_path) {
  auto spec = PrepareExec(argv, env);
  if (!spec) {
    return Fail(spec.error());
  }
  auto null = OpenFile("/dev/null", O_RDONLY);
  auto log = OpenFile(log_path, O_WRONLY | O_CREAT | O_APPEND);
  if (!null || !log) {
    return Fail(!null ? null.error() : log.error());
  }
  auto pid = Spawn(*spec, null->get(), log->get(), log->get());
  if (!pid) {
    return Fail(pid.error());
  }
  BackgroundProcess process(*pid);
  process.reaped_ = false;
  return process;
}

BackgroundProcess::BackgroundProcess(BackgroundProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), reaped_(std::exchange(other.reaped_, true)) {}

BackgroundProcess& BackgroundProcess::operator=(BackgroundProcess&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = std::exchange(other.pid_, -1);
    reaped_ = std::exchange(other.reaped_, true);
  }
  return *this;
}

BackgroundProcess::~BackgroundProcess() { Stop(); }

bool BackgroundProcess::Running() {
  if (reaped_) {
    return false;
  }
  int status = 0;
  pid_t got = ::waitpid(pid_, &status, WNOHANG);
  if (got == 0) {
    return true;
  }
  if (got == pid_ || errno != EINTR) {
    reaped_ = true;
  }
  return !reaped_;
}

void BackgroundProcess::Stop(std::chrono::milliseconds grace) {
  if (!Running()) {
    return;
  }
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    if (!Running()) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  WaitFor(pid_);
  reaped_ = true;
}

}  // namespace cordon::testing
