#include "providers/aws/cloudtrail_client.h"

#include <array>
#include <cmath>
#include <utility>

#include "providers/aws/json_reader.h"

namespace cordon::aws {
namespace {

constexpr std::string_view kService = "cloudtrail";
constexpr int kPageSize = 50;  // the most LookupEvents returns per page

constexpr std::array<std::string_view, 8> kAttributeKeys{
    "EventId",      "EventName",    "ReadOnly",    "Username",
    "ResourceType", "ResourceName", "EventSource", "AccessKeyId"};

bool IsAttributeKey(std::string_view key) {
  for (const std::string_view known : kAttributeKeys) {
    if (known == key) {
      return true;
    }
  }
  return false;
}

// Timestamps travel as epoch seconds in the JSON protocol: whole seconds as an integer (as the
// SDKs send them), else with the milliseconds.
nlohmann::json EpochSeconds(std::chrono::system_clock::time_point time) {
  const long long millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  if (millis % 1000 == 0) {
    return millis / 1000;
  }
  return static_cast<double>(millis) / 1000.0;
}

std::chrono::system_clock::time_point FromEpochSeconds(double seconds) {
  const auto millis = static_cast<long long>(std::llround(seconds * 1000.0));
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(millis));
}

CloudTrailEvent ParseEvent(JsonReader& in, const nlohmann::json& item) {
  CloudTrailEvent event;
  if (!item.is_object()) {
    in.Problem("an event is not an object");
    return event;
  }
  event.event_id = in.Required(item, "EventId", "event");
  event.event_name = in.String(item, "EventName");
  event.event_source = in.String(item, "EventSource");
  event.username = in.String(item, "Username");
  if (const std::optional<double> time = in.Number(item, "EventTime")) {
    event.event_time = FromEpochSeconds(*time);
  } else {
    in.Problem("event " + event.event_id + " has no EventTime");
  }
  const std::string record = in.String(item, "CloudTrailEvent");
  if (!record.empty()) {
    event.record = nlohmann::json::parse(record, nullptr, /*allow_exceptions=*/false);
    if (event.record.is_discarded()) {
      event.record = nullptr;
    }
  }
  event.raw = item;
  return event;
}

}  // namespace

Result<std::vector<CloudTrailEvent>> CloudTrailClient::LookupEvents(
    const LookupAttribute& attribute, std::chrono::system_clock::time_point start,
    std::chrono::system_clock::time_point end) const {
  if (!IsAttributeKey(attribute.key)) {
    return Fail(ErrorKind::kInvalidInput,
                "\"" + attribute.key + "\" is not a CloudTrail lookup attribute");
  }
  if (attribute.value.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "a CloudTrail lookup by " + attribute.key + " needs a value");
  }
  if (start > end) {
    return Fail(ErrorKind::kInvalidInput,
                "a CloudTrail lookup window must not end before it starts");
  }

  nlohmann::json lookup = nlohmann::json::object();
  lookup["AttributeKey"] = attribute.key;
  lookup["AttributeValue"] = attribute.value;
  nlohmann::json request = nlohmann::json::object();
  request["LookupAttributes"] = nlohmann::json::array();
  request["LookupAttributes"].push_back(std::move(lookup));
  request["StartTime"] = EpochSeconds(start);
  request["EndTime"] = EpochSeconds(end);
  request["MaxResults"] = kPageSize;
  auto fetch_page = [&](const std::string& token) -> Result<JsonPage<CloudTrailEvent>> {
    nlohmann::json page_request = request;
    if (!token.empty()) {
      page_request["NextToken"] = token;
    }
    auto response = api_->Json(kService, "LookupEvents", page_request);
    if (!response) {
      return Fail(response.error());
    }
    JsonReader in("cloudtrail:LookupEvents", response->request_id);
    JsonPage<CloudTrailEvent> page;
    for (const nlohmann::json& item : in.Array(response->body, "Events")) {
      page.items.push_back(ParseEvent(in, item));
    }
    page.next_token = in.String(response->body, "NextToken");
    page.request_id = response->request_id;
    return in.Finish(std::move(page));
  };
  return CollectPages<CloudTrailEvent>("LookupEvents", fetch_page);
}

}  // namespace cordon::aws
