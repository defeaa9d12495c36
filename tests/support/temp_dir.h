// A private temporary folder for one test, removed with everything in it when destroyed.
#pragma once

#include <fstream>  // tests write their input files into a TempDir with std::ofstream
#include <string>
#include <utility>

#include "core/result.h"

namespace cordon::testing {

// Owns a fresh folder (mode 0700) under the system temporary directory. Movable, not copyable;
// a moved-from TempDir owns nothing. Thread-compatible.
class TempDir {
 public:
  // Creates "<tmp>/<prefix>-XXXXXX". Fails with kIo naming the path and the system's reason.
  static Result<TempDir> Create(const std::string& prefix);

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  ~TempDir();

  // The folder's absolute path; empty when moved from.
  const std::string& path() const { return path_; }

  // The path of `name` inside the folder. Creates nothing.
  std::string File(const std::string& name) const;

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  void Remove();

  std::string path_;
};

}  // namespace cordon::testing
