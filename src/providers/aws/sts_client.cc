#include "providers/aws/sts_client.h"

#include <cctype>
#include <charconv>
#include <string_view>

#include "providers/aws/query_protocol.h"
#include "providers/aws/response_reader.h"

namespace cordon::aws {
namespace {

constexpr int kMinDurationSeconds = 900;
constexpr int kMaxDurationSeconds = 43200;

// STS's pattern for session names and external ids: word characters and `extra`.
bool AllowedCharacters(std::string_view text, std::string_view extra) {
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' &&
        extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Why STS would refuse `request`, or "" when it looks acceptable.
std::string RequestProblem(const AssumeRoleRequest& request) {
  const std::string_view arn = request.role_arn;
  if (arn.substr(0, 4) != "arn:" || arn.find(":iam::") == std::string_view::npos ||
      arn.find(":role/") == std::string_view::npos) {
    return "'" + request.role_arn + "' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)";
  }
  const std::string& session = request.role_session_name;
  if (session.size() < 2 || session.size() > 64 || !AllowedCharacters(session, "+=,.@-")) {
    return "session name '" + session +
           "' must be 2 to 64 letters, digits or any of _+=,.@- characters";
  }
  const std::string& external = request.external_id;
  if (!external.empty() &&
      (external.size() < 2 || external.size() > 1224 || !AllowedCharacters(external, "+=,.@:/-"))) {
    return "the external id must be 2 to 1224 letters, digits or any of _+=,.@:/- characters";
  }
  if (request.duration_seconds && (*request.duration_seconds < kMinDurationSeconds ||
                                   *request.duration_seconds > kMaxDurationSeconds)) {
    return "the duration must be 900 to 43200 seconds, not " +
           std::to_string(*request.duration_seconds);
  }
  return {};
}

// Reads `width` digits at `pos` of `text`; nullopt when they are not all digits.
std::optional<int> Digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  const char* begin = text.data() + pos;
  const auto [end, error] = std::from_chars(begin, begin + width, value);
  if (error != std::errc() || end != begin + width) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseAwsTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto year = Digits(text, 0, 4);
  const auto month = Digits(text, 5, 2);
  const auto day = Digits(text, 8, 2);
  const auto hour = Digits(text, 11, 2);
  const auto minute = Digits(text, 14, 2);
  const auto second = Digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    const size_t digits_start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    if (pos == digits_start) {
      return std::nullopt;
    }
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00") {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  // Fractions of a second are dropped: a refresh decision needs no finer time.
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

Result<CallerIdentity> StsClient::GetCallerIdentity() const {
  auto response = api_->Query("sts", "GetCallerIdentity", {});
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("sts:GetCallerIdentity", response->request_id);
  const pugi::xml_node root = in.Root(*response, "GetCallerIdentity");
  const pugi::xml_node result = in.RequiredNode(root, "GetCallerIdentityResult", "response");
  CallerIdentity identity{in.Required(result, "Account", "result"),
                          in.Required(result, "Arn", "result"), in.Text(result, "UserId")};
  return in.Finish(std::move(identity));
}

Result<AssumedRole> StsClient::AssumeRole(const AssumeRoleRequest& request) const {
  if (std::string problem = RequestProblem(request); !problem.empty()) {
    return Fail(ErrorKind::kInvalidInput, "AssumeRole: " + problem);
  }
  QueryParams params = {{"RoleArn", request.role_arn},
                        {"RoleSessionName", request.role_session_name}};
  if (request.duration_seconds) {
    params.emplace_back("DurationSeconds", std::to_string(*request.duration_seconds));
  }
  if (!request.external_id.empty()) {
    params.emplace_back("ExternalId", request.external_id);
  }

  auto response = api_->Query("sts", "AssumeRole", params);
  if (!response) {
    return tl::unexpected(response.error());
  }
  ResponseReader in("sts:AssumeRole", response->request_id);
  const pugi::xml_node result = QueryResult(in, *response, "AssumeRole");
  const pugi::xml_node credentials = in.RequiredNode(result, "Credentials", "result");
  AssumedRole role;
  role.credentials.access_key_id = in.Required(credentials, "AccessKeyId", "credentials");
  role.credentials.secret_access_key = in.Required(credentials, "SecretAccessKey", "credentials");
  role.credentials.session_token = in.Required(credentials, "SessionToken", "credentials");
  role.credentials.source = "sts:AssumeRole " + request.role_arn;
  role.expiration = in.Required(credentials, "Expiration", "credentials");
  role.assumed_role_arn = in.Required(result, "AssumedRoleUser/Arn", "result");
  role.assumed_role_id = in.Text(result, "AssumedRoleUser/AssumedRoleId");
  role.request_id = response->request_id;
  if (const auto expires_at = ParseAwsTimestamp(role.expiration)) {
    role.expires_at = *expires_at;
  } else if (!role.expiration.empty()) {
    in.Problem("credentials Expiration '" + role.expiration + "' is not an ISO 8601 UTC time");
  }
  return in.Finish(std::move(role));
}

}  // namespace cordon::aws
