// Runs the AWS playbook steps (PRODUCT.md §7, AWS): captures state, applies each change through
// the typed clients, journals every call, and refuses what the guards forbid.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "execution/executor.h"
#include "execution/step_recorder.h"
#include "journal/evidence.h"
#include "journal/journal.h"
#include "planning/plan.h"
#include "providers/aws/ec2_client.h"
#include "providers/aws/iam_client.h"
#include "providers/aws/lambda_client.h"
#include "providers/aws/s3_client.h"
#include "providers/aws/sts_client.h"

namespace cordon::execution {

// The AWS API for a region; "" asks for the default region. The returned reference must stay
// valid for the runner's lifetime. Thread-safe.
using AwsApiSource = std::function<aws::AwsApi&(const std::string& region)>;

// Who runs cordon and whom it must never contain. Thread-compatible.
struct AwsGuards {
  aws::CallerIdentity caller;
  std::string caller_access_key_id;               // the key cordon signs with; never contained
  std::vector<std::string> protected_principals;  // ARNs or names from the configuration
  // Responder ARNs (ArnLike patterns) that deny policies exempt by aws:PrincipalArn. The caller
  // checks before running that cordon's own identity is among them (ResponderExempting).
  std::vector<std::string> responders;
};

// How the runner waits for asynchronous changes (event-source mappings reaching Disabled): the
// first delay doubles up to `max_delay` until `budget` is spent. `sleep` is the seam tests
// replace; the default sleeps the calling thread.
struct WaitPolicy {
  std::chrono::milliseconds budget{60000};
  std::chrono::milliseconds first_delay{500};
  std::chrono::milliseconds max_delay{8000};
  std::function<void(std::chrono::milliseconds)> sleep;
};

// What the capture step learned about a target, for the steps after it.
struct CapturedTarget {
  bool refused = false;
  std::string refusal;
  // IAM user / access key
  std::string user_name;
  std::string user_arn;
  std::vector<aws::AccessKeyMetadata> access_keys;
  std::vector<std::string> inline_policies;
  std::vector<aws::Tag> tags;
  // IAM role
  std::string role_name;
  std::string trust_policy;  // decoded JSON text
  // EC2 instance
  std::optional<aws::Instance> instance;
  std::vector<aws::NetworkInterface> interfaces;
  std::vector<aws::Volume> volumes;
  std::string quarantine_group_id;
  std::string untrack_group_id;
  // S3 bucket
  std::string bucket_region;
  std::optional<std::string> bucket_policy;  // as stored; nullopt: the bucket has none
  bool bucket_policy_unparsable = false;     // not JSON: UNKNOWN, never overwritten
  std::optional<aws::PublicAccessBlock> public_access_block;
  std::optional<aws::BucketVersioning> versioning;
  // Lambda function
  std::optional<aws::LambdaFunctionConfiguration> function;
  std::optional<int> reserved_concurrency;  // nullopt: none reserved (not 0)
  std::vector<aws::EventSourceMapping> mappings;
  std::string async_destination;  // where asynchronous events go once invocations stop
};

// Thread-safe: Run may be called from many executor threads at once.
class AwsStepRunner {
 public:
  // `journal` and `evidence` may be null only when context.dry_run. `completed` lists step ids a
  // previous run finished; their captures are re-read but not stored again as evidence.
  // `apis` gives the API for a region ("" for the default region, used for IAM).
  AwsStepRunner(AwsApiSource apis, const planning::Plan& plan, RunContext context, AwsGuards guards,
                journal::Journal* journal, journal::EvidenceStore* evidence, const Clock& clock,
                std::set<std::string> completed);

  StepResult Run(const planning::Step& step);

  // Replaces the wait policy; call before Run. Not thread-safe.
  void SetWaitPolicy(WaitPolicy policy) { wait_ = std::move(policy); }

 private:
  StepResult CaptureUser(const planning::Step& step, StepRecorder& recorder);
  StepResult DeactivateKeys(const planning::Step& step, StepRecorder& recorder);
  StepResult PutUserDenyPolicy(const planning::Step& step, StepRecorder& recorder);
  StepResult TagUser(const planning::Step& step, StepRecorder& recorder);
  StepResult CaptureRole(const planning::Step& step, StepRecorder& recorder);
  StepResult RevokeRoleSessions(const planning::Step& step, StepRecorder& recorder);
  StepResult DenyTrustPolicy(const planning::Step& step, StepRecorder& recorder);
  StepResult CaptureInstance(const planning::Step& step, StepRecorder& recorder);
  StepResult ProtectInstance(const planning::Step& step, StepRecorder& recorder);
  StepResult SnapshotVolumes(const planning::Step& step, StepRecorder& recorder);
  StepResult EnsureQuarantineGroup(const planning::Step& step, StepRecorder& recorder);
  StepResult IsolateInterfaces(const planning::Step& step, StepRecorder& recorder);
  StepResult RevokeInstanceRoleSessions(const planning::Step& step, StepRecorder& recorder);
  StepResult TagInstance(const planning::Step& step, StepRecorder& recorder);
  // aws_ec2_network_steps.cc, aws_ec2_isolation_steps.cc, aws_ssm_steps.cc
  StepResult LeaveAutoScaling(const planning::Step& step, StepRecorder& recorder);
  StepResult DeregisterTargets(const planning::Step& step, StepRecorder& recorder);
  StepResult EnsureUntrackGroup(const planning::Step& step, StepRecorder& recorder);
  StepResult DisassociateAddresses(const planning::Step& step, StepRecorder& recorder);
  StepResult DisassociateInstanceProfile(const planning::Step& step, StepRecorder& recorder);
  StepResult CaptureMemory(const planning::Step& step, StepRecorder& recorder);
  StepResult CaptureBucket(const planning::Step& step, StepRecorder& recorder);
  StepResult EnableVersioning(const planning::Step& step, StepRecorder& recorder);
  StepResult BlockPublicAccess(const planning::Step& step, StepRecorder& recorder);
  StepResult DenyBucketPolicy(const planning::Step& step, StepRecorder& recorder);
  StepResult TagBucket(const planning::Step& step, StepRecorder& recorder);
  StepResult CaptureFunction(const planning::Step& step, StepRecorder& recorder);
  StepResult StopInvocations(const planning::Step& step, StepRecorder& recorder);
  StepResult DisableEventSourceMappings(const planning::Step& step, StepRecorder& recorder);
  StepResult RevokeExecutionRoleSessions(const planning::Step& step, StepRecorder& recorder);

  // Puts the inline policy denying sessions issued before now on `role_name`.
  StepResult DenyOlderSessions(const std::string& role_name, const std::string& policy_name,
                               StepRecorder& recorder);
  // Why containing this principal is refused, or "" when it is allowed.
  std::string GuardPrincipal(const std::string& arn, const std::string& name) const;
  // Stores captured state as evidence unless a previous run already did.
  Status StoreEvidence(const planning::Step& step, const std::string& name,
                       const nlohmann::json& content);

  CapturedTarget Captured(const std::string& target_key);
  void SetCaptured(const std::string& target_key, CapturedTarget captured);
  // Changes one target's captured state in place (steps of one target may run concurrently).
  void UpdateCaptured(const std::string& target_key,
                      const std::function<void(CapturedTarget&)>& change);
  const planning::Target* FindTarget(const std::string& key) const;
  // The EC2 client for the region of the step's target.
  aws::Ec2Client Ec2For(const planning::Step& step);
  // The API of the region of the step's target (Auto Scaling, ELBv2, SSM clients).
  aws::AwsApi& ApiFor(const planning::Step& step);
  // The lock that serializes find-or-create of one shared security group in one VPC.
  std::shared_ptr<std::mutex> GroupLock(const std::string& key);
  // The S3 client for the bucket's region (learned by the capture step), bound to the caller's
  // account as the expected bucket owner.
  aws::S3Client S3For(const std::string& region);
  // The Lambda client for the region of the step's target.
  aws::LambdaClient LambdaFor(const planning::Step& step);

  AwsApiSource apis_;
  aws::IamClient iam_;
  const planning::Plan& plan_;
  const RunContext context_;
  const AwsGuards guards_;
  journal::Journal* journal_;
  journal::EvidenceStore* evidence_;
  const Clock& clock_;
  const std::set<std::string> completed_;
  WaitPolicy wait_;

  std::mutex mutex_;  // guards captured_ and group_locks_
  std::map<std::string, CapturedTarget> captured_;
  std::map<std::string, std::shared_ptr<std::mutex>> group_locks_;  // one per VPC
};

// The name of the quarantine security group cordon creates once per VPC.
inline constexpr const char* kQuarantineGroupName = "cordon-quarantine";

}  // namespace cordon::execution
