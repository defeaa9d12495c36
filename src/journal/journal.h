// The journal of a case (PRODUCT.md §9): one SQLite database of records chained by SHA-256, so
// that any change to a stored record is detected by `cordon verify`. The product's own record,
// kept apart from diagnostic logs.
//
// Record hash: hash = lower-case hex SHA-256(prev_hash ‖ canonical JSON), where prev_hash is the
// previous record's hash as 64 hex characters (64 zeros for record 1) and the canonical JSON is
// one object holding every field but hash: keys actor, case, detail, kind, operation, outcome,
// prev_hash, prior_state, request_digest, request_id, seq, step_id, target, ts in byte-wise
// sorted order; seq a JSON integer, every other value a JSON string (detail and prior_state as
// their compact JSON text, kind as "intent"/"result"/"note"/"evidence"); no whitespace; UTF-8
// with only '"', '\\' and control characters escaped (\b \f \n \r \t, others \u00xx). Compact
// JSON text (of detail and prior_state) has sorted keys, no whitespace and the shortest
// round-tripping numbers, as nlohmann::json::dump() writes it.
//
// Alongside journal.db, journal.head holds {"hash":H,"seq":N} of the last record, rewritten
// atomically after every append, so records removed from the end of the database are detected.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "journal/case_dir.h"
#include "journal/sqlite_handle.h"

namespace cordon::journal {

enum class RecordKind {
  kIntent,    // written before an API call
  kResult,    // written after it
  kNote,      // anything else worth keeping (run start and finish, "already done")
  kEvidence,  // an evidence file was stored (detail: file, sha256, size)
};

// "intent", "result", "note", "evidence": the names stored and hashed.
const char* RecordKindName(RecordKind kind);

// The kind named `name`. Fails with kInvalidInput for any other text.
Result<RecordKind> ParseRecordKind(std::string_view name);

// Outcomes of result records.
inline constexpr std::string_view kOutcomeOk = "ok";
inline constexpr std::string_view kOutcomeFailed = "failed";
inline constexpr std::string_view kOutcomeUnknown = "unknown";
inline constexpr std::string_view kOutcomeRefused = "refused";
inline constexpr std::string_view kOutcomeSkipped = "skipped";

// The prev_hash of record 1.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One journal record. Callers fill actor..detail; Journal::Append assigns seq, ts, case_id,
// prev_hash and hash. Thread-compatible.
struct Record {
  std::int64_t seq = 0;  // 1..n, no gaps
  std::string ts;        // UTC, RFC 3339 with milliseconds
  std::string case_id;   // "case" in the canonical JSON
  std::string actor;     // caller identity
  std::string step_id;   // empty for run-level notes
  RecordKind kind = RecordKind::kNote;
  std::string target;          // target key
  std::string operation;       // "iam:UpdateAccessKey", "apply.start", "evidence.store"
  std::string request_digest;  // hex SHA-256 of the request description
  std::string outcome;         // kOutcome* on results, else empty
  std::string request_id;      // the provider's request id
  std::string prior_state;     // canonical JSON text of the replaced state, or empty
  nlohmann::json detail;       // anything else, as JSON
  std::string prev_hash;
  std::string hash;
};

// The canonical JSON of every field of `record` but hash, as described at the top of this file.
// Text that is not valid UTF-8 is replaced by U+FFFD (Append stores it so replaced).
std::string CanonicalRecordJson(const Record& record);

// hex SHA-256(record.prev_hash ‖ CanonicalRecordJson(record)).
std::string RecordHash(const Record& record);

// One case's journal. Thread-safe: many executor threads may append at once; several processes
// may append to the same case too (the database is the authority; each append is one IMMEDIATE
// transaction that re-reads the head). Append-only: nothing edits or deletes a record.
class Journal {
 public:
  // Opens the journal of `case_dir`, creating its folders (0700), journal.db (0600) and
  // journal.head when missing. An existing journal must verify in full (chain and journal.head,
  // as VerifyJournal checks) or Open fails with kCorrupt naming the first bad record, so
  // nothing is appended to a broken chain. A journal.head left behind by a process that stopped
  // between committing a record and updating it is brought up to date. Fails with kIo when the
  // files cannot be created or read. `clock` must outlive the journal.
  static Result<std::unique_ptr<Journal>> Open(const CaseDir& case_dir, const Clock& clock);

  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  Journal(Journal&&) = delete;
  Journal& operator=(Journal&&) = delete;
  ~Journal();

  // Appends `record` in one transaction and returns it as stored: seq, ts (from the clock),
  // case_id, prev_hash and hash assigned; text that is not valid UTF-8 replaced by U+FFFD;
  // members of detail and prior_state whose names look secret replaced by "[redacted]" (a last
  // line of defence: callers must not pass secrets; a redacted prior state must not be restored
  // blindly). Then rewrites journal.head. Fails with kInvalidInput when prior_state is neither
  // empty nor JSON, kCorrupt when the last stored record no longer matches its hash, kConflict
  // when another process holds the database past the busy timeout, kIo otherwise (including a
  // committed record whose journal.head could not be rewritten).
  Result<Record> Append(Record record);

  // Every record, ordered by seq. Fails with kIo, or kCorrupt when a stored kind or detail no
  // longer parses.
  Result<std::vector<Record>> ReadAll() const;

  const CaseDir& case_dir() const { return case_dir_; }

 private:
  Journal(CaseDir case_dir, const Clock& clock, internal::SqlitePtr db);

  Status UpdateHead();

  const CaseDir case_dir_;
  const Clock& clock_;
  mutable std::mutex mutex_;  // serializes use of db_
  internal::SqlitePtr db_;
};

}  // namespace cordon::journal
