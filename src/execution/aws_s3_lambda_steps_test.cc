// The S3 bucket and Lambda function steps over FakeAwsApi: what moto does not model (a mapping
// passing through Disabling, a policy that is not JSON) and the content of the requests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <vector>

#include "execution/aws_runner.h"
#include "journal/evidence.h"
#include "journal/journal_test_util.h"
#include "planning/planner.h"
#include "providers/aws/fake_aws_api.h"

namespace cordon::execution {
namespace {

using nlohmann::json;

aws::RestResponse Ok(std::string body) {
  return aws::RestResponse{200, {}, std::move(body), "req-1"};
}

Error Code(const std::string& code) {
  return Error{ErrorKind::kNotFound, code, code, "err-req", 404, false};
}

class S3LambdaStepsTest : public journal::CaseTest {
 protected:
  // Runs the steps of `target`'s plan named in `names`, in plan order, through one runner.
  std::vector<StepResult> RunSteps(const planning::Target& target,
                                   const std::vector<std::string>& names,
                                   std::vector<std::string> responders = {}) {
    planning::PlanRequest request;
    request.case_id = "C9";
    request.inputs.push_back({target, "--target", {}, {}});
    plan_ = planning::BuildPlan(request);
    journal_ = OpenJournal();
    evidence_ = std::make_unique<journal::EvidenceStore>(case_dir_);
    AwsGuards guards;
    guards.caller = {"123456789012", "arn:aws:sts::123456789012:assumed-role/IR/alice", "AROA"};
    guards.responders = std::move(responders);
    AwsStepRunner runner([&](const std::string&) -> aws::AwsApi& { return api_; }, plan_,
                         {"C9", guards.caller.arn, false}, guards, journal_.get(), evidence_.get(),
                         clock_, {});
    runner.SetWaitPolicy({std::chrono::milliseconds(4000), std::chrono::milliseconds(500),
                          std::chrono::milliseconds(8000),
                          [&](std::chrono::milliseconds pause) { sleeps_.push_back(pause); }});
    std::vector<StepResult> results;
    for (const auto& name : names) {
      const planning::Step* step = plan_.FindStep(target.Key() + "/" + name);
      EXPECT_NE(step, nullptr) << name;
      results.push_back(runner.Run(*step));
    }
    return results;
  }

  void QueueFunctionCapture(const std::string& mapping_state) {
    api_.QueueRest(Ok(aws::ReadTestdata("lambda_get_function_configuration.json")));
    api_.QueueRest(Ok("{}"));  // no reserved concurrency
    api_.QueueRest(Ok(json{{"EventSourceMappings",
                            {{{"UUID", "u-1"},
                              {"State", mapping_state},
                              {"EventSourceArn", "arn:aws:sqs:us-west-2:123456789012:orders"},
                              {"FunctionArn",
                               "arn:aws:lambda:us-west-2:123456789012:"
                               "function:my-function"}}}}}
                          .dump()));
    api_.QueueRestError(Code("ResourceNotFoundException"));  // no resource policy
    api_.QueueRestError(Code("ResourceNotFoundException"));  // no event-invoke config
  }

  static std::string Mapping(const std::string& state) {
    return json{{"UUID", "u-1"}, {"State", state}}.dump();
  }

  aws::FakeAwsApi api_;
  planning::Plan plan_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<journal::EvidenceStore> evidence_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

const planning::Target kFunction{planning::TargetKind::kAwsLambdaFunction, "my-function",
                                 "123456789012", "us-west-2", ""};
const planning::Target kBucket{planning::TargetKind::kAwsS3Bucket, "case-data", "123456789012",
                               "us-east-1", ""};

TEST_F(S3LambdaStepsTest, MappingsAreDisabledAndPolledUntilTheyReportDisabled) {
  QueueFunctionCapture("Enabled");
  api_.QueueRest(Ok(Mapping("Disabling")));  // UpdateEventSourceMapping
  api_.QueueRest(Ok(Mapping("Disabling")));  // first poll
  api_.QueueRest(Ok(Mapping("Disabled")));   // second poll

  auto results = RunSteps(kFunction, {"capture", "disable-mappings"});

  ASSERT_EQ(results[0].outcome, Outcome::kOk) << results[0].message;
  ASSERT_EQ(results[1].outcome, Outcome::kOk) << results[1].message;
  EXPECT_EQ(sleeps_, std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(500)});
  const auto calls = api_.RestCalls();
  ASSERT_EQ(calls.size(), 8u);
  EXPECT_EQ(calls[5].request.method, "PUT");
  EXPECT_EQ(calls[5].request.path, "/2015-03-31/event-source-mappings/u-1");
  EXPECT_EQ(json::parse(calls[5].request.body), json({{"Enabled", false}}));
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_NE(calls[i].request.method, "DELETE") << "mappings are never deleted";
  }
  EXPECT_EQ(api_.Pending(), 0u);
}

TEST_F(S3LambdaStepsTest, EvidenceKeepsEnvironmentVariableNamesButNotTheirValues) {
  QueueFunctionCapture("Enabled");

  auto results = RunSteps(kFunction, {"capture"});

  ASSERT_EQ(results[0].outcome, Outcome::kOk) << results[0].message;
  std::ifstream in(case_dir_.evidence_dir() / "lambda-function-my-function.json");
  const json evidence = json::parse(in, nullptr, false);
  ASSERT_TRUE(evidence.is_object());
  EXPECT_EQ(evidence["configuration"]["Environment"]["Variables"]["PREFIX"], "[redacted]");
  EXPECT_EQ(evidence["configuration"]["FunctionName"], "my-function");
  EXPECT_EQ(evidence["reserved_concurrent_executions"], nullptr);
}

TEST_F(S3LambdaStepsTest, AMappingThatStaysDisablingFailsAfterTheBudget) {
  QueueFunctionCapture("Enabled");
  api_.QueueRest(Ok(Mapping("Disabling")));
  for (int i = 0; i < 5; ++i) {
    api_.QueueRest(Ok(Mapping("Disabling")));
  }

  auto results = RunSteps(kFunction, {"capture", "disable-mappings"});

  EXPECT_EQ(results[1].outcome, Outcome::kFailed);
  EXPECT_THAT(results[1].message, ::testing::HasSubstr("still reports Disabling"));
  // 500 + 1000 + 2000 + 500 (the rest of the 4 s budget), with backoff.
  EXPECT_EQ(sleeps_, (std::vector<std::chrono::milliseconds>{
                         std::chrono::milliseconds(500), std::chrono::milliseconds(1000),
                         std::chrono::milliseconds(2000), std::chrono::milliseconds(500)}));
}

TEST_F(S3LambdaStepsTest, ConcurrencyStepNamesTheDeadLetterQueueAndSavesNoneAsNull) {
  QueueFunctionCapture("Disabled");
  api_.QueueRest(Ok(R"({"ReservedConcurrentExecutions":0})"));

  auto results = RunSteps(kFunction, {"capture", "concurrency"});

  ASSERT_EQ(results[1].outcome, Outcome::kOk) << results[1].message;
  EXPECT_THAT(results[1].message, ::testing::HasSubstr("was none"));
  EXPECT_THAT(
      results[1].message,
      ::testing::HasSubstr("dead-letter queue arn:aws:sqs:us-west-2:123456789012:my-function-dlq"));
  auto records = journal_->ReadAll();
  ASSERT_TRUE(records);
  bool saw_intent = false;
  for (const auto& record : *records) {
    if (record.kind == journal::RecordKind::kIntent &&
        record.operation == "lambda:PutFunctionConcurrency") {
      saw_intent = true;
      EXPECT_EQ(json::parse(record.prior_state)["reserved_concurrent_executions"], nullptr);
    }
  }
  EXPECT_TRUE(saw_intent);
}

void QueueBucketCapture(aws::FakeAwsApi& api, std::optional<std::string> policy) {
  if (policy) {
    api.QueueRest(Ok(*policy));
  } else {
    api.QueueRestError(Code("NoSuchBucketPolicy"));
  }
  api.QueueRestError(Code("NoSuchPublicAccessBlockConfiguration"));
  api.QueueRestError(Code("OwnershipControlsNotFoundError"));
  api.QueueRest(
      Ok(R"(<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>)"));
}

TEST_F(S3LambdaStepsTest, DenyPolicyExemptsRespondersByArnNotLikeNeverNotPrincipal) {
  QueueBucketCapture(api_, std::nullopt);
  api_.QueueRest(Ok(""));  // PutBucketPolicy

  auto results =
      RunSteps(kBucket, {"capture", "deny-policy"}, {"arn:aws:iam::123456789012:role/IR"});

  ASSERT_EQ(results[0].outcome, Outcome::kOk) << results[0].message;
  ASSERT_EQ(results[1].outcome, Outcome::kOk) << results[1].message;
  const auto put = api_.RestCalls().back().request;
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.path, "/case-data");
  const json policy = json::parse(put.body);
  EXPECT_EQ(put.body.find("NotPrincipal"), std::string::npos);
  const json& statement = policy["Statement"][0];
  EXPECT_EQ(statement["Effect"], "Deny");
  EXPECT_EQ(statement["Principal"], "*");
  EXPECT_EQ(statement["Action"], "s3:*");
  EXPECT_EQ(statement["Resource"], json({"arn:aws:s3:::case-data", "arn:aws:s3:::case-data/*"}));
  EXPECT_EQ(statement["Condition"]["ArnNotLike"]["aws:PrincipalArn"],
            json({"arn:aws:iam::123456789012:role/IR"}));
}

TEST_F(S3LambdaStepsTest, APolicyThatIsNotJsonIsUnknownAndNeverOverwritten) {
  QueueBucketCapture(api_, std::string("<html>not a policy</html>"));

  auto results =
      RunSteps(kBucket, {"capture", "deny-policy"}, {"arn:aws:iam::123456789012:role/IR"});

  EXPECT_EQ(results[0].outcome, Outcome::kOk) << results[0].message;
  EXPECT_THAT(results[0].message, ::testing::HasSubstr("not JSON"));
  EXPECT_EQ(results[1].outcome, Outcome::kUnknown);
  EXPECT_EQ(api_.RestCalls().size(), 4u) << "nothing is written over an unreadable policy";
}

}  // namespace
}  // namespace cordon::execution
