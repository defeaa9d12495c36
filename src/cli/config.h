// cordon's own configuration: a TOML file plus environment and flag equivalents.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace cordon::cli {

// Looks up an environment variable; empty optional when unset. Injected so tests are hermetic.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup ProcessEnv();

// Thread-compatible plain data.
struct Config {
  std::vector<std::string> responders;            // principal ARNs deny policies must exempt
  std::vector<std::string> protected_principals;  // ARNs or names cordon refuses to contain
  int concurrency = 16;
  std::string memory_capture_command;  // EC2 memory capture through SSM; "" for none
  std::string evidence_bucket;         // upload evidence here; "" for none
  int evidence_retention_days = 90;    // Object Lock retain-until, days from the upload
  std::string source;                  // the file read, or "" when none
};

// Reads the TOML file at `path` (or, when empty, $CORDON_CONFIG, then
// $XDG_CONFIG_HOME/cordon/config.toml or ~/.config/cordon/config.toml if it exists), then
// applies CORDON_RESPONDERS / CORDON_PROTECTED (comma-separated) and CORDON_CONCURRENCY.
// An explicitly named file that is missing or malformed is a kInvalidInput error naming the
// file, the key and the expected form.
//
// File format:
//   responders = ["arn:aws:iam::123456789012:role/IR-Responder"]
//   protected = ["arn:aws:iam::123456789012:user/break-glass"]
//   concurrency = 16
//   memory_capture_command = "avml /var/tmp/memory.lime"   # also --memory-capture-command
//   evidence_bucket = "ir-evidence-123456789012"   (also CORDON_EVIDENCE_BUCKET)
//   evidence_retention_days = 90                  (also CORDON_EVIDENCE_RETENTION_DAYS)
Result<Config> LoadConfig(const std::string& path, const EnvLookup& env);

// Parses the text of a config file; `name` is used in error messages.
Result<Config> ParseConfig(const std::string& text, const std::string& name);

}  // namespace cordon::cli
