#include "journal/store.h"

#include <sqlite3.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/fs.h"

namespace cordon::journal::internal {

void SqliteCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

void StatementFinalizer::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

namespace {

constexpr int kSchemaVersion = 1;
// Long enough for another cordon process to finish an append (a few fsyncs) under load.
constexpr int kBusyTimeoutMs = 15000;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS records (
  seq INTEGER PRIMARY KEY,
  ts TEXT NOT NULL,
  case_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  step_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  operation TEXT NOT NULL,
  request_digest TEXT NOT NULL,
  outcome TEXT NOT NULL,
  request_id TEXT NOT NULL,
  prior_state TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_kind ON records (kind);
CREATE TRIGGER IF NOT EXISTS records_are_never_updated BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'journal records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_are_never_deleted BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'journal records are append-only'); END;
)sql";

constexpr std::string_view kColumns =
    "seq, ts, case_id, actor, step_id, kind, target, operation, request_digest, outcome, "
    "request_id, prior_state, detail, prev_hash, hash";

// The one place SQLite's result codes become cordon errors.
Error SqliteFailure(sqlite3* db, int code, const std::string& what) {
  Error error;
  error.kind = ErrorKind::kIo;
  switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      error.kind = ErrorKind::kCorrupt;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      error.kind = ErrorKind::kConflict;
      error.retryable = true;
      break;
    case SQLITE_CONSTRAINT:
      error.kind = ErrorKind::kConflict;
      break;
    default:
      break;
  }
  const char* reason = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  error.message = what + ": " + reason;
  return error;
}

Status Execute(sqlite3* db, const char* sql) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return Fail(SqliteFailure(db, rc, "journal database statement failed"));
  }
  return {};
}

Result<StatementPtr> Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  StatementPtr statement(raw);
  if (rc != SQLITE_OK) {
    return Fail(SqliteFailure(db, rc, "cannot prepare a journal query"));
  }
  return statement;
}

// The first column of the single row `sql` returns, as text.
Result<std::string> QueryText(sqlite3* db, const char* sql) {
  auto statement = Prepare(db, sql);
  if (!statement) {
    return Fail(statement.error());
  }
  const int rc = sqlite3_step(statement->get());
  if (rc != SQLITE_ROW) {
    return Fail(SqliteFailure(db, rc, "journal database query failed"));
  }
  const unsigned char* text = sqlite3_column_text(statement->get(), 0);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
}

StoredRecord RowToRecord(sqlite3_stmt* row) {
  StoredRecord record;
  auto text = [&](int column) {
    if (sqlite3_column_type(row, column) != SQLITE_TEXT) {
      record.well_typed = false;
    }
    const unsigned char* bytes = sqlite3_column_text(row, column);
    const int size = sqlite3_column_bytes(row, column);
    return bytes == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  };
  if (sqlite3_column_type(row, 0) != SQLITE_INTEGER) {
    record.well_typed = false;
  }
  record.seq = sqlite3_column_int64(row, 0);
  record.ts = text(1);
  record.case_id = text(2);
  record.actor = text(3);
  record.step_id = text(4);
  record.kind = text(5);
  record.target = text(6);
  record.operation = text(7);
  record.request_digest = text(8);
  record.outcome = text(9);
  record.request_id = text(10);
  record.prior_state = text(11);
  record.detail = text(12);
  record.prev_hash = text(13);
  record.hash = text(14);
  return record;
}

Result<std::vector<StoredRecord>> CollectRows(sqlite3* db, sqlite3_stmt* statement) {
  std::vector<StoredRecord> records;
  for (;;) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) {
      return records;
    }
    if (rc != SQLITE_ROW) {
      return Fail(SqliteFailure(db, rc, "cannot read the journal"));
    }
    records.push_back(RowToRecord(statement));
  }
}

Status CheckSchemaVersion(sqlite3* db, const std::filesystem::path& path) {
  auto version = QueryText(db, "PRAGMA user_version");
  if (!version) {
    return Fail(version.error());
  }
  if (std::strtol(version->c_str(), nullptr, 10) > kSchemaVersion) {
    return Fail(ErrorKind::kInvalidInput, path.string() +
                                              " was written by a newer cordon (schema " + *version +
                                              "); upgrade cordon to read it");
  }
  return {};
}

Status PrepareForWriting(sqlite3* db, const std::filesystem::path& path) {
  std::error_code ignored;
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace, ignored);
  auto mode = QueryText(db, "PRAGMA journal_mode=WAL");
  if (!mode) {
    return Fail(mode.error());
  }
  if (*mode != "wal") {
    return Fail(ErrorKind::kIo, "cannot put " + path.string() + " in WAL mode (got " + *mode + ")");
  }
  if (auto sync = Execute(db, "PRAGMA synchronous=FULL"); !sync) {
    return sync;
  }

  auto transaction = Transaction::Begin(db);
  if (!transaction) {
    return Fail(transaction.error());
  }
  if (auto version = CheckSchemaVersion(db, path); !version) {
    return version;
  }
  if (auto schema = Execute(db, kSchema); !schema) {
    return schema;
  }
  const std::string set_version = "PRAGMA user_version=" + std::to_string(kSchemaVersion);
  if (auto version = Execute(db, set_version.c_str()); !version) {
    return version;
  }
  return transaction->Commit();
}

bool IsLowerHex64(const std::string& text) {
  if (text.size() != 64) {
    return false;
  }
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<SqlitePtr> OpenDatabase(const std::filesystem::path& path, OpenMode mode) {
  const int flags = mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqlitePtr db(raw);  // SQLite hands out a handle even when opening fails
  if (rc != SQLITE_OK) {
    return Fail(SqliteFailure(db.get(), rc, "cannot open the journal " + path.string()));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);

  auto prepared = mode == OpenMode::kReadOnly ? CheckSchemaVersion(db.get(), path)
                                              : PrepareForWriting(db.get(), path);
  if (!prepared) {
    Error error = prepared.error();
    error.message = path.string() + ": " + error.message;
    return Fail(std::move(error));
  }
  return db;
}

Result<Transaction> Transaction::Begin(sqlite3* db) {
  if (auto begun = Execute(db, "BEGIN IMMEDIATE"); !begun) {
    return Fail(begun.error());
  }
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status Transaction::Commit() {
  if (auto committed = Execute(db_, "COMMIT"); !committed) {
    return committed;
  }
  db_ = nullptr;
  return {};
}

Result<std::vector<StoredRecord>> ReadRecords(sqlite3* db) {
  auto statement = Prepare(db, "SELECT " + std::string(kColumns) + " FROM records ORDER BY seq");
  if (!statement) {
    return Fail(statement.error());
  }
  return CollectRows(db, statement->get());
}

Result<std::optional<StoredRecord>> ReadLastRecord(sqlite3* db) {
  auto statement =
      Prepare(db, "SELECT " + std::string(kColumns) + " FROM records ORDER BY seq DESC LIMIT 1");
  if (!statement) {
    return Fail(statement.error());
  }
  auto rows = CollectRows(db, statement->get());
  if (!rows) {
    return Fail(rows.error());
  }
  if (rows->empty()) {
    return std::optional<StoredRecord>();
  }
  return std::optional<StoredRecord>(std::move(rows->front()));
}

Result<std::vector<StoredRecord>> ReadRecordsOfKind(sqlite3* db, std::string_view kind) {
  auto statement =
      Prepare(db, "SELECT " + std::string(kColumns) + " FROM records WHERE kind = ?1 ORDER BY seq");
  if (!statement) {
    return Fail(statement.error());
  }
  sqlite3_bind_text(statement->get(), 1, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
  return CollectRows(db, statement->get());
}

Status InsertRecord(sqlite3* db, const StoredRecord& record) {
  auto statement = Prepare(
      db, "INSERT INTO records (" + std::string(kColumns) +
              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  if (!statement) {
    return Fail(statement.error());
  }
  sqlite3_stmt* insert = statement->get();
  int parameter = 1;
  int rc = sqlite3_bind_int64(insert, parameter++, record.seq);
  for (const std::string* text :
       {&record.ts, &record.case_id, &record.actor, &record.step_id, &record.kind, &record.target,
        &record.operation, &record.request_digest, &record.outcome, &record.request_id,
        &record.prior_state, &record.detail, &record.prev_hash, &record.hash}) {
    if (rc == SQLITE_OK) {
      rc = sqlite3_bind_text(insert, parameter++, text->data(), static_cast<int>(text->size()),
                             SQLITE_STATIC);
    }
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(insert);
  }
  if (rc != SQLITE_DONE) {
    return Fail(
        SqliteFailure(db, rc, "cannot append journal record seq " + std::to_string(record.seq)));
  }
  return {};
}

Result<std::optional<JournalHead>> ReadHead(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return std::optional<JournalHead>();
  }
  auto text = ReadFile(path);
  if (!text) {
    return Fail(text.error());
  }
  const auto parsed = nlohmann::json::parse(*text, nullptr, false);
  const bool valid = parsed.is_object() && parsed.contains("seq") &&
                     parsed["seq"].is_number_integer() && parsed["seq"].get<std::int64_t>() >= 0 &&
                     parsed.contains("hash") && parsed["hash"].is_string() &&
                     IsLowerHex64(parsed["hash"].get<std::string>());
  if (!valid) {
    return Fail(ErrorKind::kCorrupt,
                path.string() + R"( is not a journal head ({"hash":"<sha256>","seq":N}))");
  }
  return std::optional<JournalHead>(
      JournalHead{parsed["seq"].get<std::int64_t>(), parsed["hash"].get<std::string>()});
}

Status WriteHead(const std::filesystem::path& path, const JournalHead& head) {
  const nlohmann::json content = {{"hash", head.hash}, {"seq", head.seq}};
  return WriteFileAtomic(path, content.dump() + "\n", 0600);
}

}  // namespace cordon::journal::internal
