// Journals the API calls of one step: an intent record before each mutating call and a result
// record after it (PRODUCT.md §2.6). In a dry run it records the call instead of making it.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "core/crypto.h"
#include "core/result.h"
#include "journal/journal.h"
#include "planning/plan.h"

namespace cordon::execution {

// Who acts and how, shared by every step of one run. Thread-compatible (immutable while a run
// is in progress).
struct RunContext {
  std::string case_id;
  std::string actor;  // caller identity ARN
  bool dry_run = false;
};

// Not thread-safe: one recorder serves one step on one thread.
class StepRecorder {
 public:
  // `journal` may be null only in a dry run.
  StepRecorder(const planning::Step& step, const RunContext& context, journal::Journal* journal)
      : step_(step), context_(context), journal_(journal) {}

  // Makes one mutating call. `operation` is "service:Action"; `request` describes it (it is
  // hashed into the journal and shown in dry runs; it must hold no secrets); `prior` is the
  // state the call replaces (for release). `call` returns Result<T> where T has a request_id.
  // In a dry run, records the call and returns a default T without calling. If the intent
  // cannot be journaled the call is not made.
  template <typename F>
  auto Mutate(const std::string& operation, const nlohmann::json& request,
              const nlohmann::json& prior, F&& call) -> decltype(call()) {
    using R = decltype(call());
    if (context_.dry_run) {
      planned_calls_.push_back({{"operation", operation}, {"params", request}});
      return typename R::value_type{};
    }
    if (auto intent = WriteIntent(operation, request, prior); !intent) {
      return tl::unexpected(intent.error());
    }
    R result = call();
    if (result) {
      if (auto written = WriteResult(operation, request, "ok", result->request_id, {}); !written) {
        return tl::unexpected(written.error());
      }
    } else {
      // The call's own failure matters more than a journal failure here; report the call's.
      (void)WriteResult(
          operation, request, "failed", result.error().request_id,
          {{"error", result.error().Describe()}, {"kind", ErrorKindName(result.error().kind)}});
    }
    return result;
  }

  // Appends a note (e.g. "already in the desired state") to the step.
  Status Note(const std::string& operation, const nlohmann::json& detail);

  const nlohmann::json& planned_calls() const { return planned_calls_; }
  const planning::Step& step() const { return step_; }
  const RunContext& context() const { return context_; }

 private:
  Status WriteIntent(const std::string& operation, const nlohmann::json& request,
                     const nlohmann::json& prior);
  Status WriteResult(const std::string& operation, const nlohmann::json& request,
                     const std::string& outcome, const std::string& request_id,
                     const nlohmann::json& detail);

  const planning::Step& step_;
  const RunContext& context_;
  journal::Journal* journal_;
  nlohmann::json planned_calls_ = nlohmann::json::array();
};

}  // namespace cordon::execution
