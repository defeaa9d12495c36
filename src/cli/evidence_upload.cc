#include "cli/evidence_upload.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "journal/evidence.h"
#include "providers/aws/s3_client.h"

namespace cordon::cli {
namespace {

using nlohmann::json;

constexpr const char* kUploadStep = "evidence/upload";

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  if (!in) {
    return Fail(ErrorKind::kIo, "cannot read " + path.string());
  }
  return out.str();
}

// "<key>\n<sha256>" of every object an earlier run uploaded.
std::set<std::string> UploadedBefore(const journal::Journal* journal) {
  std::set<std::string> done;
  if (journal == nullptr) {
    return done;
  }
  auto records = journal->ReadAll();
  if (!records) {
    return done;
  }
  std::map<std::string, std::string> intents;  // request digest → "<key>\n<sha256>"
  for (const auto& record : *records) {
    if (record.step_id != kUploadStep || record.operation != "s3:PutObject") {
      continue;
    }
    if (record.kind == journal::RecordKind::kIntent && record.detail.is_object()) {
      const json request = record.detail.value("request", json::object());
      intents[record.request_digest] =
          request.value("Key", "") + "\n" + request.value("Sha256", "");
    } else if (record.kind == journal::RecordKind::kResult &&
               record.outcome == journal::kOutcomeOk && intents.count(record.request_digest)) {
      done.insert(intents[record.request_digest]);
    }
  }
  return done;
}

}  // namespace

Result<EvidenceUploadReport> UploadEvidence(AwsSession& session,
                                            const EvidenceUploadOptions& options,
                                            const journal::CaseDir& case_dir,
                                            const execution::RunContext& context,
                                            journal::Journal* journal, const Clock& clock) {
  const aws::ObjectLockMode mode =
      options.compliance ? aws::ObjectLockMode::kCompliance : aws::ObjectLockMode::kGovernance;
  const auto retain_until = clock.Now() + std::chrono::hours(24) * options.retention_days;
  EvidenceUploadReport report;
  report.prefix = "s3://" + options.bucket + "/cordon/" + context.case_id + "/";
  report.retain_until = FormatRfc3339Seconds(retain_until);

  planning::Step step;
  step.id = kUploadStep;
  step.target = "aws:s3-bucket:" + options.bucket;
  step.action = "s3.upload_evidence";
  step.mutating = true;
  execution::StepRecorder recorder(step, context, journal);

  // The bucket may live in another region than the session's default.
  auto region = aws::S3Client(session.For("")).GetBucketLocation(options.bucket);
  if (!region) {
    return Fail(region.error());
  }
  const aws::S3Client s3(session.For(*region));
  auto versioning = s3.GetBucketVersioning(options.bucket);
  if (!versioning) {
    return Fail(versioning.error());
  }
  if (versioning->status != aws::VersioningStatus::kEnabled) {
    auto enabled = recorder.Mutate(
        "s3:PutBucketVersioning", {{"Bucket", options.bucket}, {"Status", "Enabled"}}, nullptr,
        [&] { return s3.PutBucketVersioning(options.bucket, aws::VersioningStatus::kEnabled); });
    if (!enabled) {
      return Fail(enabled.error());
    }
  }
  auto lock = s3.GetObjectLockConfiguration(options.bucket);
  if (!lock) {
    return Fail(lock.error());
  }
  // An existing default retention is kept: replacing it could only weaken someone's choice.
  if (!*lock || !(*lock)->retention) {
    const aws::DefaultRetention retention{mode, options.retention_days, 0};
    auto configured = recorder.Mutate(
        "s3:PutObjectLockConfiguration",
        {{"Bucket", options.bucket},
         {"Mode", aws::ObjectLockModeName(mode)},
         {"Days", options.retention_days}},
        nullptr, [&] { return s3.PutObjectLockConfiguration(options.bucket, retention); });
    if (!configured) {
      return Fail(configured.error());
    }
  }

  auto manifest = journal::ReadManifest(case_dir);
  if (!manifest) {
    return Fail(manifest.error());
  }
  std::vector<std::string> names;
  for (const auto& entry : *manifest) {
    names.push_back(entry.name);
  }
  names.emplace_back("manifest.json");
  const std::set<std::string> before = UploadedBefore(journal);
  for (const auto& name : names) {
    auto body = ReadFile(case_dir.evidence_dir() / name);
    if (!body) {
      return Fail(body.error());
    }
    aws::PutObjectRequest put;
    put.bucket = options.bucket;
    put.key = "cordon/" + context.case_id + "/evidence/" + name;
    put.body = std::move(*body);
    put.content_type = "application/octet-stream";
    put.lock_mode = mode;
    put.retain_until = retain_until;
    const std::string sha256 = Sha256Hex(put.body);
    if (before.count(put.key + "\n" + sha256) != 0) {
      ++report.already;
      continue;
    }
    auto written = recorder.Mutate("s3:PutObject",
                                   {{"Bucket", options.bucket},
                                    {"Key", put.key},
                                    {"Sha256", sha256},
                                    {"ObjectLockMode", aws::ObjectLockModeName(mode)},
                                    {"RetainUntil", report.retain_until}},
                                   nullptr, [&] { return s3.PutObject(put); });
    if (!written) {
      Error error = written.error();
      error.message = "upload of " + name + ": " + error.message;
      return Fail(std::move(error));
    }
    ++report.uploaded;
  }
  return report;
}

EvidenceUploadOutcome UploadEvidenceIfAsked(AwsSession& session, const Config& config,
                                            const PlanArgs& args, const journal::CaseDir& case_dir,
                                            const execution::RunContext& context,
                                            journal::Journal* journal, const Clock& clock) {
  EvidenceUploadOptions options;
  options.bucket = args.evidence_bucket.empty() ? config.evidence_bucket : args.evidence_bucket;
  options.retention_days = args.evidence_retention_days > 0 ? args.evidence_retention_days
                                                            : config.evidence_retention_days;
  options.compliance = args.object_lock_compliance;
  if (options.bucket.empty()) {
    return {};
  }
  if (context.dry_run) {
    return {"evidence: would upload to s3://" + options.bucket + "/cordon/" + context.case_id +
                "/ with Object Lock " + (options.compliance ? "COMPLIANCE" : "GOVERNANCE") +
                " for " + std::to_string(options.retention_days) + " days",
            false};
  }
  auto report = UploadEvidence(session, options, case_dir, context, journal, clock);
  if (!report) {
    return {"evidence: upload to s3://" + options.bucket + " failed: " + report.error().Describe(),
            true};
  }
  return {"evidence: " + std::to_string(report->uploaded) + " file(s) uploaded to " +
              report->prefix + " (" + std::to_string(report->already) + " already there), locked " +
              (options.compliance ? "COMPLIANCE" : "GOVERNANCE") + " until " + report->retain_until,
          false};
}

}  // namespace cordon::cli
