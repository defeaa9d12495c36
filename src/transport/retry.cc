#include "transport/retry.h"

#include <algorithm>
#include <charconv>
#include <random>
#include <thread>

namespace cordon::transport {
namespace {

double DefaultRandom() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double unit_random,
                                       std::optional<std::chrono::seconds> retry_after) {
  const std::chrono::milliseconds cap = std::max(policy.cap, std::chrono::milliseconds{0});
  if (retry_after) {
    // Compared in seconds first so a huge value cannot overflow the conversion.
    if (*retry_after >= std::chrono::ceil<std::chrono::seconds>(cap)) {
      return cap;
    }
    return std::max(std::chrono::milliseconds{*retry_after}, std::chrono::milliseconds{0});
  }

  // Doubling stops once it passes the cap, so large retry counts cannot overflow.
  std::chrono::milliseconds ceiling = std::max(policy.base, std::chrono::milliseconds{0});
  for (int i = 1; i < retry && ceiling < cap; ++i) {
    ceiling *= 2;
  }
  ceiling = std::min(ceiling, cap);

  const double fraction = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds{
      static_cast<std::chrono::milliseconds::rep>(fraction * static_cast<double>(ceiling.count()))};
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header) {
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) {
    header.remove_prefix(1);
  }
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) {
    header.remove_suffix(1);
  }
  if (header.empty()) {
    return std::nullopt;
  }
  long long seconds = 0;
  const auto [end, error] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (error != std::errc() || end != header.data() + header.size() || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::seconds{seconds};
}

std::chrono::milliseconds NextDelay(const RetryPolicy& policy, int retry,
                                    std::optional<std::chrono::seconds> retry_after) {
  const double unit = policy.random ? policy.random() : DefaultRandom();
  return BackoffDelay(policy, retry, unit, retry_after);
}

void SleepFor(const RetryPolicy& policy, std::chrono::milliseconds delay) {
  if (policy.sleep) {
    policy.sleep(delay);
  } else {
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace cordon::transport
