// End to end against moto: the CloudTrail activity step. moto answers LookupEvents with HTTP 500,
// so the step is UNKNOWN, nothing is stored as activity evidence, and containment goes on.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ActivityEvidenceTest : public CordonMotoTest {};

TEST_F(ActivityEvidenceTest, AFailedCloudTrailLookupIsUnknownAndContainmentProceeds) {
  const auto started = std::chrono::steady_clock::now();

  ProcessResult run =
      Cordon({"apply", "--case", "act-1", "--yes", "--since", "48h", "--output", "json",
              "--finding", seed_["findings"]["iam"]["path"].get<std::string>()});

  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::printf("apply with a failing CloudTrail lookup took %lld ms\n",
              static_cast<long long>(elapsed.count()));
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  json out = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.out;
  bool activity_unknown = false;
  for (const auto& step : out["steps"]) {
    if (step.value("action", "") == "cloudtrail.export_activity" ||
        step.value("id", "").find("/activity") != std::string::npos) {
      activity_unknown = step.value("outcome", "") == "unknown";
    }
  }
  EXPECT_TRUE(activity_unknown) << out.dump(2);
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Inactive") << key.dump();
  }
  EXPECT_EQ(run.out.find(".jsonl"), std::string::npos) << "no activity file is claimed";
  EXPECT_EQ(Cordon({"verify", "--case", "act-1"}).exit_code, 0);
}

TEST_F(ActivityEvidenceTest, ABadSinceIsAnInputErrorNamingTheForms) {
  ProcessResult run = Cordon(
      {"plan", "--case", "act-2", "--target", "aws:iam-user:build-bot", "--since", "yesterday"});

  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--since"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("48h"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace cordon::testing
