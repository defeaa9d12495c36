#include "planning/planner.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace cordon::planning {
namespace {

using nlohmann::json;

// Adds steps for one target; `key` prefixes every step id.
class StepBuilder {
 public:
  StepBuilder(const Target& target, Plan& plan) : target_(target), plan_(plan) {}

  std::string Add(Phase phase, const std::string& name, const std::string& action,
                  const std::string& summary, std::vector<std::string> depends_on, bool mutating,
                  bool reversible, std::vector<std::string> techniques,
                  json params = json::object()) {
    Step step;
    step.id = target_.Key() + "/" + name;
    step.target = target_.Key();
    step.phase = phase;
    step.action = action;
    step.summary = summary;
    step.params = std::move(params);
    step.depends_on = std::move(depends_on);
    step.mutating = mutating;
    step.reversible = reversible;
    step.techniques = std::move(techniques);
    plan_.steps.push_back(step);
    return step.id;
  }

 private:
  const Target& target_;
  Plan& plan_;
};

// IAM user, or an access key whose owner the capture step looks up.
void AddUserSteps(const Target& target, Plan& plan) {
  StepBuilder steps(target, plan);
  const bool delete_keys = plan.options.delete_keys;
  const std::string who =
      target.kind == TargetKind::kAwsAccessKey
          ? "the owner of access key " + target.id +
                (target.owner.empty() ? std::string() : " (" + target.owner + ")")
          : "IAM user " + target.id;

  const std::string capture =
      steps.Add(Phase::kPreserve, "capture", "iam.capture_user",
                "capture " + who + ": keys, policies, groups, login profile, MFA devices", {},
                false, false, {"T1078.004"});
  // A different step id when deleting, so a case contained earlier with deactivation still
  // deletes the keys when asked to later.
  steps.Add(Phase::kRevoke, delete_keys ? "delete-keys" : "deactivate-keys",
            "iam.deactivate_access_keys",
            std::string(delete_keys ? "delete" : "deactivate") + " every access key of " + who,
            {capture}, true, !delete_keys, {"T1078.004", "T1552"}, {{"delete", delete_keys}});
  const std::string deny = steps.Add(
      Phase::kRevoke, "deny-policy", "iam.put_user_deny_policy",
      "attach inline deny-all policy " + DenyPolicyName(plan.case_id) + " to " + who, {capture},
      true, true, {"T1078.004"}, {{"policy_name", DenyPolicyName(plan.case_id)}});
  steps.Add(Phase::kMark, "tag", "iam.tag_user", "tag " + who + " with IR-Case and IR-Status",
            {deny}, true, true, {});
}

void AddRoleSteps(const Target& target, Plan& plan) {
  StepBuilder steps(target, plan);
  const std::string capture =
      steps.Add(Phase::kPreserve, "capture", "iam.capture_role",
                "capture IAM role " + target.id + ": trust policy, inline and attached policies",
                {}, false, false, {"T1078.004"});
  steps.Add(Phase::kRevoke, "revoke-sessions", "iam.revoke_role_sessions",
            "deny every session of role " + target.id +
                " issued before the containment time (aws:TokenIssueTime)",
            {capture}, true, true, {"T1078.004", "T1552.005"},
            {{"policy_name", RevokeSessionsPolicyName(plan.case_id)}});
  steps.Add(Phase::kRevoke, "deny-trust", "iam.deny_trust_policy",
            "replace the trust policy of role " + target.id +
                " with an explicit Deny for every principal (the original is saved for release)",
            {capture}, true, true, {"T1078.004", "T1098"});
}

void AddInstanceSteps(const Target& target, Plan& plan) {
  StepBuilder steps(target, plan);
  const std::string& id = target.id;
  const bool contain_first = plan.options.contain_first;
  // Memory capture needs the instance's network (the SSM agent) and its role, so it can only
  // run before isolation; --contain-first leaves it out (the command line refuses the pair).
  const bool capture_memory = !plan.options.memory_capture_command.empty() && !contain_first;

  const std::string capture = steps.Add(
      Phase::kPreserve, "capture", "ec2.capture_instance",
      "capture instance " + id + ": interfaces, volumes, security groups, tags, attributes", {},
      false, false, {"T1578"});
  const std::string protect = steps.Add(
      Phase::kPreserve, "protect", "ec2.protect_instance",
      "turn on termination protection, set shutdown behaviour to stop, keep every volume on "
      "termination",
      {capture}, true, true, {"T1578", "T1485"});
  // Evidence first: every network step waits for the snapshot (and the memory capture), unless
  // --contain-first asks for the reverse, in which case the snapshot waits for isolation.
  const std::string snapshot_id = target.Key() + "/snapshot";
  const std::string isolate_id = target.Key() + "/isolate";
  std::vector<std::string> snapshot_deps = {protect};
  std::vector<std::string> evidence;  // what every network step waits for
  if (contain_first) {
    snapshot_deps.push_back(isolate_id);
  } else {
    evidence.push_back(snapshot_id);
  }
  steps.Add(Phase::kPreserve, "snapshot", "ec2.snapshot_volumes",
            "snapshot every volume of " + id + " (one crash-consistent call), tagged IR-Case",
            snapshot_deps, true, false, {"T1578"});
  if (capture_memory) {
    evidence.push_back(
        steps.Add(Phase::kPreserve, "memory-capture", "ssm.capture_memory",
                  "capture the memory of " + id + " through SSM Run Command (" +
                      plan.options.memory_capture_command + ") and wait for it to finish",
                  {snapshot_id}, true, false, {"T1578"},
                  {{"command", plan.options.memory_capture_command},
                   {"timeout_seconds", plan.options.memory_capture_timeout_seconds}}));
  }
  auto after_evidence = [&](std::vector<std::string> deps) {
    deps.insert(deps.begin(), capture);
    deps.insert(deps.end(), evidence.begin(), evidence.end());
    return deps;
  };

  const std::string leave_group = steps.Add(
      Phase::kIsolate, "leave-auto-scaling", "autoscaling.leave_group",
      "if " + id +
          " is in an Auto Scaling group, put it in Standby (or detach it) without lowering the "
          "desired capacity, so failing health checks cannot get it terminated",
      after_evidence({}), true, true, {"T1578"});
  const std::string deregister =
      steps.Add(Phase::kIsolate, "deregister-targets", "elbv2.deregister_targets",
                "deregister " + id + " from every load-balancer target group it is registered in",
                after_evidence({leave_group}), true, true, {"T1578"});
  const std::string untrack =
      steps.Add(Phase::kIsolate, "untrack-group", "ec2.ensure_untrack_group",
                std::string("find or create the all-traffic security group ") + kUntrackGroupName +
                    " of the instance's VPC (all protocols in and out, IPv4 and IPv6)",
                after_evidence({}), true, false, {"T1578"});
  const std::string quarantine = steps.Add(
      Phase::kIsolate, "quarantine-group", "ec2.ensure_quarantine_group",
      "find or create the quarantine security group of the instance's VPC (no ingress, no "
      "egress)",
      after_evidence({}), true, false, {"T1578"});
  const std::string isolate =
      steps.Add(Phase::kIsolate, "isolate", "ec2.isolate_interfaces",
                "on every network interface of " + id +
                    " (per interface), put the all-traffic group so established connections "
                    "become untracked, then replace it with the quarantine group",
                after_evidence({untrack, quarantine, leave_group, deregister}), true, true,
                {"T1578", "T1496", "T1071"});
  const std::string addresses =
      steps.Add(Phase::kIsolate, "detach-elastic-ips", "ec2.disassociate_addresses",
                "disassociate every Elastic IP from the network interfaces of " + id,
                after_evidence({}), true, true, {"T1578"});
  const std::string revoke = steps.Add(
      Phase::kRevoke, "revoke-role-sessions", "ec2.revoke_instance_role_sessions",
      "deny sessions of the instance profile's role issued before the containment time", {isolate},
      true, true, {"T1552.005"}, {{"policy_name", RevokeSessionsPolicyName(plan.case_id)}});
  const std::string profile =
      steps.Add(Phase::kRevoke, "detach-profile", "ec2.disassociate_instance_profile",
                "disassociate the instance profile from " + id +
                    " (after its role's older sessions are revoked), so it gets no new credentials",
                {revoke}, true, true, {"T1552.005"});
  steps.Add(Phase::kMark, "tag", "ec2.tag_instance",
            "tag " + id + " with IR-Case and IR-Status=contained",
            {isolate, revoke, profile, addresses}, true, true, {});
}

void AddBucketSteps(const Target& target, Plan& plan) {
  StepBuilder steps(target, plan);
  const std::string& name = target.id;
  const std::string capture =
      steps.Add(Phase::kPreserve, "capture", "s3.capture_bucket",
                "capture bucket " + name +
                    ": policy, public access block, ownership controls, versioning, location",
                {}, false, false, {"T1530"});
  // Versioning keeps every object version from now on: evidence, so it comes before isolation
  // unless --contain-first.
  const std::string versioning_id = target.Key() + "/versioning";
  std::vector<std::string> isolate_deps = {capture};
  std::vector<std::string> versioning_deps = {capture};
  if (plan.options.contain_first) {
    versioning_deps.push_back(target.Key() + "/deny-policy");
  } else {
    isolate_deps.push_back(versioning_id);
  }
  steps.Add(Phase::kPreserve, "versioning", "s3.enable_versioning",
            "enable versioning on " + name + " (it cannot be turned off again)", versioning_deps,
            true, false, {"T1530", "T1485"});
  // The policy goes first: with BlockPublicPolicy on, S3 refuses to put back a public policy,
  // and release (newest first) must relax the public access block before restoring it.
  const std::string deny = steps.Add(
      Phase::kIsolate, "deny-policy", "s3.deny_bucket_policy",
      "replace the bucket policy of " + name +
          " with a deny-all exempting the responders by aws:PrincipalArn (the original is saved "
          "for release)",
      isolate_deps, true, true, {"T1530", "T1537"});
  isolate_deps.push_back(deny);
  const std::string block = steps.Add(
      Phase::kIsolate, "public-access-block", "s3.block_public_access",
      "turn on all four public access block flags of " + name, isolate_deps, true, true, {"T1530"});
  steps.Add(Phase::kMark, "tag", "s3.tag_bucket",
            "tag bucket " + name + " with IR-Case and IR-Status=contained (other tags kept)",
            {deny, block}, true, true, {});
}

void AddFunctionSteps(const Target& target, Plan& plan) {
  StepBuilder steps(target, plan);
  const std::string& name = target.id;
  const std::string capture = steps.Add(
      Phase::kPreserve, "capture", "lambda.capture_function",
      "capture function " + name +
          ": configuration, reserved concurrency, event-source mappings, resource policy, "
          "asynchronous invocation settings",
      {}, false, false, {"T1648"});
  const std::string throttle =
      steps.Add(Phase::kIsolate, "concurrency", "lambda.stop_invocations",
                "set the reserved concurrency of " + name + " to 0 (no new invocations)", {capture},
                true, true, {"T1648"});
  steps.Add(Phase::kIsolate, "disable-mappings", "lambda.disable_event_source_mappings",
            "disable (never delete) every event-source mapping of " + name +
                " and wait until each reports Disabled",
            {capture}, true, true, {"T1648"});
  steps.Add(
      Phase::kRevoke, "revoke-role-sessions", "lambda.revoke_execution_role_sessions",
      "deny sessions of the execution role of " + name + " issued before the containment time",
      {capture, throttle}, true, true, {"T1552.005", "T1078.004"},
      {{"policy_name", RevokeSessionsPolicyName(plan.case_id)}});
}

// CloudTrail events of the target from `since` until the step runs, as evidence. Nothing waits
// for it: CloudTrail keeps the events whatever containment does, so a failed or slow lookup
// never holds isolation back (evidence first is enforced for snapshots, which isolation could
// make stale). It comes first in the playbook, so it starts first.
void AddActivityStep(const Target& target, Plan& plan) {
  StepBuilder steps(target, plan);
  steps.Add(Phase::kPreserve, "activity", "cloudtrail.export_activity",
            "export CloudTrail events of " + target.Key() + " since " +
                plan.options.activity_since + " to evidence (every page)",
            {}, false, false, {}, {{"since", plan.options.activity_since}});
}

std::string PlaybookName(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAwsIamUser:
      return "aws-iam-user";
    case TargetKind::kAwsAccessKey:
      return "aws-access-key";
    case TargetKind::kAwsIamRole:
      return "aws-iam-role";
    case TargetKind::kAwsEc2Instance:
      return "aws-ec2-instance";
    case TargetKind::kAwsS3Bucket:
      return "aws-s3-bucket";
    case TargetKind::kAwsLambdaFunction:
      return "aws-lambda-function";
  }
  return "";
}

std::vector<std::string> TargetNotes(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAwsIamUser:
    case TargetKind::kAwsAccessKey:
      return {
          "The deny-all policy also bounds session and federation tokens already minted from the "
          "user's keys; they stop working once it is attached."};
    case TargetKind::kAwsIamRole:
      return {
          "With the trust policy denying every principal, no new session of the role can be "
          "issued; sessions issued before the containment time are denied by the inline policy.",
          "Workloads that legitimately assume the role stop working until release."};
    case TargetKind::kAwsEc2Instance:
      return {
          "Each interface gets the all-traffic group cordon-untrack just before the quarantine "
          "group, so connections established before containment become untracked and are then "
          "dropped; for that moment the interface accepts traffic from anywhere.",
          "An instance in an Auto Scaling group is put in Standby (or detached) without "
          "lowering the desired capacity: the group launches a replacement.",
          "Credentials already taken from the instance metadata stay valid for their "
          "lifetime unless the role's older sessions are revoked (planned); the instance "
          "profile is then disassociated, so the instance gets no new ones."};
    case TargetKind::kAwsS3Bucket:
      return {
          "Data already read or copied out of the bucket cannot be recalled; the deny-all bucket "
          "policy stops further access by every principal except the responders it exempts by "
          "aws:PrincipalArn.",
          "Versioning, once enabled, can be suspended but never turned off again: release "
          "leaves it on."};
    case TargetKind::kAwsLambdaFunction:
      return {
          "Invocations already running finish; with reserved concurrency 0 new ones are "
          "throttled, and asynchronous events are retried up to the function's maximum event "
          "age, then go to its dead-letter queue or on-failure destination, or are lost if it "
          "has neither; the concurrency step's result names which one this function has.",
          "Event-source mappings are disabled, not deleted: records in a stream or queue wait "
          "until their retention ends.",
          "Credentials the execution role already issued stay valid for their lifetime unless "
          "the role's older sessions are revoked."};
  }
  return {};
}

void MergeUnique(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const auto& item : from) {
    if (std::find(into.begin(), into.end(), item) == into.end()) {
      into.push_back(item);
    }
  }
}

}  // namespace

std::string DenyPolicyName(const std::string& case_id) { return "cordon-deny-all-" + case_id; }

std::string RevokeSessionsPolicyName(const std::string& case_id) {
  return "cordon-revoke-older-sessions-" + case_id;
}

std::optional<std::string> MemoryCaptureCommandProblem(const std::string& command) {
  if (command.find_first_not_of(" \t") == std::string::npos) {
    return "the memory capture command is empty";
  }
  for (const char* device : {"/dev/mem", "/dev/kmem"}) {
    const auto at = command.find(device);
    const size_t end = at == std::string::npos ? 0 : at + std::string(device).size();
    if (at != std::string::npos && (end == command.size() || !std::isalnum(command[end]))) {
      return std::string("the memory capture command reads ") + device +
             " (like dd if=/dev/mem): modern kernels restrict it, so it yields an incomplete "
             "image and can hang or crash the instance; use a memory acquisition tool such as "
             "AVML or LiME instead";
    }
  }
  return std::nullopt;
}

Plan BuildPlan(const PlanRequest& request) {
  Plan plan;
  plan.case_id = request.case_id;
  plan.created_at = request.created_at;
  plan.options = request.options;
  plan.notes = request.notes;
  if (request.options.contain_first) {
    plan.notes.push_back(
        "--contain-first: isolation runs before evidence capture; snapshots are taken after.");
    if (!request.options.memory_capture_command.empty()) {
      plan.notes.push_back(
          "--contain-first: no memory capture (it needs the network that isolation cuts).");
    }
  }

  // Merge duplicates, keeping first-seen order.
  std::map<std::string, size_t> index;
  for (const auto& input : request.inputs) {
    const std::string key = input.target.Key();
    auto it = index.find(key);
    if (it != index.end()) {
      auto& planned = plan.targets[it->second];
      planned.source += "; " + input.source;
      MergeUnique(planned.notes, input.notes);
      continue;
    }
    index.emplace(key, plan.targets.size());
    PlannedTarget planned{input.target, PlaybookName(input.target.kind), input.source, input.notes};
    plan.targets.push_back(std::move(planned));
  }

  for (auto& planned : plan.targets) {
    const size_t first_step = plan.steps.size();
    if (!plan.options.activity_since.empty()) {
      AddActivityStep(planned.target, plan);
    }
    switch (planned.target.kind) {
      case TargetKind::kAwsIamUser:
      case TargetKind::kAwsAccessKey:
        AddUserSteps(planned.target, plan);
        break;
      case TargetKind::kAwsIamRole:
        AddRoleSteps(planned.target, plan);
        break;
      case TargetKind::kAwsEc2Instance:
        AddInstanceSteps(planned.target, plan);
        break;
      case TargetKind::kAwsS3Bucket:
        AddBucketSteps(planned.target, plan);
        break;
      case TargetKind::kAwsLambdaFunction:
        AddFunctionSteps(planned.target, plan);
        break;
    }
    MergeUnique(planned.notes, TargetNotes(planned.target.kind));
    // Techniques suggested by the source (a finding) are answered by the target's steps too.
    for (const auto& input : request.inputs) {
      if (input.target.Key() != planned.target.Key()) {
        continue;
      }
      for (size_t i = first_step; i < plan.steps.size(); ++i) {
        if (plan.steps[i].mutating) {
          MergeUnique(plan.steps[i].techniques, input.techniques);
        }
      }
    }
  }

  // Order: a stable topological sort (Kahn's algorithm, ties kept in insertion order).
  std::vector<Step> ordered;
  std::set<std::string> placed;
  while (ordered.size() < plan.steps.size()) {
    bool progressed = false;
    for (const auto& step : plan.steps) {
      if (placed.count(step.id) != 0) {
        continue;
      }
      bool ready = std::all_of(step.depends_on.begin(), step.depends_on.end(),
                               [&](const std::string& dep) { return placed.count(dep) != 0; });
      if (ready) {
        ordered.push_back(step);
        placed.insert(step.id);
        progressed = true;
      }
    }
    if (!progressed) {
      break;  // a cycle would be a playbook bug; keep what we have rather than loop
    }
  }
  plan.steps = std::move(ordered);
  return plan;
}

}  // namespace cordon::planning
