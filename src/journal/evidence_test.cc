#include "journal/evidence.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "core/crypto.h"
#include "core/fs.h"
#include "journal/journal_test_util.h"
#include "journal/verify.h"

namespace cordon::journal {
namespace {

using nlohmann::json;

class EvidenceTest : public CaseTest {
 protected:
  void SetUp() override {
    journal_ = OpenJournal();
    ASSERT_NE(journal_, nullptr);
  }

  // Stores evidence and journals it, as the step runner does.
  EvidenceEntry Store(const std::string& name, const std::string& content) {
    auto entry = store_.Put(name, content);
    EXPECT_TRUE(entry) << entry.error().Describe();
    if (!entry) {
      return {};
    }
    Record record;
    record.kind = RecordKind::kEvidence;
    record.operation = "evidence.store";
    record.detail = {{"file", entry->name}, {"sha256", entry->sha256}, {"size", entry->size}};
    EXPECT_TRUE(journal_->Append(std::move(record)));
    return *entry;
  }

  EvidenceVerification Verify() {
    auto verified = VerifyEvidence(case_dir_);
    EXPECT_TRUE(verified) << verified.error().Describe();
    return verified ? *verified : EvidenceVerification{};
  }

  // Replaces an evidence file's content behind cordon's back.
  void Overwrite(const std::string& name, const std::string& content) {
    const auto path = case_dir_.evidence_dir() / name;
    std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    ASSERT_TRUE(WriteFileAtomic(path, content));
  }

  std::unique_ptr<Journal> journal_;
  EvidenceStore store_{case_dir_, clock_};
};

bool HasProblem(const EvidenceVerification& result, const std::string& name,
                EvidenceProblemKind kind) {
  return std::any_of(result.problems.begin(), result.problems.end(),
                     [&](const EvidenceProblem& p) { return p.name == name && p.kind == kind; });
}

TEST_F(EvidenceTest, PutStoresAReadOnlyFileAndListsItInTheManifest) {
  auto entry = store_.Put("i-0abc-state.json", "{\"State\":\"running\"}\n");

  ASSERT_TRUE(entry) << entry.error().Describe();
  EXPECT_EQ(entry->name, "i-0abc-state.json");
  EXPECT_EQ(entry->sha256, Sha256Hex("{\"State\":\"running\"}\n"));
  EXPECT_EQ(entry->size, 20u);
  EXPECT_EQ(entry->stored_at, "2025-12-04T03:45:35.123Z");
  const auto path = case_dir_.evidence_dir() / "i-0abc-state.json";
  EXPECT_EQ(*ReadFile(path), "{\"State\":\"running\"}\n");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0400u);
  auto manifest = ReadManifest(case_dir_);
  ASSERT_TRUE(manifest);
  ASSERT_EQ(manifest->size(), 1u);
  EXPECT_EQ((*manifest)[0].sha256, entry->sha256);
}

TEST_F(EvidenceTest, ManifestIsSortedByName) {
  Store("zeta.json", "z");
  Store("alpha.json", "a");
  Store("mid.json", "m");

  const auto manifest = json::parse(*ReadFile(case_dir_.evidence_manifest()));

  ASSERT_EQ(manifest["files"].size(), 3u);
  EXPECT_EQ(manifest["files"][0]["name"], "alpha.json");
  EXPECT_EQ(manifest["files"][1]["name"], "mid.json");
  EXPECT_EQ(manifest["files"][2]["name"], "zeta.json");
  EXPECT_EQ(manifest["version"], 1);
}

TEST_F(EvidenceTest, PuttingTheSameContentAgainChangesNothing) {
  auto first = store_.Put("user.json", "{}");
  ASSERT_TRUE(first);
  clock_.Set(clock_.Now() + std::chrono::hours(1));

  auto second = store_.Put("user.json", "{}");

  ASSERT_TRUE(second);
  EXPECT_EQ(second->name, "user.json");
  EXPECT_EQ(second->stored_at, first->stored_at);
  EXPECT_EQ(ReadManifest(case_dir_)->size(), 1u);
}

TEST_F(EvidenceTest, DifferentContentUnderATakenNameGetsANewNameAndKeepsTheOriginal) {
  ASSERT_TRUE(store_.Put("user.json", "first"));

  auto second = store_.Put("user.json", "second");
  auto third = store_.Put("user.json", "third");
  auto second_again = store_.Put("user.json", "second");

  ASSERT_TRUE(second && third && second_again);
  EXPECT_EQ(second->name, "user-2.json");
  EXPECT_EQ(third->name, "user-3.json");
  EXPECT_EQ(second_again->name, "user-2.json");
  EXPECT_EQ(*ReadFile(case_dir_.evidence_dir() / "user.json"), "first");
  EXPECT_EQ(*ReadFile(case_dir_.evidence_dir() / "user-2.json"), "second");
  EXPECT_EQ(ReadManifest(case_dir_)->size(), 3u);
}

TEST_F(EvidenceTest, PutNeverOverwritesAFileTheManifestDoesNotList) {
  ASSERT_TRUE(WriteFileAtomic(case_dir_.evidence_dir() / "notes", "hand-written"));

  auto entry = store_.Put("notes", "cordon's");

  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->name, "notes-2");
  EXPECT_EQ(*ReadFile(case_dir_.evidence_dir() / "notes"), "hand-written");
}

TEST_F(EvidenceTest, PutRejectsNamesThatAreNotOnePlainFileName) {
  for (const std::string& name :
       std::vector<std::string>{"", ".hidden", "a/b", "../escape", "manifest.json", "a b", "tab\t",
                                std::string(129, 'n')}) {
    auto entry = store_.Put(name, "x");

    ASSERT_FALSE(entry) << name;
    EXPECT_EQ(entry.error().kind, ErrorKind::kInvalidInput);
  }
  EXPECT_TRUE(ReadManifest(case_dir_)->empty());
}

TEST_F(EvidenceTest, ConcurrentPutsFromManyThreadsAllLandInTheManifest) {
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string name = "t" + std::to_string(t) + "-" + std::to_string(i) + ".json";
        EXPECT_TRUE(store_.Put(name, name));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  EXPECT_EQ(ReadManifest(case_dir_)->size(), 80u);
}

TEST_F(EvidenceTest, IntactEvidenceVerifies) {
  Store("a.json", "alpha");
  Store("b.json", "beta");

  const auto result = Verify();

  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.files_checked, 2u);
  EXPECT_TRUE(result.problems.empty());
}

TEST_F(EvidenceTest, ModifiedFileIsReported) {
  Store("a.json", "alpha");
  Store("b.json", "beta");
  Overwrite("b.json", "BETA");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_TRUE(HasProblem(result, "b.json", EvidenceProblemKind::kModified));
}

TEST_F(EvidenceTest, ModifiedFileWithTheManifestRewrittenToMatchIsCaughtByTheJournal) {
  Store("a.json", "alpha");
  Overwrite("a.json", "ALPHA");
  auto manifest = json::parse(*ReadFile(case_dir_.evidence_manifest()));
  manifest["files"][0]["sha256"] = Sha256Hex("ALPHA");
  ASSERT_TRUE(WriteFileAtomic(case_dir_.evidence_manifest(), manifest.dump()));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(HasProblem(result, "a.json", EvidenceProblemKind::kModified));
}

TEST_F(EvidenceTest, MissingFileIsReported) {
  Store("a.json", "alpha");
  std::filesystem::remove(case_dir_.evidence_dir() / "a.json");

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(HasProblem(result, "a.json", EvidenceProblemKind::kMissing));
}

TEST_F(EvidenceTest, FileRemovedWithItsManifestEntryIsCaughtByTheJournal) {
  Store("a.json", "alpha");
  std::filesystem::remove(case_dir_.evidence_dir() / "a.json");
  ASSERT_TRUE(WriteFileAtomic(case_dir_.evidence_manifest(), R"({"files":[],"version":1})"));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(HasProblem(result, "a.json", EvidenceProblemKind::kMissing));
}

TEST_F(EvidenceTest, UnlistedFileIsReported) {
  Store("a.json", "alpha");
  ASSERT_TRUE(WriteFileAtomic(case_dir_.evidence_dir() / "planted.json", "{}"));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_TRUE(HasProblem(result, "planted.json", EvidenceProblemKind::kUnlisted));
}

TEST_F(EvidenceTest, LeftoverTemporaryFileOfAnAtomicWriteIsNotReported) {
  Store("a.json", "alpha");
  ASSERT_TRUE(WriteFileAtomic(case_dir_.evidence_dir() / ".a.json.tmp-12345", "partial"));

  EXPECT_TRUE(Verify().ok);
}

TEST_F(EvidenceTest, StoredButNeverJournaledFileIsReported) {
  ASSERT_TRUE(store_.Put("orphan.json", "{}"));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(HasProblem(result, "orphan.json", EvidenceProblemKind::kNotJournaled));
}

TEST_F(EvidenceTest, UnreadableManifestIsReported) {
  Store("a.json", "alpha");
  ASSERT_TRUE(WriteFileAtomic(case_dir_.evidence_manifest(), "not json"));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(HasProblem(result, "manifest.json", EvidenceProblemKind::kBadManifest));
}

TEST_F(EvidenceTest, ManifestNamingAPathOutsideTheFolderIsReportedNotRead) {
  ASSERT_TRUE(WriteFileAtomic(
      case_dir_.evidence_manifest(),
      R"({"files":[{"name":"../journal.head","sha256":"00","size":1,"stored_at":"x"}],"version":1})"));

  const auto result = Verify();

  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.files_checked, 0u);
  EXPECT_TRUE(HasProblem(result, "../journal.head", EvidenceProblemKind::kBadManifest));
}

TEST(EvidenceProblemKindTest, NamesEveryKind) {
  EXPECT_STREQ(EvidenceProblemKindName(EvidenceProblemKind::kMissing), "missing");
  EXPECT_STREQ(EvidenceProblemKindName(EvidenceProblemKind::kModified), "modified");
  EXPECT_STREQ(EvidenceProblemKindName(EvidenceProblemKind::kUnlisted), "unlisted");
  EXPECT_STREQ(EvidenceProblemKindName(EvidenceProblemKind::kNotJournaled), "not-journaled");
  EXPECT_STREQ(EvidenceProblemKindName(EvidenceProblemKind::kBadManifest), "bad-manifest");
}

TEST(EvidenceFileNameTest, AValidNameIsKeptAsItIs) {
  EXPECT_EQ(EvidenceFileName("iam-user-build-bot.json"), "iam-user-build-bot.json");
}

TEST(EvidenceFileNameTest, IamCharactersAreReplacedAndTheNamesStayDistinctAndValid) {
  const std::string at = EvidenceFileName("iam-user-alice@example.com.json");
  const std::string plus = EvidenceFileName("iam-user-alice+example.com.json");

  EXPECT_TRUE(ValidateEvidenceName(at)) << at;
  EXPECT_TRUE(ValidateEvidenceName(plus)) << plus;
  EXPECT_NE(at, plus);
  EXPECT_EQ(at.rfind("iam-user-alice_example.com-", 0), 0U) << at;
  EXPECT_EQ(at.substr(at.size() - 5), ".json");
}

TEST(EvidenceFileNameTest, ALongNameIsCutToTheLimitKeepingItsExtension) {
  const std::string wanted = "iam-role-" + std::string(200, '=') + ".json";

  const std::string name = EvidenceFileName(wanted);

  EXPECT_TRUE(ValidateEvidenceName(name)) << name;
  EXPECT_EQ(name.size(), 128U);
  EXPECT_EQ(name.substr(name.size() - 5), ".json");
}

}  // namespace
}  // namespace cordon::journal
