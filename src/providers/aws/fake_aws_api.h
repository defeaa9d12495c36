// Test double for AwsApi: records every call and answers each with the next queued XML body or
// error, in order. For unit tests only (it reads fixtures from the source tree).
#pragma once

#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "providers/aws/aws_api.h"

namespace cordon::aws {

// A fixture file from src/providers/aws/testdata; "" when it cannot be read.
inline std::string ReadTestdata(const std::string& name) {
  std::ifstream in(std::string(CORDON_SOURCE_DIR) + "/src/providers/aws/testdata/" + name,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Thread-safe.
class FakeAwsApi : public AwsApi {
 public:
  struct Call {
    std::string service;
    std::string action;
    QueryParams params;
  };

  // Queues a response body. Its request id is read from <RequestId> (Query) or <requestId>
  // (EC2), as the wire layer would. A body that is not XML makes that call fail (kInternal).
  void QueueXml(std::string xml) {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(xml));
  }
  void QueueFile(const std::string& testdata_name) { QueueXml(ReadTestdata(testdata_name)); }
  void QueueError(Error error) {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::move(error));
  }

  Result<QueryResponse> Query(std::string_view service, std::string_view action,
                              const QueryParams& params) override {
    std::lock_guard lock(mutex_);
    calls_.push_back({std::string(service), std::string(action), params});
    if (queue_.empty()) {
      return Fail(ErrorKind::kInternal,
                  "FakeAwsApi: no response queued for " + std::string(action));
    }
    auto next = std::move(queue_.front());
    queue_.pop_front();
    if (auto* error = std::get_if<Error>(&next)) {
      return tl::unexpected(*error);
    }
    auto doc = std::make_shared<pugi::xml_document>();
    const std::string& xml = std::get<std::string>(next);
    if (!doc->load_buffer(xml.data(), xml.size())) {
      return Fail(ErrorKind::kInternal, "FakeAwsApi: queued body is not XML");
    }
    QueryResponse response{doc, {}};
    const pugi::xml_node root = doc->document_element();
    response.request_id = root.child("ResponseMetadata").child_value("RequestId");
    if (response.request_id.empty()) {
      response.request_id = root.child_value("requestId");
    }
    return response;
  }

  std::string Region() const override { return "us-east-1"; }

  std::vector<Call> Calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  size_t Pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<std::variant<std::string, Error>> queue_;
  std::vector<Call> calls_;
};

}  // namespace cordon::aws
