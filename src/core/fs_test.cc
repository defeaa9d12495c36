#include "core/fs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "core/clock.h"

namespace cordon {
namespace {

std::filesystem::path TempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("cordon-fs-test-" + std::to_string(::getpid()) + "-" + name);
}

TEST(FsTest, WriteFileAtomicReplacesTheWholeFile) {
  const auto path = TempPath("replace");
  ASSERT_TRUE(WriteFileAtomic(path, "first version, long"));

  ASSERT_TRUE(WriteFileAtomic(path, "second"));

  auto text = ReadFile(path);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "second");
  std::filesystem::remove(path);
}

TEST(FsTest, ReadFileNamesTheMissingPath) {
  auto text = ReadFile("/nonexistent/cordon/file.json");

  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, ErrorKind::kIo);
  EXPECT_NE(text.error().message.find("/nonexistent/cordon/file.json"), std::string::npos);
}

TEST(ClockTest, FormatsUtcWithMillisecondsAndSeconds) {
  const auto time = std::chrono::system_clock::time_point(
      std::chrono::milliseconds(1764819935123LL));  // 2025-12-04T03:45:35.123Z

  EXPECT_EQ(FormatRfc3339Millis(time), "2025-12-04T03:45:35.123Z");
  EXPECT_EQ(FormatRfc3339Seconds(time), "2025-12-04T03:45:35Z");
}

}  // namespace
}  // namespace cordon
