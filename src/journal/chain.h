// The hash chain of the journal: canonical JSON of a stored record, its hash, and the checks
// `cordon verify` and Journal::Open run. Internal to src/journal. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cordon::journal::internal {

// One journal row exactly as stored, every field but seq as text (detail and prior_state hold
// their canonical JSON text). `well_typed` is false when a stored column had the wrong SQL type
// (NULL, BLOB or a number where text belongs), which only tampering produces.
struct StoredRecord {
  std::int64_t seq = 0;
  std::string ts;
  std::string case_id;
  std::string actor;
  std::string step_id;
  std::string kind;
  std::string target;
  std::string operation;
  std::string request_digest;
  std::string outcome;
  std::string request_id;
  std::string prior_state;
  std::string detail;
  std::string prev_hash;
  std::string hash;
  bool well_typed = true;
};

// The journal's head as journal.head records it.
struct JournalHead {
  std::int64_t seq = 0;
  std::string hash;
};

// The canonical JSON of every field of `record` but hash, as journal/journal.h describes it.
// nullopt when a field is not valid UTF-8 (Journal::Append never stores such text).
std::optional<std::string> CanonicalJson(const StoredRecord& record);

// Lower-case hex SHA-256 of prev_hash (its 64 hex characters) followed by CanonicalJson(record).
// nullopt when CanonicalJson is.
std::optional<std::string> ComputeHash(const StoredRecord& record);

// The outcome of a check: ok, or the first record that breaks it (0 when no record can be
// named) and why.
struct ChainCheck {
  bool ok = true;
  std::int64_t first_bad_seq = 0;
  std::string reason;
  bool head_behind = false;  // journal.head names an earlier, intact record (see CheckHead)
};

// Checks `records` (as stored, ordered by seq): seq runs 1..n without gaps, every hash
// recomputes, every prev_hash is the previous record's hash (the genesis hash for seq 1).
// Names the first bad record, telling altered, removed, inserted, copied and swapped records
// apart where the stored hashes allow.
ChainCheck CheckChain(const std::vector<StoredRecord>& records);

// Checks journal.head against `records`, which must already pass CheckChain: a missing head
// when records exist, a head past the last record (records removed from the end) or a head
// hash that differs from its record's (journal replaced) fail. A head that names an earlier
// record with the right hash passes with head_behind set: a process stopped between committing
// a record and updating journal.head, or another process is appending.
ChainCheck CheckHead(const std::vector<StoredRecord>& records,
                     const std::optional<JournalHead>& head);

}  // namespace cordon::journal::internal
