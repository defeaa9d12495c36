// End to end against moto: bad input exits 2, names what was wrong, and reaches no cloud API.
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

TEST_F(ContainmentTest, AnEditedPlanFileIsRefusedBeforeAnyCall) {
  const std::string plan = dir_->File("plan.json");
  ASSERT_EQ(Cordon({"plan", "--case", "edited", "--out", plan, "--finding",
                    seed_["findings"]["ec2"]["path"].get<std::string>()})
                .exit_code,
            0);
  std::ifstream in(plan);
  json document = json::parse(in);
  for (auto& step : document["steps"]) {
    if (step["id"].get<std::string>().ends_with("/isolate")) {
      step["depends_on"] = json::array();  // would isolate before the snapshot
    }
  }
  std::ofstream(plan) << document.dump(2);
  ASSERT_TRUE(server_->MarkRequests());

  ProcessResult run = Cordon({"apply", "--case", "edited", "--yes", "--plan", plan});

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("/isolate"), std::string::npos) << run.err;
  auto requests = server_->RequestCount();
  ASSERT_TRUE(requests);
  EXPECT_EQ(*requests, 0u);
}

TEST_F(ContainmentTest, AnUneditedPlanFileApplies) {
  const std::string plan = dir_->File("plan.json");
  ASSERT_EQ(Cordon({"plan", "--case", "reviewed", "--out", plan, "--finding",
                    seed_["findings"]["iam"]["path"].get<std::string>()})
                .exit_code,
            0);

  ProcessResult run = Cordon({"apply", "--case", "reviewed", "--yes", "--plan", plan});

  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Inactive");
  }
}

struct BadInput {
  const char* name;
  std::vector<std::string> args;
  const char* expected_in_message;
};

class BadInputTest : public ContainmentTest, public ::testing::WithParamInterface<BadInput> {};

TEST_P(BadInputTest, ExitsTwoNamingTheProblemAndMakesNoCall) {
  const BadInput& input = GetParam();
  std::vector<std::string> args = input.args;
  for (auto& arg : args) {
    if (arg == "@bad-json") {
      arg = dir_->File("bad.json");
      std::ofstream(arg) << "{\"Findings\": [ {\"Id\": \"x\", ";
    } else if (arg == "@upper-id") {
      arg = dir_->File("upper.json");
      std::ofstream(arg) << R"({"Findings":[{"Id":"f1","Type":"Backdoor:EC2/C&CActivity.B",)"
                         << R"("Region":"us-east-1","Resource":{"InstanceDetails":)"
                         << R"({"InstanceId":"I-0ABCDEF1234567890"}}}]})";
    }
  }
  ASSERT_TRUE(server_->MarkRequests());

  ProcessResult run = Cordon(args);

  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find(input.expected_in_message), std::string::npos) << run.err;
  auto requests = server_->RequestCount();
  ASSERT_TRUE(requests);
  EXPECT_EQ(*requests, 0u) << "a bad input reached the cloud";
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, BadInputTest,
    ::testing::Values(
        BadInput{"UpperCaseInstance",
                 {"apply", "--case", "c", "--yes", "--target", "aws:ec2-instance:I-0ABC1234"},
                 "i-"},
        BadInput{"SpacedUser",
                 {"apply", "--case", "c", "--yes", "--target", "aws:iam-user:bad name"},
                 "aws:iam-user"},
        BadInput{"UnknownKind", {"apply", "--case", "c", "--yes", "--target", "aws:vm:x"}, "aws:"},
        BadInput{"BadCaseId",
                 {"apply", "--case", "../etc", "--yes", "--target", "aws:iam-user:alice"},
                 "[A-Za-z0-9._-]"},
        BadInput{"MissingFindingFile",
                 {"apply", "--case", "c", "--yes", "--finding", "/nonexistent/f.json"},
                 "/nonexistent/f.json"},
        BadInput{"InvalidFindingJson",
                 {"apply", "--case", "c", "--yes", "--finding", "@bad-json"},
                 "JSON"},
        BadInput{"UpperCaseIdInFinding",
                 {"apply", "--case", "c", "--yes", "--finding", "@upper-id"},
                 "InstanceId"},
        BadInput{"NothingToContain", {"apply", "--case", "c", "--yes"}, "--target"}),
    [](const ::testing::TestParamInfo<BadInput>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace cordon::testing
