#include "journal/journal.h"

#include <filesystem>
#include <system_error>

#include "core/log.h"
#include "journal/chain.h"
#include "journal/store.h"

namespace cordon::journal {
namespace {

using internal::StoredRecord;

constexpr auto kUtf8Replace = nlohmann::json::error_handler_t::replace;

// Compact JSON text with sorted keys; invalid UTF-8 replaced by U+FFFD.
std::string JsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, kUtf8Replace);
}

// `text` with every invalid UTF-8 sequence replaced by U+FFFD, by a round trip through the
// JSON writer and reader.
std::string CleanUtf8(const std::string& text) {
  const auto parsed = nlohmann::json::parse(JsonText(nlohmann::json(text)), nullptr, false);
  return parsed.is_string() ? parsed.get<std::string>() : std::string();
}

StoredRecord ToStored(const Record& record) {
  StoredRecord stored;
  stored.seq = record.seq;
  stored.ts = CleanUtf8(record.ts);
  stored.case_id = CleanUtf8(record.case_id);
  stored.actor = CleanUtf8(record.actor);
  stored.step_id = CleanUtf8(record.step_id);
  stored.kind = RecordKindName(record.kind);
  stored.target = CleanUtf8(record.target);
  stored.operation = CleanUtf8(record.operation);
  stored.request_digest = CleanUtf8(record.request_digest);
  stored.outcome = CleanUtf8(record.outcome);
  stored.request_id = CleanUtf8(record.request_id);
  stored.prior_state = CleanUtf8(record.prior_state);
  stored.detail = JsonText(record.detail);
  stored.prev_hash = CleanUtf8(record.prev_hash);
  stored.hash = record.hash;
  return stored;
}

Result<Record> FromStored(const StoredRecord& stored) {
  auto kind = ParseRecordKind(stored.kind);
  auto detail = nlohmann::json::parse(stored.detail, nullptr, false);
  if (!kind || detail.is_discarded()) {
    return Fail(ErrorKind::kCorrupt, "journal record seq " + std::to_string(stored.seq) +
                                         " has an unreadable kind or detail; run cordon verify");
  }
  Record record;
  record.seq = stored.seq;
  record.ts = stored.ts;
  record.case_id = stored.case_id;
  record.actor = stored.actor;
  record.step_id = stored.step_id;
  record.kind = *kind;
  record.target = stored.target;
  record.operation = stored.operation;
  record.request_digest = stored.request_digest;
  record.outcome = stored.outcome;
  record.request_id = stored.request_id;
  record.prior_state = stored.prior_state;
  record.detail = std::move(detail);
  record.prev_hash = stored.prev_hash;
  record.hash = stored.hash;
  return record;
}

// `record` with detail and prior_state redacted, and prior_state in canonical form.
Result<Record> Sanitized(Record record) {
  const nlohmann::json detail = log::Redact(record.detail);
  if (detail != record.detail) {
    log::Warn("journal.redacted", {{"step", record.step_id}, {"field", "detail"}});
  }
  record.detail = nlohmann::json::parse(JsonText(detail), nullptr, false);
  if (record.prior_state.empty()) {
    return record;
  }

  const auto prior = nlohmann::json::parse(record.prior_state, nullptr, false);
  if (prior.is_discarded()) {
    return Fail(ErrorKind::kInvalidInput, "the prior state of step " + record.step_id + " (" +
                                              record.operation + ") is not JSON");
  }
  const nlohmann::json redacted = log::Redact(prior);
  if (redacted != prior) {
    log::Warn("journal.redacted", {{"step", record.step_id}, {"field", "prior_state"}});
  }
  record.prior_state = JsonText(redacted);
  return record;
}

Error CorruptJournal(const CaseDir& case_dir, const internal::ChainCheck& check) {
  std::string message =
      "the journal of case " + case_dir.case_id() + " failed verification: " + check.reason;
  if (check.first_bad_seq > 0) {
    message += " (first bad record: seq " + std::to_string(check.first_bad_seq) + ")";
  }
  message += "; nothing was appended. Run `cordon verify --case " + case_dir.case_id() + "`.";
  return Error{ErrorKind::kCorrupt, std::move(message), {}, {}, 0, false};
}

// `stored` as the next record of the journal in `db`: seq, prev_hash, ts, case and hash set.
// Runs inside the append's transaction. Fails with kCorrupt when the last stored record no
// longer matches its hash.
Result<StoredRecord> Chained(sqlite3* db, StoredRecord stored, const CaseDir& case_dir,
                             const Clock& clock) {
  auto last = internal::ReadLastRecord(db);
  if (!last) {
    return Fail(last.error());
  }
  stored.seq = 1;
  stored.prev_hash = std::string(kGenesisHash);
  if (last->has_value()) {
    const StoredRecord& previous = **last;
    if (!previous.well_typed || internal::ComputeHash(previous) != previous.hash) {
      return Fail(ErrorKind::kCorrupt, "the last record of the journal of case " +
                                           case_dir.case_id() + " (seq " +
                                           std::to_string(previous.seq) +
                                           ") no longer matches its hash; nothing was appended");
    }
    stored.seq = previous.seq + 1;
    stored.prev_hash = previous.hash;
  }
  stored.ts = FormatRfc3339Millis(clock.Now());
  stored.case_id = case_dir.case_id();
  auto hash = internal::ComputeHash(stored);
  if (!hash) {
    return Fail(ErrorKind::kInternal, "a cleaned journal record is not valid UTF-8");
  }
  stored.hash = *hash;
  return stored;
}

// Checks the whole chain and journal.head under the write lock, so no other process appends
// meanwhile, and writes journal.head when it is missing from an empty journal or behind.
Status CheckOnOpen(sqlite3* db, const CaseDir& case_dir) {
  auto transaction = internal::Transaction::Begin(db);
  if (!transaction) {
    return Fail(transaction.error());
  }
  auto records = internal::ReadRecords(db);
  if (!records) {
    return Fail(records.error());
  }
  auto head = internal::ReadHead(case_dir.journal_head());
  if (!head) {
    return Fail(head.error());
  }
  if (auto chain = internal::CheckChain(*records); !chain.ok) {
    return Fail(CorruptJournal(case_dir, chain));
  }
  const auto head_check = internal::CheckHead(*records, *head);
  if (!head_check.ok) {
    return Fail(CorruptJournal(case_dir, head_check));
  }

  if (head_check.head_behind || !head->has_value()) {
    const internal::JournalHead current =
        records->empty() ? internal::JournalHead{0, std::string(kGenesisHash)}
                         : internal::JournalHead{records->back().seq, records->back().hash};
    if (head_check.head_behind) {
      log::Warn(
          "journal.head_updated",
          {{"case", case_dir.case_id()}, {"from_seq", (*head)->seq}, {"to_seq", current.seq}});
    }
    if (auto written = internal::WriteHead(case_dir.journal_head(), current); !written) {
      return written;
    }
  }
  return transaction->Commit();
}

}  // namespace

const char* RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kIntent:
      return "intent";
    case RecordKind::kResult:
      return "result";
    case RecordKind::kNote:
      return "note";
    case RecordKind::kEvidence:
      return "evidence";
  }
  return "note";
}

Result<RecordKind> ParseRecordKind(std::string_view name) {
  for (RecordKind kind :
       {RecordKind::kIntent, RecordKind::kResult, RecordKind::kNote, RecordKind::kEvidence}) {
    if (name == RecordKindName(kind)) {
      return kind;
    }
  }
  return Fail(ErrorKind::kInvalidInput, "unknown journal record kind \"" + std::string(name) +
                                            "\" (expected intent, result, note or evidence)");
}

std::string CanonicalRecordJson(const Record& record) {
  return internal::CanonicalJson(ToStored(record)).value_or("");
}

std::string RecordHash(const Record& record) {
  return internal::ComputeHash(ToStored(record)).value_or("");
}

Journal::Journal(CaseDir case_dir, const Clock& clock, internal::SqlitePtr db)
    : case_dir_(std::move(case_dir)), clock_(clock), db_(std::move(db)) {}

Journal::~Journal() = default;

Result<std::unique_ptr<Journal>> Journal::Open(const CaseDir& case_dir, const Clock& clock) {
  if (auto created = case_dir.Create(); !created) {
    return Fail(created.error());
  }
  std::error_code error;
  const bool had_database = std::filesystem::exists(case_dir.journal_db(), error);
  auto head = internal::ReadHead(case_dir.journal_head());
  if (!head) {
    return Fail(head.error());
  }
  if (!had_database && head->has_value() && (*head)->seq > 0) {
    return Fail(ErrorKind::kCorrupt,
                "the journal of case " + case_dir.case_id() + " is missing (" +
                    case_dir.journal_db().string() + ") but journal.head records " +
                    std::to_string((*head)->seq) + " record(s); nothing was appended");
  }

  auto db = internal::OpenDatabase(case_dir.journal_db(), internal::OpenMode::kReadWrite);
  if (!db) {
    return Fail(db.error());
  }
  if (auto checked = CheckOnOpen(db->get(), case_dir); !checked) {
    return Fail(checked.error());
  }
  return std::unique_ptr<Journal>(new Journal(case_dir, clock, std::move(*db)));
}

Result<Record> Journal::Append(Record record) {
  auto sanitized = Sanitized(std::move(record));
  if (!sanitized) {
    return Fail(sanitized.error());
  }
  StoredRecord stored = ToStored(*sanitized);

  std::lock_guard lock(mutex_);
  auto transaction = internal::Transaction::Begin(db_.get());
  if (!transaction) {
    return Fail(transaction.error());
  }
  auto chained = Chained(db_.get(), std::move(stored), case_dir_, clock_);
  if (!chained) {
    return Fail(chained.error());
  }
  stored = std::move(*chained);

  if (auto inserted = internal::InsertRecord(db_.get(), stored); !inserted) {
    return Fail(inserted.error());
  }
  if (auto committed = transaction->Commit(); !committed) {
    return Fail(committed.error());
  }
  if (auto head = UpdateHead(); !head) {
    Error error = head.error();
    error.message = "journal record seq " + std::to_string(stored.seq) +
                    " was committed but journal.head was not updated: " + error.message;
    return Fail(std::move(error));
  }
  return FromStored(stored);
}

Status Journal::UpdateHead() {
  // Under the write lock, so concurrent processes never move journal.head backwards.
  auto transaction = internal::Transaction::Begin(db_.get());
  if (!transaction) {
    return Fail(transaction.error());
  }
  auto last = internal::ReadLastRecord(db_.get());
  if (!last) {
    return Fail(last.error());
  }
  const internal::JournalHead head = last->has_value()
                                         ? internal::JournalHead{(*last)->seq, (*last)->hash}
                                         : internal::JournalHead{0, std::string(kGenesisHash)};
  if (auto written = internal::WriteHead(case_dir_.journal_head(), head); !written) {
    return written;
  }
  return transaction->Commit();
}

Result<std::vector<Record>> Journal::ReadAll() const {
  std::lock_guard lock(mutex_);
  auto stored = internal::ReadRecords(db_.get());
  if (!stored) {
    return Fail(stored.error());
  }
  std::vector<Record> records;
  records.reserve(stored->size());
  for (const auto& row : *stored) {
    auto record = FromStored(row);
    if (!record) {
      return Fail(record.error());
    }
    records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace cordon::journal
