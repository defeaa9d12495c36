// Typed CloudTrail calls over the JSON 1.1 protocol: the management events of a principal or a
// resource over a time window, for the case's evidence.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "providers/aws/aws_api.h"

namespace cordon::aws {

// What LookupEvents filters on. `key` is one of CloudTrail's: "EventId", "EventName",
// "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId".
struct LookupAttribute {
  std::string key;
  std::string value;
};

// One event as LookupEvents returned it. `raw` is the element of Events[] unchanged (its
// CloudTrailEvent still a string), which is what evidence keeps; `record` is that CloudTrailEvent
// string parsed (the full CloudTrail record), or null when it is absent or not JSON.
// Thread-compatible value.
struct CloudTrailEvent {
  std::string event_id;
  std::string event_name;
  std::string event_source;
  std::string username;
  std::chrono::system_clock::time_point event_time;  // whole seconds and below, as sent
  nlohmann::json raw;
  nlohmann::json record;
};

// A cheap, copyable handle on the CloudTrail API of one region; it holds only a reference to
// `api`, which must outlive it. Thread-safe (no mutable state; `api` is thread-safe).
class CloudTrailClient {
 public:
  explicit CloudTrailClient(AwsApi& api) : api_(&api) {}

  // LookupEvents matching `attribute` with EventTime in [start, end], 50 per page, following
  // NextToken to the last page, in the order CloudTrail returns them (newest first). A page
  // that fails fails the whole lookup, so the list is never partial. Fails with kInvalidInput
  // (nothing sent) for an unknown key, an empty value or start after end. CloudTrail allows
  // about two lookups a second per account and region; throttling is retried by the AwsApi.
  Result<std::vector<CloudTrailEvent>> LookupEvents(
      const LookupAttribute& attribute, std::chrono::system_clock::time_point start,
      std::chrono::system_clock::time_point end) const;

 private:
  AwsApi* api_;
};

}  // namespace cordon::aws
