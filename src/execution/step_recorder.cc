#include "execution/step_recorder.h"

namespace cordon::execution {

Status StepRecorder::WriteIntent(const std::string& operation, const nlohmann::json& request,
                                 const nlohmann::json& prior) {
  journal::Record record;
  record.actor = context_.actor;
  record.step_id = step_.id;
  record.kind = journal::RecordKind::kIntent;
  record.target = step_.target;
  record.operation = operation;
  record.request_digest = Sha256Hex(request.dump());
  record.prior_state = prior.is_null() ? "" : prior.dump();
  record.detail = {{"request", request}};
  auto appended = journal_->Append(std::move(record));
  if (!appended) {
    return tl::unexpected(appended.error());
  }
  return {};
}

Status StepRecorder::WriteResult(const std::string& operation, const nlohmann::json& request,
                                 const std::string& outcome, const std::string& request_id,
                                 const nlohmann::json& detail) {
  journal::Record record;
  record.actor = context_.actor;
  record.step_id = step_.id;
  record.kind = journal::RecordKind::kResult;
  record.target = step_.target;
  record.operation = operation;
  record.request_digest = Sha256Hex(request.dump());
  record.outcome = outcome;
  record.request_id = request_id;
  record.detail = detail;
  auto appended = journal_->Append(std::move(record));
  if (!appended) {
    return tl::unexpected(appended.error());
  }
  return {};
}

Status StepRecorder::Note(const std::string& operation, const nlohmann::json& detail) {
  if (context_.dry_run || journal_ == nullptr) {
    return {};
  }
  journal::Record record;
  record.actor = context_.actor;
  record.step_id = step_.id;
  record.kind = journal::RecordKind::kNote;
  record.target = step_.target;
  record.operation = operation;
  record.detail = detail;
  auto appended = journal_->Append(std::move(record));
  if (!appended) {
    return tl::unexpected(appended.error());
  }
  return {};
}

}  // namespace cordon::execution
