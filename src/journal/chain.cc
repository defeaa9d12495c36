#include "journal/chain.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "journal/journal.h"

namespace cordon::journal::internal {
namespace {

// How far past the last seq CheckChain looks for the seq a moved record was written with.
constexpr std::int64_t kSeqSearchSlack = 1024;

ChainCheck Bad(std::int64_t seq, std::string reason) {
  return {false, seq, std::move(reason), false};
}

std::string Seq(std::int64_t seq) { return "seq " + std::to_string(seq); }

// Whether `record` hashes to its stored hash when it carries `seq`.
bool HashesAs(const StoredRecord& record, std::int64_t seq) {
  StoredRecord probe = record;
  probe.seq = seq;
  return probe.well_typed && ComputeHash(probe) == record.hash;
}

// The seq `record` was written with, when its content is intact but it was moved.
std::optional<std::int64_t> OriginalSeq(const StoredRecord& record, std::int64_t max_seq) {
  for (std::int64_t seq = 1; seq <= max_seq; ++seq) {
    if (seq != record.seq && HashesAs(record, seq)) {
      return seq;
    }
  }
  return std::nullopt;
}

// Why records[index], whose hash does not recompute, is bad, and which record to name.
ChainCheck DiagnoseMismatch(const std::vector<StoredRecord>& records, std::size_t index) {
  const StoredRecord& record = records[index];
  const auto position = static_cast<std::int64_t>(index + 1);
  const auto count = static_cast<std::int64_t>(records.size());
  const auto original = OriginalSeq(record, std::max(count, record.seq) + kSeqSearchSlack);
  if (!original) {
    return Bad(position,
               "record " + Seq(position) + " was altered: its hash does not match its content");
  }

  const std::int64_t from = *original;
  const std::string moved = "record " + Seq(position) + " holds the record written as " + Seq(from);
  const StoredRecord* at_original = from <= count ? &records[from - 1] : nullptr;
  if (at_original != nullptr && at_original->hash == record.hash) {
    return Bad(position, moved + ", which is still in place: the record was copied");
  }
  if (from < position) {
    return Bad(from, moved + ": " + std::to_string(position - from) +
                         " record(s) were inserted from " + Seq(from) + " on");
  }
  if (at_original != nullptr && HashesAs(*at_original, position)) {
    return Bad(position, "records " + Seq(position) + " and " + Seq(from) + " were swapped");
  }
  return Bad(position, moved + ": " + std::to_string(from - position) +
                           " record(s) were removed before it and the later ones renumbered");
}

}  // namespace

std::optional<std::string> CanonicalJson(const StoredRecord& record) {
  const nlohmann::json object = {{"actor", record.actor},
                                 {"case", record.case_id},
                                 {"detail", record.detail},
                                 {"kind", record.kind},
                                 {"operation", record.operation},
                                 {"outcome", record.outcome},
                                 {"prev_hash", record.prev_hash},
                                 {"prior_state", record.prior_state},
                                 {"request_digest", record.request_digest},
                                 {"request_id", record.request_id},
                                 {"seq", record.seq},
                                 {"step_id", record.step_id},
                                 {"target", record.target},
                                 {"ts", record.ts}};
  try {
    return object.dump();
  } catch (const nlohmann::json::exception&) {
    // Invalid UTF-8: only tampering stores it, since Journal::Append cleans every field.
    return std::nullopt;
  }
}

std::optional<std::string> ComputeHash(const StoredRecord& record) {
  auto canonical = CanonicalJson(record);
  if (!canonical) {
    return std::nullopt;
  }
  return Sha256Hex(record.prev_hash + *canonical);
}

ChainCheck CheckChain(const std::vector<StoredRecord>& records) {
  std::string prev_hash(journal::kGenesisHash);
  for (std::size_t index = 0; index < records.size(); ++index) {
    const StoredRecord& record = records[index];
    const auto expected = static_cast<std::int64_t>(index + 1);
    if (record.seq > expected) {
      return Bad(record.seq, record.seq == expected + 1 ? "record " + Seq(expected) + " is missing"
                                                        : "records " + Seq(expected) + " to " +
                                                              Seq(record.seq - 1) + " are missing");
    }
    if (record.seq != expected) {
      return Bad(expected, "record " + Seq(expected) + " is stored out of order (as " +
                               Seq(record.seq) + ")");
    }
    if (!record.well_typed || ComputeHash(record) != record.hash) {
      return DiagnoseMismatch(records, index);
    }
    if (record.prev_hash != prev_hash) {
      return Bad(expected, expected == 1
                               ? "record seq 1 does not start from the genesis hash"
                               : "record " + Seq(expected) + " does not follow record " +
                                     Seq(expected - 1) +
                                     " (its prev_hash is not that record's hash): a record "
                                     "before it was replaced, removed or inserted");
    }
    prev_hash = record.hash;
  }
  return {};
}

ChainCheck CheckHead(const std::vector<StoredRecord>& records,
                     const std::optional<JournalHead>& head) {
  const auto last_seq = static_cast<std::int64_t>(records.size());
  if (!head) {
    if (last_seq == 0) {
      return {};
    }
    return Bad(0, "journal.head is missing although the journal holds " + std::to_string(last_seq) +
                      " record(s): records removed from the end could not be detected");
  }
  if (head->seq > last_seq) {
    return Bad(last_seq + 1, "the journal ends at " + Seq(last_seq) + " but journal.head records " +
                                 Seq(head->seq) + ": records were removed from the end");
  }
  const std::string expected =
      head->seq == 0 ? std::string(journal::kGenesisHash) : records[head->seq - 1].hash;
  if (head->hash != expected) {
    return Bad(head->seq, "record " + Seq(head->seq) +
                              " does not have the hash journal.head records: the journal was "
                              "replaced or rewritten");
  }
  ChainCheck check;
  check.head_behind = head->seq < last_seq;
  return check;
}

}  // namespace cordon::journal::internal
