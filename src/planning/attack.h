// MITRE ATT&CK (Enterprise) techniques cordon names, and which GuardDuty finding types and
// Security Hub (ASFF) Types suggest them. Used to label plans and by `cordon techniques`. Static
// data; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::planning {

// One technique or sub-technique, e.g. {"T1078.004", "Valid Accounts: Cloud Accounts"}.
struct Technique {
  std::string_view id;
  std::string_view name;
};

// GuardDuty finding types matching `pattern` suggest `techniques`. A pattern is an exact type
// ("UnauthorizedAccess:EC2/SSHBruteForce") or a prefix ending in '*' ("CryptoCurrency:EC2/*").
struct FindingTypeRule {
  std::string_view pattern;
  std::vector<std::string_view> techniques;
};

// Every technique cordon names (in plans or finding rules), ordered by id.
const std::vector<Technique>& KnownTechniques();

// The name of a technique id, or nullopt when cordon does not know it.
std::optional<std::string_view> TechniqueName(std::string_view id);

// Every GuardDuty rule, ordered by pattern.
const std::vector<FindingTypeRule>& GuardDutyTypeRules();

// Every ASFF Types rule: a pattern is a namespace/category ("TTPs/Discovery") and matches that
// type and every type below it ("TTPs/Discovery/Recon:EC2-Portscan"). Ordered by pattern.
// Unusual Behaviors, Software and Configuration Checks and Sensitive Data Identifications have
// no rule: they describe an anomaly, a posture or a kind of data, not an adversary's technique.
const std::vector<FindingTypeRule>& SecurityHubTypeRules();

// The techniques that ASFF `types` suggest: those of every matching rule, each id once, in the
// order the types and rules give them. Empty when none matches. For a GuardDuty finding read
// from Security Hub, GuardDutyTechniques of its GuardDuty type is the more specific answer.
std::vector<std::string> SecurityHubTechniques(const std::vector<std::string>& types);

// The techniques that GuardDuty finding `type` suggests: those of the most specific (longest)
// matching rule; an exact match beats every prefix. Empty when no rule matches.
std::vector<std::string> GuardDutyTechniques(std::string_view type);

}  // namespace cordon::planning
