#include "journal/journal.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <thread>

#include "core/crypto.h"
#include "core/fs.h"
#include "journal/journal_test_util.h"
#include "journal/verify.h"

namespace cordon::journal {
namespace {

using nlohmann::json;

class JournalTest : public CaseTest {};

unsigned ModeOf(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

TEST_F(JournalTest, OpenCreatesPrivateFoldersDatabaseAndHeadInWalMode) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);

  EXPECT_EQ(ModeOf(case_dir_.root()), 0700u);
  EXPECT_EQ(ModeOf(case_dir_.evidence_dir()), 0700u);
  EXPECT_EQ(ModeOf(case_dir_.journal_db()), 0600u);
  EXPECT_EQ(QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*ReadFile(case_dir_.journal_head()),
            "{\"hash\":\"" + std::string(kGenesisHash) + "\",\"seq\":0}\n");
}

TEST_F(JournalTest, AppendAssignsSeqTimestampCaseAndChainsHashes) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);

  AppendResults(*journal, 3);

  auto records = journal->ReadAll();
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].ts, "2025-12-04T03:45:35.123Z");
  EXPECT_EQ((*records)[2].ts, "2025-12-04T03:45:37.123Z");
  EXPECT_EQ((*records)[0].prev_hash, kGenesisHash);
  for (std::size_t i = 0; i < records->size(); ++i) {
    const Record& record = (*records)[i];
    EXPECT_EQ(record.seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(record.case_id, "IR-2025-001");
    EXPECT_EQ(record.hash, RecordHash(record));
    if (i > 0) {
      EXPECT_EQ(record.prev_hash, (*records)[i - 1].hash);
    }
  }
}

TEST_F(JournalTest, AppendReturnsTheRecordAsStoredIgnoringCallerChainFields) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  Record record;
  record.seq = 42;
  record.case_id = "other-case";
  record.prev_hash = "forged";
  record.hash = "forged";
  record.kind = RecordKind::kIntent;
  record.operation = "iam:PutUserPolicy";
  record.prior_state = R"({ "b": 1, "a": [true, null] })";
  record.detail = {{"request", {{"UserName", "mallory"}}}};

  auto appended = journal->Append(record);

  ASSERT_TRUE(appended);
  EXPECT_EQ(appended->seq, 1);
  EXPECT_EQ(appended->case_id, "IR-2025-001");
  EXPECT_EQ(appended->prev_hash, kGenesisHash);
  EXPECT_EQ(appended->hash, RecordHash(*appended));
  EXPECT_EQ(appended->prior_state, "{\"a\":[true,null],\"b\":1}");
  auto records = journal->ReadAll();
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].kind, RecordKind::kIntent);
  EXPECT_EQ((*records)[0].detail, record.detail);
  EXPECT_EQ((*records)[0].prior_state, appended->prior_state);
  EXPECT_EQ((*records)[0].hash, appended->hash);
}

TEST_F(JournalTest, HashIsSha256OfPrevHashThenCanonicalJson) {
  Record record;
  record.seq = 1;
  record.ts = "2025-12-04T03:45:35.123Z";
  record.case_id = "IR-1";
  record.actor = "arn:aws:iam::111122223333:user/ir";
  record.step_id = "s-1";
  record.kind = RecordKind::kResult;
  record.target = "aws:iam-user:mallory";
  record.operation = "iam:UpdateAccessKey";
  record.request_digest = "d";
  record.outcome = "ok";
  record.request_id = "r-1";
  record.prior_state = R"({"status":"Active"})";
  record.detail = {{"z", 1}, {"a", "x\ny"}};
  record.prev_hash = std::string(kGenesisHash);

  const std::string expected =
      "{\"actor\":\"arn:aws:iam::111122223333:user/ir\",\"case\":\"IR-1\","
      "\"detail\":\"{\\\"a\\\":\\\"x\\\\ny\\\",\\\"z\\\":1}\",\"kind\":\"result\","
      "\"operation\":\"iam:UpdateAccessKey\",\"outcome\":\"ok\",\"prev_hash\":\"" +
      std::string(kGenesisHash) +
      "\",\"prior_state\":\"{\\\"status\\\":\\\"Active\\\"}\",\"request_digest\":\"d\","
      "\"request_id\":\"r-1\",\"seq\":1,\"step_id\":\"s-1\",\"target\":\"aws:iam-user:mallory\","
      "\"ts\":\"2025-12-04T03:45:35.123Z\"}";
  EXPECT_EQ(CanonicalRecordJson(record), expected);
  EXPECT_EQ(RecordHash(record), Sha256Hex(std::string(kGenesisHash) + expected));
}

TEST_F(JournalTest, AppendRedactsSecretLookingFieldsBeforeStoring) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  Record record;
  record.operation = "iam:CreateAccessKey";
  record.detail = {{"access_key_id", "AKIAEXAMPLE"}, {"SecretAccessKey", "wJalrXUtnFEMIK7MDENG"}};
  record.prior_state = R"({"Credentials":{"SessionToken":"FwoGZXIvYXdzEBYaD"}})";

  auto appended = journal->Append(record);

  ASSERT_TRUE(appended);
  EXPECT_EQ(appended->detail["SecretAccessKey"], "[redacted]");
  EXPECT_EQ(appended->detail["access_key_id"], "AKIAEXAMPLE");
  EXPECT_EQ(QueryText("SELECT detail || prior_state FROM records").find("wJalrXUtnFEMIK7MDENG"),
            std::string::npos);
  EXPECT_EQ(QueryText("SELECT detail || prior_state FROM records").find("FwoGZXIvYXdzEBYaD"),
            std::string::npos);
}

TEST_F(JournalTest, AppendRefusesAPriorStateThatIsNotJson) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  Record record;
  record.prior_state = "status=Active";

  auto appended = journal->Append(record);

  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(QueryText("SELECT count(*) FROM records"), "0");
}

TEST_F(JournalTest, AppendReplacesInvalidUtf8AndTheChainStillVerifies) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  Record record;
  record.actor = "user-\xff";
  record.detail = {{"name", "bad-\xfe"}};

  auto appended = journal->Append(record);

  ASSERT_TRUE(appended);
  EXPECT_EQ(appended->actor, "user-\xef\xbf\xbd");
  auto verified = VerifyJournal(case_dir_);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok) << verified->reason;
}

TEST_F(JournalTest, AppendRewritesJournalHeadWithTheLastRecord) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);

  AppendResults(*journal, 3);

  const auto records = journal->ReadAll();
  ASSERT_TRUE(records);
  EXPECT_EQ(json::parse(*ReadFile(case_dir_.journal_head())),
            json({{"seq", 3}, {"hash", records->back().hash}}));
}

TEST_F(JournalTest, ReopeningContinuesTheChain) {
  auto first = OpenJournal();
  ASSERT_NE(first, nullptr);
  AppendResults(*first, 2);
  first.reset();

  auto second = OpenJournal();
  ASSERT_NE(second, nullptr);
  AppendResults(*second, 2);

  auto verified = VerifyJournal(case_dir_);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok) << verified->reason;
  EXPECT_EQ(verified->records, 4u);
}

TEST_F(JournalTest, DatabaseTriggersRefuseUpdatesAndDeletes) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  AppendResults(*journal, 1);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(case_dir_.journal_db().c_str(), &raw), SQLITE_OK);
  internal::SqlitePtr db(raw);

  EXPECT_NE(
      sqlite3_exec(db.get(), "UPDATE records SET outcome='failed'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db.get(), "DELETE FROM records", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_EQ(QueryText("SELECT outcome FROM records"), "ok");
}

TEST_F(JournalTest, ConcurrentAppendsFromEightThreadsFormOneContiguousChain) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;

  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&journal, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Record record;
        record.step_id = "thread-" + std::to_string(t);
        record.detail = {{"i", i}};
        EXPECT_TRUE(journal->Append(std::move(record)));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  auto verified = VerifyJournal(case_dir_);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok) << verified->reason;
  EXPECT_EQ(verified->records, static_cast<std::size_t>(kThreads * kPerThread));
  auto records = journal->ReadAll();
  ASSERT_TRUE(records);
  std::map<std::string, int> next_index;
  for (const auto& record : *records) {
    EXPECT_EQ(record.detail["i"], next_index[record.step_id]++) << record.step_id;
  }
  EXPECT_EQ(next_index.size(), static_cast<std::size_t>(kThreads));
}

TEST_F(JournalTest, TwoJournalsOnOneCaseInterleaveLikeTwoProcesses) {
  auto a = OpenJournal();
  auto b = OpenJournal();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);

  std::thread first([&] { AppendResults(*a, 30); });
  std::thread second([&] { AppendResults(*b, 30); });
  first.join();
  second.join();

  auto verified = VerifyJournal(case_dir_);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok) << verified->reason;
  EXPECT_EQ(verified->records, 60u);
  EXPECT_EQ(json::parse(*ReadFile(case_dir_.journal_head()))["seq"], 60);
}

TEST_F(JournalTest, OpenRefusesAJournalWithAnAlteredRecord) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  AppendResults(*journal, 5);
  journal.reset();
  Tamper("UPDATE records SET outcome='failed' WHERE seq=2");

  auto reopened = Journal::Open(case_dir_, clock_);

  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().kind, ErrorKind::kCorrupt);
  EXPECT_NE(reopened.error().message.find("seq 2"), std::string::npos);
  EXPECT_EQ(QueryText("SELECT count(*) FROM records"), "5");
}

TEST_F(JournalTest, OpenRefusesATruncatedJournal) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  AppendResults(*journal, 5);
  journal.reset();
  Tamper("DELETE FROM records WHERE seq >= 4");

  auto reopened = Journal::Open(case_dir_, clock_);

  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().kind, ErrorKind::kCorrupt);
  EXPECT_EQ(QueryText("SELECT count(*) FROM records"), "3");
}

TEST_F(JournalTest, OpenRefusesWhenTheDatabaseIsGoneButTheHeadRemains) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  AppendResults(*journal, 2);
  journal.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(case_dir_.journal_db().string() + suffix);
  }

  auto reopened = Journal::Open(case_dir_, clock_);

  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().kind, ErrorKind::kCorrupt);
  EXPECT_FALSE(std::filesystem::exists(case_dir_.journal_db()));
}

TEST_F(JournalTest, AppendRefusesWhenTheLastRecordWasAlteredAfterOpen) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  AppendResults(*journal, 2);
  Tamper("UPDATE records SET detail='{}' WHERE seq=2");

  auto appended = journal->Append(Record{});

  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().kind, ErrorKind::kCorrupt);
  EXPECT_EQ(QueryText("SELECT count(*) FROM records"), "2");
}

TEST_F(JournalTest, OpenBringsAHeadLeftBehindByAStoppedProcessUpToDate) {
  auto journal = OpenJournal();
  ASSERT_NE(journal, nullptr);
  AppendResults(*journal, 3);
  auto records = journal->ReadAll();
  ASSERT_TRUE(records);
  journal.reset();
  // As if the process stopped after committing seq 3 but before rewriting journal.head.
  ASSERT_TRUE(WriteFileAtomic(case_dir_.journal_head(),
                              json({{"seq", 2}, {"hash", (*records)[1].hash}}).dump()));

  auto reopened = Journal::Open(case_dir_, clock_);

  ASSERT_TRUE(reopened) << reopened.error().Describe();
  EXPECT_EQ(json::parse(*ReadFile(case_dir_.journal_head()))["seq"], 3);
}

}  // namespace
}  // namespace cordon::journal
