// Python clients pointed at a MotoServer: boto3 snippets that read back the end state, and the
// seeded incident (scripts/seed_incident.py).
#pragma once

#include <nlohmann/json.hpp>
#include <set>  // tests compare sets of resource ids read back with boto3
#include <string>

#include "core/result.h"
#include "tests/support/moto_server.h"

namespace cordon::testing {

// Runs `code` with python3 and server.AwsEnv() (so boto3 talks to the server with the test
// keys), and parses what it prints on stdout as one JSON document. Fails with kProvider when the
// code exits non-zero (its stderr in the message), kCorrupt when stdout is not JSON, or as
// RunProcess fails. Thread-safe.
Result<nlohmann::json> RunBoto(const MotoServer& server, const std::string& code);

// Seeds the incident described in scripts/seed_incident.py into the server (account
// 123456789012, us-east-1) and writes its two GuardDuty findings into `findings_dir` (created
// when missing). With `responder`, also creates the IAM user cordon-responder (allowed
// everything) with one access key. Returns the script's JSON: instance_id, vpc_id, subnet_ids,
// network_interface_ids, volume_ids, security_group_ids, role_name, user_name, access_key_ids,
// findings.{ec2,iam}.{path,id,type} and, with `responder`,
// responder.{user_name,arn,access_key_id,secret_access_key}. Signature checks must be off.
// Fails with kProvider when the script fails.
Result<nlohmann::json> SeedIncident(const MotoServer& server, const std::string& findings_dir,
                                    bool responder);

}  // namespace cordon::testing
