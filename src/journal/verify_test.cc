#include "journal/verify.h"

#include <gtest/gtest.h>

#include "core/fs.h"
#include "journal/chain.h"
#include "journal/journal_test_util.h"
#include "journal/store.h"

namespace cordon::journal {
namespace {

using nlohmann::json;

// A case with a journal of five result records, closed, ready to tamper with.
class VerifyJournalTest : public CaseTest {
 protected:
  void SetUp() override {
    auto journal = OpenJournal();
    ASSERT_NE(journal, nullptr);
    AppendResults(*journal, 5);
  }

  JournalVerification Verify() {
    auto verified = VerifyJournal(case_dir_);
    EXPECT_TRUE(verified) << verified.error().Describe();
    return verified ? *verified : JournalVerification{};
  }

  // Record `seq` as stored.
  internal::StoredRecord Stored(std::int64_t seq) {
    auto db = internal::OpenDatabase(case_dir_.journal_db(), internal::OpenMode::kReadOnly);
    EXPECT_TRUE(db);
    auto records = internal::ReadRecords(db->get());
    EXPECT_TRUE(records);
    return (*records)[static_cast<std::size_t>(seq - 1)];
  }

  // Renumbers records seq >= `from` up by one, leaving `from` free.
  void MakeRoomAt(int from) {
    const std::string bound = std::to_string(from);
    Tamper("UPDATE records SET seq = -(seq + 1) WHERE seq >= " + bound +
           "; UPDATE records SET seq = -seq WHERE seq < 0;");
  }

  void Insert(const internal::StoredRecord& record) {
    auto db = internal::OpenDatabase(case_dir_.journal_db(), internal::OpenMode::kReadWrite);
    ASSERT_TRUE(db);
    ASSERT_TRUE(internal::InsertRecord(db->get(), record));
  }
};

TEST_F(VerifyJournalTest, IntactJournalVerifies) {
  const auto result = Verify();

  EXPECT_TRUE(result.ok) << result.reason;
  EXPECT_EQ(result.records, 5u);
  EXPECT_EQ(result.head_hash, Stored(5).hash);
  EXPECT_EQ(result.first_bad_seq, 0);
  EXPECT_EQ(result.reason, "");
}

TEST_F(VerifyJournalTest, AJournalCopiedIntoAnotherCasesFolderFails) {
  auto other = CaseDir::At(case_dir_.root().parent_path().parent_path(), "T-copy");
  ASSERT_TRUE(other);
  std::filesystem::copy(case_dir_.root(), other->root(), std::filesystem::copy_options::recursive);

  auto result = VerifyJournal(*other);

  ASSERT_TRUE(result) << result.error().Describe();
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(result->first_bad_seq, 1);
  EXPECT_NE(result->reason.find("belongs to case \"IR-2025-001\""), std::string::npos)
      << result->reason;
}

TEST_F(VerifyJournalTest, ChangedOutcomeNamesThatRecord) {
  Tamper("UPDATE records SET outcome='failed' WHERE seq=3");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_NE(result.reason.find("altered"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, ChangedDetailNamesThatRecord) {
  Tamper(R"(UPDATE records SET detail='{"message":"nothing happened","n":4}' WHERE seq=4)");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
}

TEST_F(VerifyJournalTest, ChangedTimestampOfTheFirstRecordNamesIt) {
  Tamper("UPDATE records SET ts='2025-12-04T03:00:00.000Z' WHERE seq=1");

  EXPECT_EQ(Verify().first_bad_seq, 1);
}

TEST_F(VerifyJournalTest, ValueStoredWithAnotherSqlTypeCountsAsAltered) {
  Tamper("UPDATE records SET outcome=CAST('ok' AS BLOB) WHERE seq=2");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
}

TEST_F(VerifyJournalTest, DeletedMiddleRecordNamesTheFirstSeqAfterTheGap) {
  Tamper("DELETE FROM records WHERE seq=3");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
  EXPECT_NE(result.reason.find("seq 3 is missing"), std::string::npos) << result.reason;
  EXPECT_EQ(result.records, 4u);
}

TEST_F(VerifyJournalTest, DeletedRecordWithLaterOnesRenumberedNamesTheRecordThatNoLongerLinks) {
  Tamper("DELETE FROM records WHERE seq=3; UPDATE records SET seq = seq - 1 WHERE seq > 3;");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_NE(result.reason.find("removed"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, InsertedForgedRecordIsNamed) {
  MakeRoomAt(3);
  Tamper(
      "INSERT INTO records SELECT 3, ts, case_id, actor, 's-2b', kind, target, 'iam:DeleteUser', "
      "request_digest, outcome, request_id, prior_state, detail, prev_hash, hash FROM records "
      "WHERE seq = 2");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_EQ(result.records, 6u);
}

TEST_F(VerifyJournalTest, InsertedRecordWithAValidHashIsNamed) {
  // A forger who knows the hash scheme chains a new record after seq 2.
  internal::StoredRecord forged = Stored(2);
  forged.seq = 3;
  forged.operation = "iam:DeleteUser";
  forged.prev_hash = forged.hash;
  forged.hash = *internal::ComputeHash(forged);
  MakeRoomAt(3);
  Insert(forged);

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_NE(result.reason.find("inserted"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, ReplayedCopyOfARecordIsNamed) {
  MakeRoomAt(4);
  Tamper(
      "INSERT INTO records SELECT 4, ts, case_id, actor, step_id, kind, target, operation, "
      "request_digest, outcome, request_id, prior_state, detail, prev_hash, hash FROM records "
      "WHERE seq = 2");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
  EXPECT_NE(result.reason.find("copied"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, SwappedRecordsAreNamed) {
  Tamper(
      "UPDATE records SET seq = -1 WHERE seq = 2; UPDATE records SET seq = 2 WHERE seq = 4; "
      "UPDATE records SET seq = 4 WHERE seq = -1;");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
  EXPECT_NE(result.reason.find("swapped"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, AdjacentSwappedRecordsAreNamed) {
  Tamper(
      "CREATE TEMP TABLE saved AS SELECT * FROM records WHERE seq IN (3, 4);"
      "DELETE FROM records WHERE seq IN (3, 4);"
      "INSERT INTO records SELECT 7 - seq, ts, case_id, actor, step_id, kind, target, operation, "
      "request_digest, outcome, request_id, prior_state, detail, prev_hash, hash FROM saved;");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_NE(result.reason.find("swapped"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, RecordsRemovedFromTheEndAreDetectedByTheHead) {
  Tamper("DELETE FROM records WHERE seq >= 4");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
  EXPECT_EQ(result.records, 3u);
  EXPECT_NE(result.reason.find("removed from the end"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, MissingHeadFileFailsWhenRecordsExist) {
  std::filesystem::remove(case_dir_.journal_head());

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.reason.find("journal.head is missing"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, HeadNamingAnotherHashFails) {
  ASSERT_TRUE(WriteFileAtomic(case_dir_.journal_head(),
                              json({{"seq", 5}, {"hash", std::string(64, 'e')}}).dump()));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 5);
}

TEST_F(VerifyJournalTest, UnreadableHeadFails) {
  ASSERT_TRUE(WriteFileAtomic(case_dir_.journal_head(), "{\"seq\":\"five\"}"));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.reason.find("journal.head"), std::string::npos) << result.reason;
}

TEST_F(VerifyJournalTest, HeadBehindTheDatabaseWithTheRightHashPasses) {
  ASSERT_TRUE(WriteFileAtomic(case_dir_.journal_head(),
                              json({{"seq", 4}, {"hash", Stored(4).hash}}).dump()));

  EXPECT_TRUE(Verify().ok);
}

TEST_F(VerifyJournalTest, DamagedDatabaseFileFailsVerification) {
  ASSERT_TRUE(WriteFileAtomic(case_dir_.journal_db(), std::string(8192, 'x')));
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::remove(case_dir_.journal_db().string() + suffix);
  }

  auto result = VerifyJournal(case_dir_);

  ASSERT_TRUE(result) << result.error().Describe();
  EXPECT_FALSE(result->ok);
}

class VerifyEmptyCaseTest : public CaseTest {};

TEST_F(VerifyEmptyCaseTest, MissingJournalIsNotFoundAndNothingIsCreated) {
  auto result = VerifyJournal(case_dir_);

  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(case_dir_.root()));
}

TEST_F(VerifyEmptyCaseTest, FreshJournalWithoutRecordsVerifies) {
  ASSERT_NE(OpenJournal(), nullptr);

  auto result = VerifyJournal(case_dir_);

  ASSERT_TRUE(result);
  EXPECT_TRUE(result->ok) << result->reason;
  EXPECT_EQ(result->records, 0u);
  EXPECT_EQ(result->head_hash, "");
}

}  // namespace
}  // namespace cordon::journal
