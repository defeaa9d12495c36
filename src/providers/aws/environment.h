// The process environment as a value, so credential, region and endpoint resolution are pure
// functions that tests can feed.
#pragma once

#include <map>
#include <string>

namespace cordon::aws {

using Environment = std::map<std::string, std::string>;

// A copy of the process environment taken now. Not thread-safe against concurrent setenv.
Environment ProcessEnvironment();

// The value of `name`, or "" when it is unset. An empty value counts as unset, as in the AWS SDKs.
std::string EnvironmentValue(const Environment& env, const std::string& name);

}  // namespace cordon::aws
