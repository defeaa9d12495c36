// End to end against moto: the journal of a real run detects records altered or removed later.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ContainmentTest : public CordonMotoTest {};

// Runs `statement` on a case's journal after dropping the append-only triggers, as an attacker
// with file access could.
void TamperJournal(const std::string& db, const std::string& statement, const Environment& env) {
  const std::string script =
      "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
      "c.execute('DROP TRIGGER IF EXISTS records_are_never_updated')\n"
      "c.execute('DROP TRIGGER IF EXISTS records_are_never_deleted')\n"
      "c.execute(sys.argv[2])\nc.commit()\n";
  auto run = RunProcess({Python().value_or("python3"), "-c", script, db, statement}, env);
  ASSERT_TRUE(run) << run.error().Describe();
  ASSERT_EQ(run->exit_code, 0) << run->err;
}

TEST_F(ContainmentTest, VerifyNamesTheAlteredRecord) {
  ASSERT_EQ(Cordon(ApplyArgs("altered")).exit_code, 0);
  TamperJournal(dir_->File("home") + "/cases/altered/journal.db",
                "UPDATE records SET actor='someone-else' WHERE seq=7", Env());

  ProcessResult verify = Cordon({"verify", "--case", "altered"});

  EXPECT_EQ(verify.exit_code, 4) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("seq 7"), std::string::npos) << verify.out;
}

TEST_F(ContainmentTest, VerifyNamesTheRecordAfterARemovedOne) {
  ASSERT_EQ(Cordon(ApplyArgs("removed")).exit_code, 0);
  TamperJournal(dir_->File("home") + "/cases/removed/journal.db", "DELETE FROM records WHERE seq=5",
                Env());

  ProcessResult verify = Cordon({"verify", "--case", "removed", "--output", "json"});

  EXPECT_EQ(verify.exit_code, 4) << verify.out << verify.err;
  json report = json::parse(verify.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << verify.out;
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["journal"]["first_bad_record"], 6) << verify.out;
}

}  // namespace
}  // namespace cordon::testing
