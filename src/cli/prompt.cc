#include "cli/prompt.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/app.h"
#include "core/log.h"

namespace cordon::cli {

int InputError(const Error& error) {
  std::fprintf(stderr, "cordon: %s\n", error.message.c_str());
  return kExitUsage;
}

Style StyleFor(const GlobalOptions& global, const EnvLookup& env) {
  const bool no_color = global.no_color || env("NO_COLOR").has_value();
  return {!no_color && isatty(STDOUT_FILENO) != 0};
}

void ApplyLogLevel(const GlobalOptions& global) {
  log::Level level = log::Level::kWarn;
  log::ParseLevel(global.log_level, level);
  if (global.verbose && level > log::Level::kInfo) {
    level = log::Level::kInfo;
  }
  if (global.quiet) {
    level = log::Level::kError;
  }
  log::SetLevel(level);
}

bool CanAsk() { return isatty(STDIN_FILENO) != 0; }

bool AskYes(const std::string& question) {
  std::fprintf(stderr, "%s Type 'yes' to proceed: ", question.c_str());
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    return false;
  }
  return answer == "yes" || answer == "y";
}

}  // namespace cordon::cli
