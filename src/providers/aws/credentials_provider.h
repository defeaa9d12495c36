// Where cordon finds AWS credentials and the default region: the standard chain of the AWS SDKs
// for static keys (environment variables, then the shared credentials and config files).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "providers/aws/credentials.h"
#include "providers/aws/environment.h"

namespace cordon::aws {

// Sections of an INI file by name, each mapping lower-cased keys to values.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;

// Parses the AWS shared-file INI dialect: "[section]" headers, "key = value" (or "key: value")
// lines, whole-line comments starting with '#' or ';', and inline comments that start with
// whitespace then '#' or ';'. An indented line under a key whose value is empty is a nested
// setting ("s3 =" then "  addressing_style = path") and is stored as "s3.addressing_style".
// Lines it cannot read and keys before the first section are ignored. Pure.
IniFile ParseIni(std::string_view text);

// Resolves static credentials, first match wins:
//   1. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN, or the legacy
//      AWS_SECURITY_TOKEN);
//   2. the profile AWS_PROFILE (else AWS_DEFAULT_PROFILE, else "default") in the shared
//      credentials file (AWS_SHARED_CREDENTIALS_FILE, default $HOME/.aws/credentials), section
//      "[NAME]";
//   3. the same profile in the config file (AWS_CONFIG_FILE, default $HOME/.aws/config), section
//      "[profile NAME]" (or "[default]").
// A leading "~/" in a file path means $HOME. Credentials::source names where the keys came from.
// Fails with kInvalidInput, saying what was tried, when nothing matched, when only half a key
// pair is set, or when the profile relies on something not supported (assume-role, SSO,
// credential_process). Reads files; thread-safe.
Result<Credentials> ResolveCredentials(const Environment& env);

// The default region: AWS_REGION, then AWS_DEFAULT_REGION, then `region` in the profile (chosen
// as above) of the config file. Fails with kInvalidInput, saying what was tried, when none is set.
// Reads files; thread-safe.
Result<std::string> ResolveRegion(const Environment& env);

}  // namespace cordon::aws
