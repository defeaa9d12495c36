#include "providers/aws/credentials_provider.h"

#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

namespace cordon::aws {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Cuts an inline comment: '#' or ';' preceded by whitespace.
std::string_view WithoutInlineComment(std::string_view value) {
  for (size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && IsSpace(value[i - 1])) {
      return Trim(value.substr(0, i));
    }
  }
  return value;
}

// One profile file as read: its sections, or why it could not be read.
struct ProfileFile {
  std::string path;
  std::optional<IniFile> sections;  // nullopt when unreadable or absent
  std::string problem;              // "file not found", ...
};

std::string ExpandHome(const std::string& path, const Environment& env) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const std::string home = EnvironmentValue(env, "HOME");
    if (!home.empty()) {
      return home + path.substr(1);
    }
  }
  return path;
}

ProfileFile LoadProfileFile(const Environment& env, const std::string& variable,
                            const std::string& default_name) {
  ProfileFile file;
  std::string path = EnvironmentValue(env, variable);
  if (path.empty()) {
    const std::string home = EnvironmentValue(env, "HOME");
    if (home.empty()) {
      file.path = "~/.aws/" + default_name;
      file.problem = "HOME is not set";
      return file;
    }
    path = home + "/.aws/" + default_name;
  }
  file.path = ExpandHome(path, env);

  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    file.problem = "file not found or unreadable";
    return file;
  }
  std::ostringstream text;
  text << in.rdbuf();
  file.sections = ParseIni(text.str());
  return file;
}

std::string ProfileName(const Environment& env) {
  for (const char* variable : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
    if (std::string name = EnvironmentValue(env, variable); !name.empty()) {
      return name;
    }
  }
  return "default";
}

// The profile's settings in a credentials file ("[NAME]") or config file ("[profile NAME]",
// or "[default]" for the default profile); nullptr when absent.
const std::map<std::string, std::string>* FindProfile(const ProfileFile& file,
                                                      const std::string& name, bool config) {
  if (!file.sections) {
    return nullptr;
  }
  std::vector<std::string> candidates;
  if (!config) {
    candidates = {name};
  } else if (name == "default") {
    candidates = {"profile default", "default"};
  } else {
    candidates = {"profile " + name};
  }
  for (const auto& candidate : candidates) {
    if (auto found = file.sections->find(candidate); found != file.sections->end()) {
      return &found->second;
    }
  }
  return nullptr;
}

std::string Get(const std::map<std::string, std::string>& settings, const std::string& key) {
  const auto found = settings.find(key);
  return found == settings.end() ? std::string() : found->second;
}

// Static keys from one profile; nullopt when it has none, an error when they are incomplete or
// the profile needs a provider cordon lacks.
Result<std::optional<Credentials>> CredentialsFromProfile(
    const std::map<std::string, std::string>& settings, const std::string& where) {
  Credentials credentials;
  credentials.access_key_id = Get(settings, "aws_access_key_id");
  credentials.secret_access_key = Get(settings, "aws_secret_access_key");
  credentials.session_token = Get(settings, "aws_session_token");
  if (credentials.session_token.empty()) {
    credentials.session_token = Get(settings, "aws_security_token");
  }
  if (!credentials.access_key_id.empty() && !credentials.secret_access_key.empty()) {
    credentials.source = where;
    return std::optional<Credentials>(std::move(credentials));
  }
  if (!credentials.access_key_id.empty() || !credentials.secret_access_key.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                where + " has only one of aws_access_key_id and aws_secret_access_key");
  }
  for (const char* key : {"role_arn", "credential_process", "sso_session", "sso_start_url",
                          "web_identity_token_file"}) {
    if (settings.count(key) != 0) {
      return Fail(ErrorKind::kInvalidInput,
                  where + " uses " + key +
                      ", which cordon does not support yet; give it static keys "
                      "(aws_access_key_id, aws_secret_access_key) or set AWS_ACCESS_KEY_ID and "
                      "AWS_SECRET_ACCESS_KEY");
    }
  }
  return std::optional<Credentials>();
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    out += (out.empty() ? "" : "; ") + part;
  }
  return out;
}

}  // namespace

IniFile ParseIni(std::string_view text) {
  IniFile sections;
  std::map<std::string, std::string>* section = nullptr;
  std::string parent_key;  // the last key with an empty value, for nested settings

  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);

    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      continue;
    }
    if (line.front() == '[') {
      const size_t close = line.find(']');
      if (close == std::string_view::npos) {
        section = nullptr;
        continue;
      }
      section = &sections[std::string(Trim(line.substr(1, close - 1)))];
      parent_key.clear();
      continue;
    }
    const size_t separator = line.find_first_of("=:");
    if (section == nullptr || separator == std::string_view::npos || separator == 0) {
      continue;
    }
    std::string key = Lower(Trim(line.substr(0, separator)));
    const std::string value(WithoutInlineComment(Trim(line.substr(separator + 1))));
    if (indented && !parent_key.empty()) {
      key.insert(0, parent_key + ".");
    } else {
      parent_key = value.empty() ? key : std::string();
    }
    (*section)[key] = value;
  }
  return sections;
}

Result<Credentials> ResolveCredentials(const Environment& env) {
  std::vector<std::string> tried;

  const std::string key_id = EnvironmentValue(env, "AWS_ACCESS_KEY_ID");
  const std::string secret = EnvironmentValue(env, "AWS_SECRET_ACCESS_KEY");
  if (!key_id.empty() && !secret.empty()) {
    std::string token = EnvironmentValue(env, "AWS_SESSION_TOKEN");
    if (token.empty()) {
      token = EnvironmentValue(env, "AWS_SECURITY_TOKEN");
    }
    return Credentials{key_id, secret, std::move(token), "environment"};
  }
  if (!key_id.empty() || !secret.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                std::string(key_id.empty() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                    " is set but " +
                    (key_id.empty() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                    " is not; set both");
  }
  tried.emplace_back("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (unset)");

  const std::string profile = ProfileName(env);
  const ProfileFile credentials_file =
      LoadProfileFile(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  const ProfileFile config_file = LoadProfileFile(env, "AWS_CONFIG_FILE", "config");
  for (const auto* file : {&credentials_file, &config_file}) {
    const bool config = file == &config_file;
    const std::string where = "profile \"" + profile + "\" in " +
                              (config ? "config file " : "credentials file ") + file->path;
    const auto* settings = FindProfile(*file, profile, config);
    if (settings == nullptr) {
      tried.push_back(where + " (" + (file->sections ? "no such profile" : file->problem) + ")");
      continue;
    }
    auto found = CredentialsFromProfile(*settings, where);
    if (!found) {
      return Fail(found.error());
    }
    if (*found) {
      return std::move(**found);
    }
    tried.push_back(where + " (no aws_access_key_id)");
  }

  return Fail(ErrorKind::kInvalidInput,
              "no AWS credentials found; tried " + Joined(tried) +
                  ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a profile with "
                  "static keys through AWS_PROFILE (instance metadata, SSO and assume-role are "
                  "not supported yet)");
}

Result<std::string> ResolveRegion(const Environment& env) {
  for (const char* variable : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string region = EnvironmentValue(env, variable); !region.empty()) {
      return region;
    }
  }

  const std::string profile = ProfileName(env);
  const ProfileFile config_file = LoadProfileFile(env, "AWS_CONFIG_FILE", "config");
  const std::string where = "profile \"" + profile + "\" in config file " + config_file.path;
  std::string problem = config_file.sections ? "no such profile" : config_file.problem;
  if (const auto* settings = FindProfile(config_file, profile, true); settings != nullptr) {
    if (std::string region = Get(*settings, "region"); !region.empty()) {
      return region;
    }
    problem = "no region setting";
  }
  return Fail(ErrorKind::kInvalidInput,
              "no AWS region configured; tried AWS_REGION, AWS_DEFAULT_REGION and " + where + " (" +
                  problem + "). Pass --region or set AWS_REGION");
}

}  // namespace cordon::aws
