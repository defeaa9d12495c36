#include "providers/aws/environment.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace cordon::aws {
namespace {

TEST(EnvironmentTest, CopiesTheProcessEnvironment) {
  ASSERT_EQ(setenv("CORDON_ENV_TEST", "a=b c", 1), 0);

  const Environment env = ProcessEnvironment();
  unsetenv("CORDON_ENV_TEST");

  EXPECT_EQ(EnvironmentValue(env, "CORDON_ENV_TEST"), "a=b c");
  EXPECT_EQ(ProcessEnvironment().count("CORDON_ENV_TEST"), 0u);
}

TEST(EnvironmentTest, MissingAndEmptyValuesReadAsEmpty) {
  const Environment env{{"EMPTY", ""}};

  EXPECT_EQ(EnvironmentValue(env, "EMPTY"), "");
  EXPECT_EQ(EnvironmentValue(env, "ABSENT"), "");
}

}  // namespace
}  // namespace cordon::aws
