// One moto server (scripts/moto_counting_server.py) on a free loopback port for a test binary or
// fixture, with a counter of the AWS requests it received.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>

#include "core/result.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace cordon::testing {

// The access key every child gets from AwsEnv(): moto's default account 123456789012. A made-up
// test value; it is in no IAM backend, so with signature checking on it is rejected.
inline constexpr char kTestAccessKeyId[] = "AKIAIOSFODNN7EXAMPLE";
inline constexpr char kTestSecretAccessKey[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr char kTestRegion[] = "us-east-1";

// A running moto server, stopped by its pid and reaped when destroyed (pass or fail). The
// control calls are thread-safe; the object itself is neither copyable nor movable.
class MotoServer {
 public:
  // Starts the server on 127.0.0.1, port 0, reads its port from its stderr and waits until it
  // answers. Fails with kNotFound when python3 or the script is missing, kTransient when it does
  // not start within a minute (its log is in the message).
  static Result<std::unique_ptr<MotoServer>> Start();

  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;
  MotoServer(MotoServer&&) = delete;
  MotoServer& operator=(MotoServer&&) = delete;
  ~MotoServer();

  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  // "http://127.0.0.1:PORT"
  std::string Endpoint() const;

  // Forgets every resource in every account (POST /moto-api/reset).
  Status Reset();
  // Makes moto check SigV4 signatures and IAM permissions after `unchecked_calls` more calls
  // (POST /moto-api/reset-auth).
  Status ResetAuth(size_t unchecked_calls);
  // Turns signature and permission checks off again (reset-auth with "inf").
  Status DisableAuth();
  // Restarts the request count at 0.
  Status MarkRequests();
  // AWS requests received since start or the last MarkRequests(); moto's own /moto-api/ calls
  // are not counted.
  Result<size_t> RequestCount();

  // The complete environment for a child that talks to this server: AWS_ENDPOINT_URL, the test
  // keys, AWS_REGION/AWS_DEFAULT_REGION, AWS_EC2_METADATA_DISABLED, PATH, and HOME, XDG_* and
  // AWS_CONFIG_FILE/AWS_SHARED_CREDENTIALS_FILE inside a private folder, so no real ~/.aws
  // configuration is ever read. Nothing else comes from the test process.
  Environment AwsEnv() const;

  // The last part of the server's own log (stdout and stderr), for failure messages.
  std::string LogTail() const;

 private:
  MotoServer(TempDir dir, BackgroundProcess process)
      : dir_(std::move(dir)), process_(std::move(process)) {}

  // POST or GET on the server; fails with kTransient unless it answers 200.
  Result<std::string> Call(const std::string& method, const std::string& path,
                           const std::string& body = "", const std::string& content_type = "");

  TempDir dir_;  // the log and the private HOME; outlives the process
  BackgroundProcess process_;
  int port_ = 0;
};

}  // namespace cordon::testing
