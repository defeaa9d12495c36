// `cordon verify`: recomputes the journal's hash chain and every evidence file's hash
// (PRODUCT.md §9). Reads only; changes nothing. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "journal/case_dir.h"

namespace cordon::journal {

struct JournalVerification {
  bool ok = false;
  std::size_t records = 0;         // records in journal.db
  std::string head_hash;           // hash of the last record; empty when there is none
  std::int64_t first_bad_seq = 0;  // the first record that fails; 0 when none can be named
  std::string reason;              // why it failed; empty when ok
};

// Verifies the journal of `case_dir`: seq runs 1..n without gaps, every hash recomputes from the
// stored fields, every prev_hash links to the previous record, and journal.head agrees (missing
// while records exist, past the last record, or naming a record with another hash all fail).
// Names the first bad record: the altered record; the first seq after removed records; the
// first inserted record; the first of two swapped records; the first record removed from the
// end. A failed check is a result with ok false, not an error. Fails with kIo (kNotFound when
// journal.db does not exist) when the journal cannot be read.
Result<JournalVerification> VerifyJournal(const CaseDir& case_dir);

enum class EvidenceProblemKind {
  kMissing,       // listed in the manifest or journaled, but the file is gone or unlisted
  kModified,      // the file's SHA-256 or size differs from the manifest's
  kUnlisted,      // a file in evidence/ the manifest does not list
  kNotJournaled,  // listed, but no evidence record in the journal has its name and SHA-256
  kBadManifest,   // manifest.json is not readable as a manifest
};

// "missing", "modified", "unlisted", "not-journaled", "bad-manifest".
const char* EvidenceProblemKindName(EvidenceProblemKind kind);

struct EvidenceProblem {
  std::string name;  // file name inside evidence/
  EvidenceProblemKind kind = EvidenceProblemKind::kModified;
  std::string detail;
};

struct EvidenceVerification {
  bool ok = false;
  std::size_t files_checked = 0;  // manifest entries whose files were re-hashed
  std::vector<EvidenceProblem> problems;
};

// Re-hashes every file the manifest lists, and compares the manifest with the folder and with
// the journal's evidence records (each records file and sha256). Problems are results, not
// errors. Fails with kIo when the journal cannot be read.
Result<EvidenceVerification> VerifyEvidence(const CaseDir& case_dir);

}  // namespace cordon::journal
