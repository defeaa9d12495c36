// What every command shares with the person at the terminal: input errors, colour, log level
// and confirmation.
#pragma once

#include <string>

#include "cli/config.h"
#include "cli/options.h"
#include "cli/render.h"
#include "core/result.h"

namespace cordon::cli {

// Prints "cordon: <message>" on stderr and returns the usage exit code (2).
int InputError(const Error& error);

// Colour only on a terminal, and never with --no-color or NO_COLOR.
Style StyleFor(const GlobalOptions& global, const EnvLookup& env);

// Sets the diagnostic log level from --log-level, --verbose and --quiet.
void ApplyLogLevel(const GlobalOptions& global);

// True when standard input is a terminal cordon can ask on.
bool CanAsk();

// Asks `question` on stderr and reads the answer from stdin; true only for "yes" or "y".
bool AskYes(const std::string& question);

}  // namespace cordon::cli
