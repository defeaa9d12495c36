// Diagnostic logging: JSON lines on stderr with a stable dotted event name and fixed field
// names (case, step, provider, account, region, resource, request_id, attempt, elapsed_ms).
// Kept apart from the journal, which is the product's own record. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cordon::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };

// Parses "debug", "info", "warn", "error", "off"; nullopt-like false on anything else.
bool ParseLevel(std::string_view text, Level& level);

void SetLevel(Level level);
Level CurrentLevel();

// Writes one line {"ts":…,"level":…,"event":…,<fields>} when `level` is enabled. Fields whose
// names suggest a secret are redacted before formatting.
void Write(Level level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

inline void Debug(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
  Write(Level::kDebug, event, std::move(fields));
}
inline void Info(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
  Write(Level::kInfo, event, std::move(fields));
}
inline void Warn(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
  Write(Level::kWarn, event, std::move(fields));
}
inline void Error(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
  Write(Level::kError, event, std::move(fields));
}

// Returns `value` with every member whose name ends in a secret word (secret, token, password,
// signature, authorization, credential, private key, SAS, assertion) replaced by "[redacted]",
// recursively. Names that only contain such a word, like "aws:TokenIssueTime", are kept.
nlohmann::json Redact(const nlohmann::json& value);

// Formats the line Write would emit, without the timestamp check; exposed for tests.
std::string FormatLine(Level level, std::string_view event, const nlohmann::json& fields);

}  // namespace cordon::log
