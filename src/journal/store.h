// The journal's SQLite database and its head file: opening, schema, transactions and row
// access with prepared statements and bound parameters. Internal to src/journal. Functions
// taking a sqlite3* are thread-compatible: callers serialize use of one connection.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "journal/chain.h"
#include "journal/sqlite_handle.h"

namespace cordon::journal::internal {

enum class OpenMode {
  kReadWrite,  // creates the file when missing; WAL, synchronous FULL, busy timeout, schema
  kReadOnly,   // never creates or changes anything
};

// Opens the journal database at `path`. Fails with kIo (kCorrupt when the file is not an
// SQLite database, kInvalidInput when its schema is newer than this cordon).
Result<SqlitePtr> OpenDatabase(const std::filesystem::path& path, OpenMode mode);

// An IMMEDIATE transaction: takes the database's write lock at once (waiting up to the busy
// timeout), so two processes appending interleave whole appends. Rolls back unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(sqlite3* db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Every record, ordered by seq. Fails with kIo (kCorrupt when the database is damaged).
Result<std::vector<StoredRecord>> ReadRecords(sqlite3* db);

// The record with the highest seq, nullopt when there is none.
Result<std::optional<StoredRecord>> ReadLastRecord(sqlite3* db);

// Every record of kind `kind` (its stored name, e.g. "evidence"), ordered by seq.
Result<std::vector<StoredRecord>> ReadRecordsOfKind(sqlite3* db, std::string_view kind);

// Inserts `record` as is. Fails with kIo, kConflict when its seq is taken.
Status InsertRecord(sqlite3* db, const StoredRecord& record);

// journal.head at `path`; nullopt when the file does not exist. Fails with kCorrupt when it is
// not {"hash":"<64 hex>","seq":N}, kIo when it cannot be read.
Result<std::optional<JournalHead>> ReadHead(const std::filesystem::path& path);

// Replaces journal.head at `path` atomically with {"hash":H,"seq":N}. Fails with kIo.
Status WriteHead(const std::filesystem::path& path, const JournalHead& head);

}  // namespace cordon::journal::internal
