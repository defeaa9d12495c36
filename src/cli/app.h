// The command-line layer: parses arguments, runs one command, and decides the exit code.
#pragma once

namespace cordon::cli {

// Exit codes (PRODUCT.md §3).
inline constexpr int kExitOk = 0;
inline constexpr int kExitStepsFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitPartial = 3;
inline constexpr int kExitVerifyFailed = 4;

// Runs cordon with the process arguments and returns the exit code.
int Run(int argc, char** argv);

}  // namespace cordon::cli
