#include "execution/executor.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace cordon::execution {

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kAlreadyDone:
      return "already_done";
    case Outcome::kPlanned:
      return "planned";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kUnknown:
      return "unknown";
    case Outcome::kRefused:
      return "refused";
    case Outcome::kSkipped:
      return "skipped";
  }
  return "failed";
}

bool AllowsDependents(Outcome outcome) {
  return outcome == Outcome::kOk || outcome == Outcome::kAlreadyDone ||
         outcome == Outcome::kPlanned;
}

namespace {

// Shared state of one run; every member is guarded by `mutex`.
struct RunState {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<size_t> ready;
  std::vector<size_t> waiting_on;               // unfinished dependencies per step
  std::vector<std::vector<size_t>> dependents;  // reverse edges
  std::map<std::string, StepResult> results;
  size_t finished = 0;
};

}  // namespace

std::map<std::string, StepResult> RunPlan(
    const planning::Plan& plan, const StepHandler& handler, const ExecutorOptions& options,
    const std::function<void(const planning::Step&, const StepResult&)>& on_done) {
  const auto& steps = plan.steps;
  RunState state;
  state.waiting_on.resize(steps.size());
  state.dependents.resize(steps.size());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < steps.size(); ++i) {
    index[steps[i].id] = i;
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    for (const auto& dep : steps[i].depends_on) {
      auto it = index.find(dep);
      if (it == index.end()) {
        continue;  // a dependency outside the plan cannot block it
      }
      state.dependents[it->second].push_back(i);
      ++state.waiting_on[i];
    }
    if (state.waiting_on[i] == 0) {
      state.ready.push_back(i);
    }
  }

  // Steps in (or behind) a dependency cycle would never become ready: fail them up front, so
  // the run ends instead of waiting for ever.
  {
    std::vector<size_t> waiting = state.waiting_on;
    std::deque<size_t> ready(state.ready.begin(), state.ready.end());
    std::vector<bool> reachable(steps.size(), false);
    while (!ready.empty()) {
      const size_t i = ready.front();
      ready.pop_front();
      reachable[i] = true;
      for (size_t d : state.dependents[i]) {
        if (--waiting[d] == 0) {
          ready.push_back(d);
        }
      }
    }
    for (size_t i = 0; i < steps.size(); ++i) {
      if (!reachable[i]) {
        state.results[steps[i].id] = {Outcome::kFailed, "not run: in a dependency cycle", {}};
        ++state.finished;
      }
    }
  }

  // Records a result and releases dependents. Called with the mutex held.
  auto finish = [&](size_t i, StepResult result) {
    if (on_done) {
      on_done(steps[i], result);
    }
    state.results[steps[i].id] = std::move(result);
    ++state.finished;
    for (size_t d : state.dependents[i]) {
      if (--state.waiting_on[d] == 0) {
        state.ready.push_back(d);
      }
    }
    state.wake.notify_all();
  };

  auto worker = [&] {
    std::unique_lock lock(state.mutex);
    while (true) {
      state.wake.wait(lock, [&] { return !state.ready.empty() || state.finished == steps.size(); });
      if (state.ready.empty()) {
        return;
      }
      const size_t i = state.ready.front();
      state.ready.pop_front();

      // A step runs only when every dependency allows it.
      std::string blocker;
      for (const auto& dep : steps[i].depends_on) {
        auto it = state.results.find(dep);
        if (it != state.results.end() && !AllowsDependents(it->second.outcome)) {
          blocker = dep + " (" + OutcomeName(it->second.outcome) + ")";
          break;
        }
      }
      if (!blocker.empty()) {
        finish(i, {Outcome::kSkipped, "not run: depends on " + blocker, {}});
        continue;
      }

      lock.unlock();
      StepResult result = handler(steps[i]);
      lock.lock();
      finish(i, std::move(result));
    }
  };

  const size_t threads = std::clamp<size_t>(static_cast<size_t>(std::max(options.concurrency, 1)),
                                            1, std::max<size_t>(steps.size(), 1));
  std::vector<std::jthread> pool;
  pool.reserve(threads);
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back(worker);
  }
  pool.clear();  // joins
  return std::move(state.results);
}

}  // namespace cordon::execution
