// Test double for HttpTransport: answers from a script and records what it was sent. For unit
// tests only.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transport/http.h"

namespace cordon::aws {

// Answers from a script, one entry per request, repeating the last; records what it was sent.
// Thread-safe.
class FakeHttpTransport : public transport::HttpTransport {
 public:
  explicit FakeHttpTransport(std::vector<Result<transport::HttpResponse>> script)
      : script_(script.begin(), script.end()) {}

  Result<transport::HttpResponse> Send(const transport::HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    sent_.push_back(request);
    Result<transport::HttpResponse> next = script_.front();
    if (script_.size() > 1) {
      script_.pop_front();
    }
    return next;
  }

  std::vector<transport::HttpRequest> Sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Result<transport::HttpResponse>> script_;
  std::vector<transport::HttpRequest> sent_;
};

inline transport::HttpResponse Reply(int status, std::string body,
                                     transport::Headers headers = {}) {
  return {status, std::move(headers), std::move(body)};
}

// The first header of `request` with this name (case-insensitive); empty when absent.
inline std::string RequestHeader(const transport::HttpRequest& request, std::string_view name) {
  transport::HttpResponse view;
  view.headers = request.headers;
  return view.Header(name);
}

}  // namespace cordon::aws
