#include "providers/aws/endpoints.h"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace cordon::aws {
namespace {

struct ServiceInfo {
  std::string_view id;          // cordon's id and the endpoint prefix
  std::string_view env_suffix;  // AWS_ENDPOINT_URL_<this>
  std::string_view signing_name;
  bool global;  // one endpoint per partition (IAM)
};

constexpr std::array<ServiceInfo, 9> kServices{{
    {"iam", "IAM", "iam", true},
    {"sts", "STS", "sts", false},
    {"ec2", "EC2", "ec2", false},
    {"s3", "S3", "s3", false},
    {"lambda", "LAMBDA", "lambda", false},
    {"cloudtrail", "CLOUDTRAIL", "cloudtrail", false},
    {"ssm", "SSM", "ssm", false},
    {"autoscaling", "AUTO_SCALING", "autoscaling", false},
    {"elasticloadbalancing", "ELASTIC_LOAD_BALANCING_V2", "elasticloadbalancing", false},
}};

const ServiceInfo* FindService(std::string_view id) {
  for (const auto& service : kServices) {
    if (service.id == id) {
      return &service;
    }
  }
  return nullptr;
}

// "us-east-1", "cn-north-1", "us-gov-west-1", "eu-central-2": lower-case letters, digits and
// inner hyphens, so a region can never change which host a default endpoint names.
bool IsValidRegion(std::string_view region) {
  if (region.empty() || region.size() > 64 || region.front() == '-' || region.back() == '-') {
    return false;
  }
  for (char c : region) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

bool IsIpv4Loopback(std::string_view host) {
  int octets = 0;
  while (!host.empty()) {
    const size_t dot = host.find('.');
    const std::string_view part = host.substr(0, dot);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || part.size() > 3 || error != std::errc() ||
        end != part.data() + part.size() || value > 255 || (octets == 0 && value != 127)) {
      return false;
    }
    ++octets;
    host = dot == std::string_view::npos ? std::string_view() : host.substr(dot + 1);
    if (dot != std::string_view::npos && host.empty()) {
      return false;
    }
  }
  return octets == 4;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Checks an override and returns it normalised (lower-case scheme, no trailing slash).
Result<std::string> ValidateOverride(const std::string& variable, const std::string& value) {
  auto invalid = [&](const std::string& why) {
    // The value is echoed only when it cannot carry user info (a password).
    const std::string shown = value.find('@') == std::string::npos ? " (\"" + value + "\")" : "";
    return Fail(ErrorKind::kInvalidInput,
                variable + shown + " is not a usable endpoint URL: " + why +
                    ". Expected https://HOST[:PORT][/PATH], or http://HOST[:PORT][/PATH] with a "
                    "loopback HOST (127.0.0.1, localhost or [::1])");
  };

  const size_t scheme_end = value.find("://");
  if (scheme_end == std::string::npos) {
    return invalid("no scheme");
  }
  const std::string scheme = Lower(std::string_view(value).substr(0, scheme_end));
  if (scheme != "https" && scheme != "http") {
    return invalid("scheme \"" + scheme + "\" is neither https nor http");
  }
  const std::string_view rest = std::string_view(value).substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return invalid("it has a query or fragment");
  }
  const size_t authority_end = rest.find('/');
  const std::string_view authority = rest.substr(0, authority_end);
  std::string_view path =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return invalid("it carries user info");
  }

  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return invalid("unclosed IPv6 address");
    }
    const std::string_view after = host.substr(close + 1);
    if (!after.empty() && after.front() != ':') {
      return invalid("text after the IPv6 address");
    }
    has_port = !after.empty();
    port = has_port ? after.substr(1) : after;
    host = host.substr(0, close + 1);
    for (char c : host.substr(1, host.size() - 2)) {
      if (std::isxdigit(static_cast<unsigned char>(c)) == 0 && c != ':' && c != '.') {
        return invalid("the IPv6 address has a character that is not allowed");
      }
    }
  } else if (const size_t colon = host.find(':'); colon != std::string_view::npos) {
    has_port = true;
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty() || host == "[]") {
    return invalid("no host");
  }
  if (host.front() != '[') {
    for (char c : host) {
      if (!IsHostChar(c)) {
        return invalid("the host has a character that is not allowed");
      }
    }
  }
  if (has_port) {
    unsigned number = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || number == 0 ||
        number > 65535) {
      return invalid("bad port");
    }
  }
  if (scheme == "http" && !IsLoopbackHost(Lower(host))) {
    return invalid("plain http is allowed only to a loopback host");
  }

  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  return scheme + "://" + std::string(authority) + std::string(path);
}

bool IsTrue(const std::string& value) { return Lower(value) == "true"; }

Endpoint DefaultEndpoint(const ServiceInfo& service, const std::string& region) {
  const bool china = region.rfind("cn-", 0) == 0;
  const bool gov = region.rfind("us-gov-", 0) == 0;
  const std::string suffix = china ? "amazonaws.com.cn" : "amazonaws.com";
  if (service.global) {
    if (china) {
      return {"https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "iam"};
    }
    if (gov) {
      return {"https://iam.us-gov.amazonaws.com", "us-gov-west-1", "iam"};
    }
    return {"https://iam.amazonaws.com", "us-east-1", "iam"};
  }
  return {"https://" + std::string(service.id) + "." + region + "." + suffix, region,
          std::string(service.signing_name)};
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "[::1]" || IsIpv4Loopback(host);
}

EndpointResolver::EndpointResolver(Environment env) : env_(std::move(env)) {}

Result<Endpoint> EndpointResolver::Resolve(std::string_view service_id,
                                           std::string_view region_name) const {
  const ServiceInfo* service = FindService(service_id);
  if (service == nullptr) {
    return Fail(ErrorKind::kInternal,
                "no endpoint is known for AWS service \"" + std::string(service_id) + "\"");
  }
  const std::string region(region_name);
  if (!IsValidRegion(region)) {
    return Fail(ErrorKind::kInvalidInput,
                "\"" + region + "\" is not a valid AWS region name (expected e.g. us-east-1)");
  }
  Endpoint endpoint = DefaultEndpoint(*service, region);

  if (IsTrue(EnvironmentValue(env_, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    return endpoint;
  }
  for (const std::string& variable :
       {"AWS_ENDPOINT_URL_" + std::string(service->env_suffix), std::string("AWS_ENDPOINT_URL")}) {
    const std::string value = EnvironmentValue(env_, variable);
    if (value.empty()) {
      continue;
    }
    auto url = ValidateOverride(variable, value);
    if (!url) {
      return Fail(url.error());
    }
    endpoint.url = std::move(*url);
    return endpoint;
  }
  return endpoint;
}

}  // namespace cordon::aws
