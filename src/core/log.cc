#include "core/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>

namespace cordon::log {
namespace {

std::atomic<Level> g_level{Level::kWarn};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
    case Level::kOff:
      return "off";
  }
  return "info";
}

// A member holds a secret when its name, lower-cased with punctuation removed, ends with one of
// these words. Matching the end (not anywhere) keeps names such as "aws:TokenIssueTime",
// "PasswordLastUsed" or "DisassociateAddress" readable, which policies and prior state need.
bool LooksSecret(const std::string& name) {
  std::string folded;
  for (unsigned char c : name) {
    if (std::isalnum(c) != 0) {
      folded.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  for (std::string_view word : {"secret", "secretkey", "secretaccesskey", "token", "password",
                                "passwd", "signature", "authorization", "privatekey", "credential",
                                "credentials", "sas", "sastoken", "assertion", "cookie"}) {
    if (folded.size() >= word.size() &&
        folded.compare(folded.size() - word.size(), word.size(), word) == 0) {
      return true;
    }
  }
  return false;
}

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03dZ", buf, static_cast<int>(ms.count() % 1000));
  return out;
}

spdlog::logger& Sink() {
  // One stderr logger that prints our preformatted line as is.
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto l = std::make_shared<spdlog::logger>("cordon", sink);
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

}  // namespace

bool ParseLevel(std::string_view text, Level& level) {
  for (Level l : {Level::kDebug, Level::kInfo, Level::kWarn, Level::kError, Level::kOff}) {
    if (text == LevelName(l)) {
      level = l;
      return true;
    }
  }
  return false;
}

void SetLevel(Level level) { g_level.store(level); }

Level CurrentLevel() { return g_level.load(); }

nlohmann::json Redact(const nlohmann::json& value) {
  if (value.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : value) {
      out.push_back(Redact(item));
    }
    return out;
  }
  if (!value.is_object()) {
    return value;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, item] : value.items()) {
    out[key] = LooksSecret(key) ? nlohmann::json("[redacted]") : Redact(item);
  }
  return out;
}

std::string FormatLine(Level level, std::string_view event, const nlohmann::json& fields) {
  nlohmann::json line = {
      {"ts", NowRfc3339()}, {"level", LevelName(level)}, {"event", std::string(event)}};
  if (fields.is_object()) {
    const nlohmann::json redacted = Redact(fields);
    for (const auto& [key, item] : redacted.items()) {
      line[key] = item;
    }
  }
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Write(Level level, std::string_view event, nlohmann::json fields) {
  if (level < g_level.load() || level == Level::kOff) {
    return;
  }
  Sink().info(FormatLine(level, event, fields));
}

}  // namespace cordon::log
