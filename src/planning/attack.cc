#include "planning/attack.h"

#include <algorithm>

namespace cordon::planning {
namespace {

// Names as ATT&CK Enterprise spells them; a sub-technique carries its parent's name first.
const std::vector<Technique>& Techniques() {
  static const std::vector<Technique> techniques = {
      {"T1021.007", "Remote Services: Cloud Services"},
      {"T1041", "Exfiltration Over C2 Channel"},
      {"T1046", "Network Service Discovery"},
      {"T1048", "Exfiltration Over Alternative Protocol"},
      {"T1059", "Command and Scripting Interpreter"},
      {"T1071", "Application Layer Protocol"},
      {"T1071.003", "Application Layer Protocol: Mail Protocols"},
      {"T1071.004", "Application Layer Protocol: DNS"},
      {"T1078", "Valid Accounts"},
      {"T1078.004", "Valid Accounts: Cloud Accounts"},
      {"T1087.004", "Account Discovery: Cloud Account"},
      {"T1090.003", "Proxy: Multi-hop Proxy"},
      {"T1098", "Account Manipulation"},
      {"T1098.003", "Account Manipulation: Additional Cloud Roles"},
      {"T1105", "Ingress Tool Transfer"},
      {"T1110", "Brute Force"},
      {"T1204", "User Execution"},
      {"T1485", "Data Destruction"},
      {"T1496", "Resource Hijacking"},
      {"T1498", "Network Denial of Service"},
      {"T1530", "Data from Cloud Storage"},
      {"T1537", "Transfer Data to Cloud Account"},
      {"T1552", "Unsecured Credentials"},
      {"T1552.005", "Unsecured Credentials: Cloud Instance Metadata API"},
      {"T1555.006", "Credentials from Password Stores: Cloud Secrets Management Stores"},
      {"T1562.008", "Impair Defenses: Disable or Modify Cloud Logs"},
      {"T1571", "Non-Standard Port"},
      {"T1572", "Protocol Tunneling"},
      {"T1578", "Modify Cloud Compute Infrastructure"},
      {"T1580", "Cloud Infrastructure Discovery"},
      {"T1595", "Active Scanning"},
      {"T1619", "Cloud Storage Object Discovery"},
      {"T1648", "Serverless Execution"},
  };
  return techniques;
}

// Family rules first, then the types within a family that mean something more specific.
const std::vector<FindingTypeRule>& Rules() {
  static const std::vector<FindingTypeRule> rules = [] {
    std::vector<FindingTypeRule> list = {
        // EC2 instances.
        {"Backdoor:EC2/*", {"T1071", "T1105"}},
        {"Backdoor:EC2/DenialOfService.*", {"T1498"}},
        {"Backdoor:EC2/Spambot", {"T1071.003"}},
        {"Behavior:EC2/*", {"T1071"}},
        {"Behavior:EC2/NetworkPortUnusual", {"T1571"}},
        {"Behavior:EC2/TrafficVolumeUnusual", {"T1048"}},
        {"CryptoCurrency:EC2/*", {"T1496"}},
        {"DefenseEvasion:EC2/*", {"T1071.004"}},
        {"DefenseEvasion:EC2/UnusualDoHActivity", {"T1572"}},
        {"DefenseEvasion:EC2/UnusualDoTActivity", {"T1572"}},
        {"Execution:EC2/*", {"T1204"}},
        {"Impact:EC2/*", {"T1071.004"}},
        {"Impact:EC2/BitcoinDomainRequest.Reputation", {"T1496"}},
        {"Impact:EC2/PortSweep", {"T1046"}},
        {"Impact:EC2/WinRMBruteForce", {"T1110"}},
        {"Recon:EC2/*", {"T1595"}},
        {"Recon:EC2/Portscan", {"T1046"}},
        {"Trojan:EC2/*", {"T1071", "T1105"}},
        {"Trojan:EC2/DNSDataExfiltration", {"T1048", "T1071.004"}},
        {"Trojan:EC2/DropPoint*", {"T1041"}},
        {"UnauthorizedAccess:EC2/*", {"T1071"}},
        {"UnauthorizedAccess:EC2/MetadataDNSRebind", {"T1552.005"}},
        {"UnauthorizedAccess:EC2/RDPBruteForce", {"T1110"}},
        {"UnauthorizedAccess:EC2/SSHBruteForce", {"T1110"}},
        {"UnauthorizedAccess:EC2/TorClient", {"T1090.003"}},
        {"UnauthorizedAccess:EC2/TorRelay", {"T1090.003"}},
        // Access keys (IAM users and assumed roles).
        {"CredentialAccess:IAMUser/*", {"T1552", "T1555.006"}},
        {"DefenseEvasion:IAMUser/*", {"T1562.008"}},
        {"Discovery:IAMUser/*", {"T1580", "T1087.004"}},
        {"Exfiltration:IAMUser/*", {"T1537"}},
        {"Impact:IAMUser/*", {"T1485"}},
        {"InitialAccess:IAMUser/*", {"T1078.004"}},
        {"PenTest:IAMUser/*", {"T1078.004"}},
        {"Persistence:IAMUser/*", {"T1098"}},
        {"Policy:IAMUser/*", {"T1078.004"}},
        {"PrivilegeEscalation:IAMUser/*", {"T1098.003"}},
        {"Recon:IAMUser/*", {"T1580", "T1087.004"}},
        {"Stealth:IAMUser/*", {"T1562.008"}},
        {"UnauthorizedAccess:IAMUser/*", {"T1078.004"}},
        {"UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration*", {"T1552.005", "T1078.004"}},
        {"UnauthorizedAccess:IAMUser/TorIPCaller", {"T1078.004", "T1090.003"}},
        // S3 buckets and the principals acting on them.
        {"Discovery:S3/*", {"T1619"}},
        {"Exfiltration:S3/*", {"T1530", "T1537"}},
        {"Exfiltration:S3/ObjectRead.Unusual", {"T1530"}},
        {"Impact:S3/*", {"T1485"}},
        {"PenTest:S3/*", {"T1530", "T1078.004"}},
        {"Policy:S3/*", {"T1530"}},
        {"Stealth:S3/*", {"T1562.008"}},
        {"UnauthorizedAccess:S3/*", {"T1530", "T1078.004"}},
        {"UnauthorizedAccess:S3/TorIPCaller", {"T1530", "T1090.003"}},
        // Lambda functions: code the adversary runs, or runs to talk out.
        {"Backdoor:Lambda/*", {"T1071", "T1648"}},
        {"CryptoCurrency:Lambda/*", {"T1496", "T1648"}},
        {"Trojan:Lambda/*", {"T1071", "T1648"}},
        {"Trojan:Lambda/DropPoint", {"T1041", "T1648"}},
        {"UnauthorizedAccess:Lambda/*", {"T1071", "T1648"}},
        {"UnauthorizedAccess:Lambda/TorClient", {"T1090.003", "T1648"}},
        {"UnauthorizedAccess:Lambda/TorRelay", {"T1090.003", "T1648"}},
    };
    std::sort(list.begin(), list.end(),
              [](const auto& a, const auto& b) { return a.pattern < b.pattern; });
    return list;
  }();
  return rules;
}

// ASFF Types categories that name a tactic or an effect (the Types taxonomy's TTPs categories
// follow ATT&CK's tactics); each maps to the cloud technique that containment answers.
const std::vector<FindingTypeRule>& AsffRules() {
  static const std::vector<FindingTypeRule> rules = {
      {"Effects/Data Destruction", {"T1485"}},
      {"Effects/Data Exfiltration", {"T1537"}},
      {"Effects/Data Exposure", {"T1530"}},
      {"Effects/Denial of Service", {"T1498"}},
      {"Effects/Resource Consumption", {"T1496"}},
      {"TTPs/Collection", {"T1530"}},
      {"TTPs/Command and Control", {"T1071"}},
      {"TTPs/Credential Access", {"T1552"}},
      {"TTPs/Defense Evasion", {"T1562.008"}},
      {"TTPs/Discovery", {"T1580"}},
      {"TTPs/Execution", {"T1059"}},
      {"TTPs/Initial Access", {"T1078"}},
      {"TTPs/Lateral Movement", {"T1021.007"}},
      {"TTPs/Persistence", {"T1098"}},
      {"TTPs/Privilege Escalation", {"T1098.003"}},
  };
  return rules;
}

// How many characters of `type` the pattern matches, or 0 when it does not match.
size_t MatchLength(std::string_view pattern, std::string_view type) {
  if (pattern.ends_with('*')) {
    const std::string_view prefix = pattern.substr(0, pattern.size() - 1);
    return type.starts_with(prefix) ? prefix.size() : 0;
  }
  return pattern == type ? type.size() + 1 : 0;
}

}  // namespace

const std::vector<Technique>& KnownTechniques() { return Techniques(); }

std::optional<std::string_view> TechniqueName(std::string_view id) {
  for (const auto& technique : Techniques()) {
    if (technique.id == id) {
      return technique.name;
    }
  }
  return std::nullopt;
}

const std::vector<FindingTypeRule>& GuardDutyTypeRules() { return Rules(); }

std::vector<std::string> GuardDutyTechniques(std::string_view type) {
  const FindingTypeRule* best = nullptr;
  size_t best_length = 0;
  for (const auto& rule : Rules()) {
    const size_t length = MatchLength(rule.pattern, type);
    if (length > best_length) {
      best = &rule;
      best_length = length;
    }
  }
  if (best == nullptr) {
    return {};
  }
  return {best->techniques.begin(), best->techniques.end()};
}

const std::vector<FindingTypeRule>& SecurityHubTypeRules() { return AsffRules(); }

std::vector<std::string> SecurityHubTechniques(const std::vector<std::string>& types) {
  std::vector<std::string> techniques;
  for (const auto& type : types) {
    for (const auto& rule : AsffRules()) {
      const bool matches = type == rule.pattern ||
                           (type.starts_with(rule.pattern) && type[rule.pattern.size()] == '/');
      if (!matches) {
        continue;
      }
      for (const auto& id : rule.techniques) {
        if (std::find(techniques.begin(), techniques.end(), id) == techniques.end()) {
          techniques.emplace_back(id);
        }
      }
    }
  }
  return techniques;
}

}  // namespace cordon::planning
