// Retry timing shared by provider clients: capped exponential backoff with full jitter.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace cordon::transport {

// How often and how patiently a client retries a retryable failure. Copyable; the callables must
// be safe to call from several threads at once.
struct RetryPolicy {
  int max_attempts = 5;  // attempts in all, the first included; values below 1 mean 1
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{5000};

  // Blocks for the given time. Empty: std::this_thread::sleep_for. Tests inject a recorder.
  std::function<void(std::chrono::milliseconds)> sleep;

  // A uniform random number in [0, 1). Empty: a per-thread Mersenne Twister seeded from
  // std::random_device.
  std::function<double()> random;
};

// The wait before retry number `retry` (1 after the first failure, 2 after the second, ...):
// `unit_random` (in [0, 1)) times min(cap, base * 2^(retry-1)), the "full jitter" scheme. When the
// server sent a Retry-After, that wait is used instead, still capped at `policy.cap`. Pure.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double unit_random,
                                       std::optional<std::chrono::seconds> retry_after);

// Parses a Retry-After header in its delta-seconds form ("120"); nullopt when absent, malformed
// or an HTTP date (which the services cordon calls do not send).
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header);

// The BackoffDelay for `retry`, drawing the jitter from the policy's random source. Thread-safe
// when the policy's callables are.
std::chrono::milliseconds NextDelay(const RetryPolicy& policy, int retry,
                                    std::optional<std::chrono::seconds> retry_after);

// Blocks for `delay` through the policy's sleeper. Thread-safe when the sleeper is.
void SleepFor(const RetryPolicy& policy, std::chrono::milliseconds delay);

}  // namespace cordon::transport
