// Owning handles for SQLite's C objects, so each is released the moment its owner goes away.
// Internal to src/journal.
#pragma once

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace cordon::journal::internal {

struct SqliteCloser {
  void operator()(sqlite3* db) const;
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const;
};

using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

}  // namespace cordon::journal::internal
