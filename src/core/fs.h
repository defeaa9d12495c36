// Local files: whole-file reads and atomic writes (write, fsync, rename; PRODUCT.md §6).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/result.h"

namespace cordon {

// The whole content of `path`. Fails with kIo naming the path and the system's reason.
Result<std::string> ReadFile(const std::filesystem::path& path);

// Replaces `path` with `content` atomically: a temporary file beside it is written, fsynced and
// renamed over it, and the folder is fsynced, so a crash leaves the old or the new file, never a
// torn one. `mode` is the new file's permission bits. Fails with kIo naming the path.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view content,
                       unsigned mode = 0600);

// Creates `dir` and its parents with `mode` when missing. Fails with kIo naming the path.
Status EnsureDirectory(const std::filesystem::path& dir, unsigned mode = 0700);

}  // namespace cordon
