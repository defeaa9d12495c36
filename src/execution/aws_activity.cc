#include "execution/aws_activity.h"

#include <algorithm>
#include <map>
#include <thread>

#include "providers/aws/sts_client.h"

namespace cordon::execution {

using planning::TargetKind;

std::vector<aws::LookupAttribute> ActivityLookups(const planning::Target& target) {
  switch (target.kind) {
    case TargetKind::kAwsIamUser:
      return {{"Username", target.id}, {"ResourceName", target.id}};
    case TargetKind::kAwsAccessKey:
      return {{"AccessKeyId", target.id}, {"ResourceName", target.id}};
    case TargetKind::kAwsIamRole:
      // Sessions of a role log the session name as user name; the role's own name appears as a
      // resource of AssumeRole and of changes to the role.
      return {{"ResourceName", target.id}, {"Username", target.id}};
    case TargetKind::kAwsEc2Instance:
    case TargetKind::kAwsS3Bucket:
    case TargetKind::kAwsLambdaFunction:
      return {{"ResourceName", target.id}};
  }
  return {};
}

std::string ActivityFileName(const planning::Target& target) {
  std::string name = "cloudtrail-" + target.Key() + ".jsonl";
  std::replace(name.begin(), name.end(), ':', '-');
  return journal::EvidenceFileName(name);
}

transport::RetryPolicy ActivityRetryPolicy() {
  transport::RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base = std::chrono::milliseconds(250);
  policy.cap = std::chrono::milliseconds(1000);
  return policy;
}

Result<aws::JsonResponse> PacedApi::Json(std::string_view service, std::string_view operation,
                                         const nlohmann::json& body) {
  std::chrono::steady_clock::time_point at;
  {
    std::lock_guard lock(mutex_);
    at = std::max(std::chrono::steady_clock::now(), next_);
    next_ = at + interval_;
  }
  std::this_thread::sleep_until(at);
  return inner_.Json(service, operation, body);
}

StepResult ActivityExporter::Run(const planning::Step& step, const planning::Target& target,
                                 aws::AwsApi& api) const {
  const std::string since_text = step.params.value("since", "");
  const auto since = aws::ParseAwsTimestamp(since_text);
  if (!since) {
    return {Outcome::kFailed, "the activity window start \"" + since_text + "\" is not a time", {}};
  }
  const auto until = clock_.Now();
  const std::vector<aws::LookupAttribute> lookups = ActivityLookups(target);
  nlohmann::json window = {
      {"since", since_text}, {"until", FormatRfc3339Seconds(until)}, {"region", api.Region()}};
  if (completed_.count(step.id) != 0) {
    return {Outcome::kAlreadyDone, "exported by an earlier run of this case", window};
  }
  if (context_.dry_run) {
    return {Outcome::kPlanned,
            "would export CloudTrail events of " + target.Key() + " since " + since_text, window};
  }

  // Every lookup must be whole: one failed page makes the target's activity unknown.
  const aws::CloudTrailClient cloudtrail(api);
  std::map<std::string, aws::CloudTrailEvent> by_id;
  for (const auto& lookup : lookups) {
    auto events = cloudtrail.LookupEvents(lookup, *since, until);
    if (!events) {
      return {Outcome::kUnknown,
              "CloudTrail activity of " + target.Key() + " unknown (lookup by " + lookup.key +
                  " failed, nothing stored): " + events.error().Describe(),
              window};
    }
    for (auto& event : *events) {
      by_id.emplace(event.event_id, std::move(event));
    }
  }
  std::vector<const aws::CloudTrailEvent*> ordered;
  ordered.reserve(by_id.size());
  for (const auto& [id, event] : by_id) {
    ordered.push_back(&event);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto* a, const auto* b) { return a->event_time > b->event_time; });
  std::string lines;
  for (const auto* event : ordered) {
    lines += event->raw.dump() + "\n";
  }

  window["events"] = ordered.size();
  if (evidence_ == nullptr) {
    return {Outcome::kOk, "read " + std::to_string(ordered.size()) + " CloudTrail events", window};
  }
  auto entry = evidence_->Put(ActivityFileName(target), lines);
  if (!entry) {
    return {Outcome::kFailed, "could not store evidence: " + entry.error().Describe(), window};
  }
  journal::Record record;
  record.actor = context_.actor;
  record.step_id = step.id;
  record.kind = journal::RecordKind::kEvidence;
  record.target = step.target;
  record.operation = "evidence.store";
  record.detail = {
      {"file", entry->name}, {"sha256", entry->sha256}, {"size", entry->size}, {"window", window}};
  if (auto appended = journal_->Append(std::move(record)); !appended) {
    return {Outcome::kFailed, "could not journal evidence: " + appended.error().Describe(), window};
  }
  window["file"] = entry->name;
  window["sha256"] = entry->sha256;
  return {Outcome::kOk,
          "exported " + std::to_string(ordered.size()) + " CloudTrail events to " + entry->name,
          window};
}

}  // namespace cordon::execution
