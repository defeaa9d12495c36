#include "tests/support/boto.h"

#include <vector>

#include "tests/support/process.h"

namespace cordon::testing {
namespace {

// Runs a python3 program against the server and parses its stdout as JSON.
Result<nlohmann::json> RunPythonJson(const MotoServer& server, std::vector<std::string> args,
                                     const std::string& what) {
  auto python = Python();
  if (!python) {
    return Fail(python.error());
  }
  args.insert(args.begin(), *python);
  auto run = RunProcess(args, server.AwsEnv());
  if (!run) {
    return Fail(run.error());
  }
  if (run->exit_code != 0) {
    return Fail(ErrorKind::kProvider,
                what + " exited " + std::to_string(run->exit_code) + ": " + run->err);
  }
  auto parsed = nlohmann::json::parse(run->out, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return Fail(ErrorKind::kCorrupt, what + " printed no JSON: " + run->out + run->err);
  }
  return parsed;
}

}  // namespace

Result<nlohmann::json> RunBoto(const MotoServer& server, const std::string& code) {
  return RunPythonJson(server, {"-c", code}, "boto3 snippet");
}

Result<nlohmann::json> SeedIncident(const MotoServer& server, const std::string& findings_dir,
                                    bool responder) {
  std::vector<std::string> args = {
      std::string(CORDON_SOURCE_DIR) + "/scripts/seed_incident.py",
      "--endpoint",
      server.Endpoint(),
      "--findings-dir",
      findings_dir,
      "--samples-dir",
      std::string(CORDON_SHARED_DIR) + "/cases/aws/guardduty",
  };
  if (responder) {
    args.push_back("--responder");
  }
  return RunPythonJson(server, args, "scripts/seed_incident.py");
}

}  // namespace cordon::testing
