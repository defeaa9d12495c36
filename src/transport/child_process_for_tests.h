// For tests only: runs a helper program (an emulator, a TLS server) in its own process group
// and stops it by pid when the owner goes away. Header-only so no library ships it.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/result.h"

namespace cordon::testing {

// A running child whose stdout and stderr go to one pipe. Not thread-safe.
class ChildProcess {
 public:
  // Starts `argv` (looked up in PATH) and reads its output until a line containing
  // `ready_marker`; fails with kIo if it cannot start or ends its output first. Afterwards the
  // output is drained on a thread so the child never blocks writing.
  static Result<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                     std::string_view ready_marker) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      return Fail(ErrorKind::kIo, "pipe2 failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);

    std::vector<char*> args;
    for (const auto& arg : argv) {
      args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(fds[1]);
    if (spawned != 0) {
      close(fds[0]);
      return Fail(ErrorKind::kIo, "cannot start " + argv[0]);
    }

    std::unique_ptr<ChildProcess> child(new ChildProcess(pid, fds[0]));
    std::string pending;
    char buffer[4096];
    while (true) {
      const size_t newline = pending.find('\n');
      if (newline != std::string::npos) {
        std::string line = pending.substr(0, newline);
        pending.erase(0, newline + 1);
        child->output_ += line + "\n";
        if (line.find(ready_marker) != std::string::npos) {
          child->ready_line_ = std::move(line);
          break;
        }
        continue;
      }
      const ssize_t got = read(fds[0], buffer, sizeof(buffer));
      if (got <= 0) {
        return Fail(ErrorKind::kIo, argv[0] + " ended before printing \"" +
                                        std::string(ready_marker) + "\":\n" + child->output_ +
                                        pending);
      }
      pending.append(buffer, static_cast<size_t>(got));
    }
    child->drain_ = std::thread([fd = fds[0]] {
      char sink[4096];
      while (read(fd, sink, sizeof(sink)) > 0) {
      }
    });
    return child;
  }

  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&&) = delete;
  ChildProcess& operator=(ChildProcess&&) = delete;

  // Stops the child's whole process group and waits for it.
  ~ChildProcess() {
    kill(-pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    if (drain_.joinable()) {
      drain_.join();
    }
    close(fd_);
  }

  // The line that contained the ready marker, without its newline.
  const std::string& ReadyLine() const { return ready_line_; }
  pid_t Pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}

  pid_t pid_;
  int fd_;
  std::string ready_line_;
  std::string output_;
  std::thread drain_;
};

}  // namespace cordon::testing
