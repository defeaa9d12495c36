// Optional upload of a case's evidence to an evidence bucket (PRODUCT.md §7, AWS "Evidence
// store"): versioning, then an Object Lock default retention, then every evidence file and the
// manifest, each locked until a retain-until date and sent with its SHA-256 checksum.
#pragma once

#include <string>

#include "cli/aws_session.h"
#include "cli/config.h"
#include "cli/options.h"
#include "core/clock.h"
#include "core/result.h"
#include "execution/step_recorder.h"
#include "journal/case_dir.h"
#include "journal/journal.h"

namespace cordon::cli {

struct EvidenceUploadOptions {
  std::string bucket;       // "" for no upload
  int retention_days = 90;  // 1..36500
  bool compliance = false;  // COMPLIANCE instead of GOVERNANCE: nobody can shorten it
};

// What an upload did, for the responder.
struct EvidenceUploadReport {
  int uploaded = 0;
  int already = 0;           // uploaded with the same content by an earlier run
  std::string prefix;        // s3://BUCKET/cordon/CASE/
  std::string retain_until;  // RFC 3339
};

// Turns versioning on and, when the bucket has no default retention, puts an Object Lock
// configuration (GOVERNANCE, or COMPLIANCE when asked) of `retention_days`; then writes every
// file of the case's manifest and the manifest itself to cordon/<case>/evidence/<name>, each
// with its own lock and retain-until date and x-amz-checksum-sha256. Files whose content an
// earlier run uploaded are skipped. Every call is journaled under step "evidence/upload" (never
// released: locked evidence is kept). In a dry run, records the calls without making them. Fails
// with the first error, naming the file; files before it stay uploaded.
Result<EvidenceUploadReport> UploadEvidence(AwsSession& session,
                                            const EvidenceUploadOptions& options,
                                            const journal::CaseDir& case_dir,
                                            const execution::RunContext& context,
                                            journal::Journal* journal, const Clock& clock);

// The upload apply asks for (--evidence-bucket, else the configuration), run after the steps.
// Returns one line for the responder and whether it failed; no bucket: {"", false}.
struct EvidenceUploadOutcome {
  std::string line;
  bool failed = false;
};
EvidenceUploadOutcome UploadEvidenceIfAsked(AwsSession& session, const Config& config,
                                            const PlanArgs& args, const journal::CaseDir& case_dir,
                                            const execution::RunContext& context,
                                            journal::Journal* journal, const Clock& clock);

}  // namespace cordon::cli
