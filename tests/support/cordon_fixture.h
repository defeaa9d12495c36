// The fixture of the end-to-end tests: one moto server per test binary, reset before each test
// and seeded with the incident of scripts/seed_incident.py (a user with two access keys, an
// instance with two interfaces in two subnets and two volumes, their GuardDuty findings, and a
// responder user), with helpers that run cordon and read the end state back with boto3.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/boto.h"
#include "tests/support/moto_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cordon::testing {

class CordonMotoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = MotoServer::Start();
    ASSERT_TRUE(started) << started.error().Describe();
    server_ = std::move(*started);
  }
  static void TearDownTestSuite() { server_.reset(); }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->DisableAuth());
    ASSERT_TRUE(server_->Reset());
    auto dir = TempDir::Create("cordon-e2e");
    ASSERT_TRUE(dir) << dir.error().Describe();
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    auto seeded = SeedIncident(*server_, dir_->File("findings"), /*responder=*/true);
    ASSERT_TRUE(seeded) << seeded.error().Describe();
    seed_ = *seeded;
  }

  Environment Env() const {
    Environment env = server_->AwsEnv();
    env["CORDON_HOME"] = dir_->File("home");
    // moto answers CloudTrail LookupEvents with HTTP 500; tests of the activity export pass
    // --since.
    env["CORDON_ACTIVITY_SINCE"] = "off";
    return env;
  }

  ProcessResult Cordon(const std::vector<std::string>& args, Environment env = {}) {
    if (env.empty()) {
      env = Env();
    }
    auto result = RunCordon(args, env);
    EXPECT_TRUE(result) << result.error().Describe();
    return result ? *result : ProcessResult{};
  }

  std::vector<std::string> ApplyArgs(const std::string& case_id) const {
    return {"apply",     "--case",
            case_id,     "--yes",
            "--finding", seed_["findings"]["ec2"]["path"].get<std::string>(),
            "--finding", seed_["findings"]["iam"]["path"].get<std::string>()};
  }

  nlohmann::json Boto(const std::string& code) {
    auto result = RunBoto(*server_, "import json,boto3\n" + code);
    EXPECT_TRUE(result) << result.error().Describe();
    return result ? *result : nlohmann::json();
  }

  nlohmann::json Instance() {
    return Boto("ec2=boto3.client('ec2')\nprint(json.dumps(ec2.describe_instances(InstanceIds=['" +
                seed_["instance_id"].get<std::string>() +
                "'])['Reservations'][0]['Instances'][0], default=str))");
  }

  nlohmann::json Keys() {
    return Boto(
        "print(json.dumps(boto3.client('iam').list_access_keys(UserName='build-bot')"
        "['AccessKeyMetadata'], default=str))");
  }

  static inline std::unique_ptr<MotoServer> server_;
  std::unique_ptr<TempDir> dir_;
  nlohmann::json seed_;
};

}  // namespace cordon::testing
