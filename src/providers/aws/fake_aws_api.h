// Test double for AwsApi: records every call and answers each with the next queued response or
// error for its protocol (Query, JSON and REST calls have a queue each), in order. For unit tests
// only (it reads fixtures from the source tree).
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
  struct JsonCall {
    std::string service;
    std::string operation;
    nlohmann::json body;
  };
  struct RestCall {
    std::string service;
    RestRequest request;
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

  // Queues the answer to the next Json() call.
  void QueueJson(nlohmann::json body, std::string request_id = "json-request-id") {
    std::lock_guard lock(mutex_);
    json_queue_.emplace_back(JsonResponse{std::move(body), std::move(request_id)});
  }
  void QueueJsonError(Error error) {
    std::lock_guard lock(mutex_);
    json_queue_.emplace_back(std::move(error));
  }

  // Queues the answer to the next Rest() call.
  void QueueRest(RestResponse response) {
    std::lock_guard lock(mutex_);
    rest_queue_.emplace_back(std::move(response));
  }
  void QueueRestError(Error error) {
    std::lock_guard lock(mutex_);
    rest_queue_.emplace_back(std::move(error));
  }

  Result<JsonResponse> Json(std::string_view service, std::string_view operation,
                            const nlohmann::json& body) override {
    std::lock_guard lock(mutex_);
    json_calls_.push_back({std::string(service), std::string(operation), body});
    return Next(json_queue_, operation);
  }

  Result<RestResponse> Rest(std::string_view service, const RestRequest& request) override {
    std::lock_guard lock(mutex_);
    rest_calls_.push_back({std::string(service), request});
    return Next(rest_queue_, request.operation);
  }

  std::string Region() const override { return "us-east-1"; }

  std::vector<Call> Calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  size_t Pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size() + json_queue_.size() + rest_queue_.size();
  }
  std::vector<JsonCall> JsonCalls() const {
    std::lock_guard lock(mutex_);
    return json_calls_;
  }
  std::vector<RestCall> RestCalls() const {
    std::lock_guard lock(mutex_);
    return rest_calls_;
  }

 private:
  template <typename T>
  static Result<T> Next(std::deque<std::variant<T, Error>>& queue, std::string_view operation) {
    if (queue.empty()) {
      return Fail(ErrorKind::kInternal,
                  "FakeAwsApi: no response queued for " + std::string(operation));
    }
    auto next = std::move(queue.front());
    queue.pop_front();
    if (auto* error = std::get_if<Error>(&next)) {
      return tl::unexpected(*error);
    }
    return std::get<T>(std::move(next));
  }

  mutable std::mutex mutex_;
  std::deque<std::variant<std::string, Error>> queue_;
  std::vector<Call> calls_;
  std::deque<std::variant<JsonResponse, Error>> json_queue_;
  std::vector<JsonCall> json_calls_;
  std::deque<std::variant<RestResponse, Error>> rest_queue_;
  std::vector<RestCall> rest_calls_;
};

}  // namespace cordon::aws
