#include "journal/case_lock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

namespace cordon::journal {
namespace {

class CaseLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cordon-lock-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    home_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  std::filesystem::path home_;
};

// flock locks belong to the open file description, so a second process is what a second
// cordon run looks like; a forked child checks the lock while the parent holds it.
int ChildTriesToLock(const CaseDir& case_dir) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    auto lock = CaseLock::Acquire(case_dir);
    ::_exit(lock ? 0 : (lock.error().kind == ErrorKind::kConflict ? 3 : 4));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(CaseLockTest, ASecondProcessIsRefusedWhileTheLockIsHeldAndAdmittedAfter) {
  auto case_dir = CaseDir::At(home_, "C1");
  ASSERT_TRUE(case_dir);

  {
    auto held = CaseLock::Acquire(*case_dir);
    ASSERT_TRUE(held) << held.error().message;
    EXPECT_EQ(ChildTriesToLock(*case_dir), 3);
  }

  EXPECT_EQ(ChildTriesToLock(*case_dir), 0);
}

TEST_F(CaseLockTest, LocksOfDifferentCasesDoNotConflict) {
  auto first = CaseDir::At(home_, "C1");
  auto second = CaseDir::At(home_, "C2");
  ASSERT_TRUE(first && second);

  auto held = CaseLock::Acquire(*first);

  ASSERT_TRUE(held);
  EXPECT_EQ(ChildTriesToLock(*second), 0);
}

}  // namespace
}  // namespace cordon::journal
