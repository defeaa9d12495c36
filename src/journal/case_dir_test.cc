#include "journal/case_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "journal/journal_test_util.h"

namespace cordon::journal {
namespace {

TEST(CaseIdTest, AcceptsLettersDigitsDotsUnderscoresAndDashesUpTo64) {
  for (const std::string& id :
       std::vector<std::string>{"a", "IR-2025-001", "case_7.b", "...", std::string(64, 'x')}) {
    EXPECT_TRUE(ValidateCaseId(id)) << id;
  }
}

TEST(CaseIdTest, RejectsEmptyDotsSlashesSpacesAndOverlongIds) {
  for (const std::string& id :
       std::vector<std::string>{"", ".", "..", "a/b", "../etc", "a b", " a", "a\n", "caf\xc3\xa9",
                                std::string(65, 'x')}) {
    auto valid = ValidateCaseId(id);

    ASSERT_FALSE(valid) << id;
    EXPECT_EQ(valid.error().kind, ErrorKind::kInvalidInput);
    EXPECT_NE(valid.error().message.find("--case"), std::string::npos);
    EXPECT_NE(valid.error().message.find("[A-Za-z0-9._-]{1,64}"), std::string::npos);
  }
}

TEST(CaseIdTest, ErrorShowsTheBadValueEscaped) {
  EXPECT_NE(ValidateCaseId("a/b").error().message.find("\"a/b\""), std::string::npos);
  EXPECT_NE(ValidateCaseId("a\nb").error().message.find("\"a\\nb\""), std::string::npos);
}

TEST(CaseDirTest, PlacesTheCaseUnderHomeCases) {
  auto case_dir = CaseDir::At("/var/cordon", "IR-1");

  ASSERT_TRUE(case_dir);
  EXPECT_EQ(case_dir->case_id(), "IR-1");
  EXPECT_EQ(case_dir->root(), "/var/cordon/cases/IR-1");
  EXPECT_EQ(case_dir->journal_db(), "/var/cordon/cases/IR-1/journal.db");
  EXPECT_EQ(case_dir->journal_head(), "/var/cordon/cases/IR-1/journal.head");
  EXPECT_EQ(case_dir->plan_json(), "/var/cordon/cases/IR-1/plan.json");
  EXPECT_EQ(case_dir->evidence_dir(), "/var/cordon/cases/IR-1/evidence");
  EXPECT_EQ(case_dir->evidence_manifest(), "/var/cordon/cases/IR-1/evidence/manifest.json");
}

TEST(CaseDirTest, AtRefusesAnInvalidIdOrEmptyHome) {
  EXPECT_EQ(CaseDir::At("/var/cordon", "..").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(CaseDir::At("", "IR-1").error().kind, ErrorKind::kInvalidInput);
}

class CaseDirFolderTest : public CaseTest {};

TEST_F(CaseDirFolderTest, AtCreatesNothing) {
  EXPECT_FALSE(std::filesystem::exists(home_ / "cases"));
}

TEST_F(CaseDirFolderTest, CreateMakesPrivateFolders) {
  ASSERT_TRUE(case_dir_.Create());

  for (const auto& dir : {home_ / "cases", case_dir_.root(), case_dir_.evidence_dir()}) {
    struct stat info {};
    ASSERT_EQ(::stat(dir.c_str(), &info), 0) << dir;
    EXPECT_EQ(info.st_mode & 0777, 0700u) << dir;
  }
}

}  // namespace
}  // namespace cordon::journal
