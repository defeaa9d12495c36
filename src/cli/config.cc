#include "cli/config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cordon::cli {
namespace {

tl::unexpected<Error> BadKey(const std::string& name, const std::string& key,
                             const std::string& expected) {
  return Fail(ErrorKind::kInvalidInput,
              "config " + name + ": key \"" + key + "\" must be " + expected);
}

Result<std::vector<std::string>> StringArray(const toml::table& table, const std::string& key,
                                             const std::string& name) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    return out;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    return BadKey(name, key, "an array of strings, e.g. [\"arn:aws:iam::123456789012:role/IR\"]");
  }
  for (const auto& item : *array) {
    auto value = item.value<std::string>();
    if (!value || value->empty()) {
      return BadKey(name, key, "an array of non-empty strings");
    }
    out.push_back(*value);
  }
  return out;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

Result<int> ParseConcurrency(const std::string& text, const std::string& where) {
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 1 || value > 1024) {
    return Fail(ErrorKind::kInvalidInput,
                where + " must be a whole number from 1 to 1024, got \"" + text + "\"");
  }
  return static_cast<int>(value);
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

Result<Config> ParseConfig(const std::string& text, const std::string& name) {
  toml::table table;
  try {
    table = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return Fail(ErrorKind::kInvalidInput, "config " + name + " is not valid TOML at " +
                                              where.str() + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    if (k != "responders" && k != "protected" && k != "concurrency" &&
        k != "memory_capture_command" && k != "evidence_bucket" && k != "evidence_retention_days") {
      return BadKey(name, k,
                    "one of responders, protected, concurrency, memory_capture_command, "
                    "evidence_bucket, evidence_retention_days (unknown key)");
    }
  }
  Config config;
  config.source = name;
  auto responders = StringArray(table, "responders", name);
  if (!responders) {
    return Fail(responders.error());
  }
  config.responders = std::move(*responders);
  auto protect = StringArray(table, "protected", name);
  if (!protect) {
    return Fail(protect.error());
  }
  config.protected_principals = std::move(*protect);
  if (const toml::node* node = table.get("concurrency")) {
    auto value = node->value<int64_t>();
    if (!value || *value < 1 || *value > 1024) {
      return BadKey(name, "concurrency", "a whole number from 1 to 1024");
    }
    config.concurrency = static_cast<int>(*value);
  }
  if (const toml::node* node = table.get("memory_capture_command")) {
    auto value = node->value<std::string>();
    if (!value) {
      return BadKey(name, "memory_capture_command", "a string, e.g. \"avml /var/tmp/mem.lime\"");
    }
    config.memory_capture_command = *value;
  }
  if (const toml::node* node = table.get("evidence_bucket")) {
    auto value = node->value<std::string>();
    if (!value || value->empty()) {
      return BadKey(name, "evidence_bucket", "a bucket name, e.g. \"ir-evidence-123456789012\"");
    }
    config.evidence_bucket = *value;
  }
  if (const toml::node* node = table.get("evidence_retention_days")) {
    auto value = node->value<int64_t>();
    if (!value || *value < 1 || *value > 36500) {
      return BadKey(name, "evidence_retention_days", "a whole number of days from 1 to 36500");
    }
    config.evidence_retention_days = static_cast<int>(*value);
  }
  return config;
}

Result<Config> LoadConfig(const std::string& path, const EnvLookup& env) {
  std::string file = path;
  bool explicit_file = !file.empty();
  if (file.empty()) {
    if (auto named = env("CORDON_CONFIG"); named && !named->empty()) {
      file = *named;
      explicit_file = true;
    } else if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
      file = *xdg + "/cordon/config.toml";
    } else if (auto home = env("HOME"); home && !home->empty()) {
      file = *home + "/.config/cordon/config.toml";
    }
  }

  Config config;
  std::error_code ec;
  if (!file.empty() && std::filesystem::exists(file, ec)) {
    if (!std::filesystem::is_regular_file(file, ec)) {
      return Fail(ErrorKind::kInvalidInput,
                  "config " + file + " is not a file (expected a TOML file, see --help)");
    }
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      return Fail(ErrorKind::kInvalidInput, "config " + file + " could not be read");
    }
    auto parsed = ParseConfig(text.str(), file);
    if (!parsed) {
      return parsed;
    }
    config = std::move(*parsed);
  } else if (explicit_file) {
    return Fail(ErrorKind::kInvalidInput,
                "config file " + file + " does not exist (expected a TOML file, see --help)");
  }

  if (auto value = env("CORDON_RESPONDERS"); value && !value->empty()) {
    config.responders = SplitCommas(*value);
  }
  if (auto value = env("CORDON_PROTECTED"); value && !value->empty()) {
    config.protected_principals = SplitCommas(*value);
  }
  if (auto value = env("CORDON_CONCURRENCY"); value && !value->empty()) {
    auto concurrency = ParseConcurrency(*value, "CORDON_CONCURRENCY");
    if (!concurrency) {
      return Fail(concurrency.error());
    }
    config.concurrency = *concurrency;
  }
  if (auto value = env("CORDON_EVIDENCE_BUCKET"); value && !value->empty()) {
    config.evidence_bucket = *value;
  }
  if (auto value = env("CORDON_EVIDENCE_RETENTION_DAYS"); value && !value->empty()) {
    char* end = nullptr;
    const long days = std::strtol(value->c_str(), &end, 10);
    if (*end != '\0' || days < 1 || days > 36500) {
      return Fail(ErrorKind::kInvalidInput,
                  "CORDON_EVIDENCE_RETENTION_DAYS must be a whole number of days from 1 to 36500, "
                  "got \"" +
                      *value + "\"");
    }
    config.evidence_retention_days = static_cast<int>(days);
  }
  return config;
}

}  // namespace cordon::cli
