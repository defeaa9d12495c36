// The activity evidence step (PRODUCT.md §7, AWS "Evidence store"): every CloudTrail management
// event of a target over the case's window, every page, stored as JSON lines in evidence/ and
// hashed in the manifest and the journal.
#pragma once

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "execution/executor.h"
#include "execution/step_recorder.h"
#include "journal/evidence.h"
#include "journal/journal.h"
#include "planning/plan.h"
#include "providers/aws/aws_api.h"
#include "providers/aws/cloudtrail_client.h"
#include "transport/retry.h"

namespace cordon::execution {

// The lookups that find a target's events: what it did (Username, AccessKeyId) and what was done
// to it (ResourceName). Pure.
std::vector<aws::LookupAttribute> ActivityLookups(const planning::Target& target);

// The evidence file name of a target's events, e.g. "cloudtrail-aws-iam-user-alice.jsonl". Pure.
std::string ActivityFileName(const planning::Target& target);

// Retries for CloudTrail lookups: few and short, so that an endpoint answering 5xx (moto does)
// costs seconds, not the ~12 s of the default policy, for every target.
transport::RetryPolicy ActivityRetryPolicy();

// CloudTrail answers about two LookupEvents a second per account and region: an AwsApi that
// spaces the JSON calls made through it at least `interval` apart (Query and REST calls pass
// straight through), so that concurrent targets queue instead of exhausting their retries on
// throttling. Thread-safe; `inner` must outlive it.
class PacedApi : public aws::AwsApi {
 public:
  static constexpr std::chrono::milliseconds kLookupInterval{550};

  PacedApi(aws::AwsApi& inner, std::chrono::milliseconds interval)
      : inner_(inner), interval_(interval) {}

  Result<aws::QueryResponse> Query(std::string_view service, std::string_view action,
                                   const aws::QueryParams& params) override {
    return inner_.Query(service, action, params);
  }
  Result<aws::JsonResponse> Json(std::string_view service, std::string_view operation,
                                 const nlohmann::json& body) override;
  Result<aws::RestResponse> Rest(std::string_view service,
                                 const aws::RestRequest& request) override {
    return inner_.Rest(service, request);
  }
  std::string Region() const override { return inner_.Region(); }

 private:
  aws::AwsApi& inner_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;  // guards next_
  std::chrono::steady_clock::time_point next_{};
};

// Runs "cloudtrail.export_activity" steps. Thread-safe (no mutable state; the journal and the
// evidence store are thread-safe).
class ActivityExporter {
 public:
  // `journal` and `evidence` may be null only when context.dry_run. `completed` lists steps an
  // earlier run finished (their file is not stored again). All must outlive the exporter.
  ActivityExporter(const RunContext& context, journal::Journal* journal,
                   journal::EvidenceStore* evidence, const Clock& clock,
                   const std::set<std::string>& completed)
      : context_(context),
        journal_(journal),
        evidence_(evidence),
        clock_(clock),
        completed_(completed) {}

  // Looks up every event of `target` from step.params["since"] until now through `api`, merges
  // the lookups (one line per EventId, newest first) and stores them. A lookup or page that
  // fails gives kUnknown and stores nothing, so no partial file passes for complete. A dry run
  // reads nothing and reports kPlanned; a step an earlier run finished is kAlreadyDone.
  StepResult Run(const planning::Step& step, const planning::Target& target,
                 aws::AwsApi& api) const;

 private:
  const RunContext& context_;
  journal::Journal* journal_;
  journal::EvidenceStore* evidence_;
  const Clock& clock_;
  const std::set<std::string>& completed_;
};

}  // namespace cordon::execution
