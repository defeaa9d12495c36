// Test fixture for src/journal tests: a private cordon home per test, a fixed clock, and raw
// SQLite access for tampering with a journal the way an attacker with file access could.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "journal/case_dir.h"
#include "journal/journal.h"
#include "journal/sqlite_handle.h"

namespace cordon::journal {

class CaseTest : public ::testing::Test {
 protected:
  CaseTest() : home_(MakeHome()), case_dir_(*CaseDir::At(home_, "IR-2025-001")) {}
  CaseTest(const CaseTest&) = delete;
  CaseTest& operator=(const CaseTest&) = delete;
  CaseTest(CaseTest&&) = delete;
  CaseTest& operator=(CaseTest&&) = delete;
  ~CaseTest() override { std::filesystem::remove_all(home_); }

  // The journal of the test case; fails the test when it does not open.
  std::unique_ptr<Journal> OpenJournal() {
    auto journal = Journal::Open(case_dir_, clock_);
    EXPECT_TRUE(journal) << journal.error().Describe();
    return journal ? std::move(*journal) : nullptr;
  }

  // Appends `count` result records for steps "s-1", "s-2", ... one second apart.
  void AppendResults(Journal& journal, int count) {
    for (int i = 1; i <= count; ++i) {
      Record record;
      record.actor = "arn:aws:iam::111122223333:role/IR-Responder";
      record.step_id = "s-" + std::to_string(i);
      record.kind = RecordKind::kResult;
      record.target = "aws:iam-user:mallory";
      record.operation = "iam:UpdateAccessKey";
      record.request_digest = std::string(64, 'a');
      record.outcome = std::string(kOutcomeOk);
      record.request_id = "req-" + std::to_string(i);
      record.detail = {{"n", i}, {"message", "key deactivated"}};
      auto appended = journal.Append(std::move(record));
      ASSERT_TRUE(appended) << appended.error().Describe();
      clock_.Set(clock_.Now() + std::chrono::seconds(1));
    }
  }

  // Runs `sql` on journal.db directly, after dropping the append-only triggers.
  void Tamper(const std::string& sql) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(case_dir_.journal_db().c_str(), &raw), SQLITE_OK);
    internal::SqlitePtr db(raw);
    sqlite3_busy_timeout(db.get(), 5000);
    const std::string script =
        "DROP TRIGGER IF EXISTS records_are_never_updated;"
        "DROP TRIGGER IF EXISTS records_are_never_deleted;" +
        sql;
    ASSERT_EQ(sqlite3_exec(db.get(), script.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db.get());
  }

  // The first column of the first row of `sql` on journal.db, as text.
  std::string QueryText(const std::string& sql) {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open(case_dir_.journal_db().c_str(), &raw), SQLITE_OK);
    internal::SqlitePtr db(raw);
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db.get());
    internal::StatementPtr owned(statement);
    if (sqlite3_step(statement) != SQLITE_ROW) {
      return "";
    }
    const unsigned char* text = sqlite3_column_text(statement, 0);
    return text == nullptr ? "" : reinterpret_cast<const char*>(text);
  }

  std::filesystem::path home_;
  CaseDir case_dir_;
  FixedClock clock_{std::chrono::system_clock::time_point(
      std::chrono::milliseconds(1764819935123LL))};  // 2025-12-04T03:45:35.123Z

 private:
  static std::filesystem::path MakeHome() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "cordon-journal-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
    }
    return pattern;
  }
};

}  // namespace cordon::journal
