#pragma once
// What the benchmarks share: a clock, medians, the peak RSS, and a StepModel
// wrapper that times each call.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/step_model.hpp"

namespace xfmr::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

inline long peak_rss_mb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

// "12.3 12.1 12.6": every run of a figure, to show the spread.
inline std::string runs_text(const std::vector<double>& values) {
  std::vector<std::string> parts;
  for (double v : values) parts.push_back(fmt::format("{:.1f}", v));
  return fmt::format("{}", fmt::join(parts, " "));
}

// A StepModel with a stopwatch on each call.
class TimedModel final : public StepModel {
 public:
  explicit TimedModel(StepModel& model) : model_(model) {}
  int32_t vocab_size() const override { return model_.vocab_size(); }
  void start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) override {
    const auto t = Clock::now();
    model_.start(prompts, copies, logits);
    start_s += seconds_since(t);
  }
  void step(std::span<const int32_t> tokens, std::span<float> logits) override {
    const auto t = Clock::now();
    model_.step(tokens, logits);
    step_s += seconds_since(t);
    ++steps;
  }
  void reorder(std::span<const int32_t> parents) override {
    const auto t = Clock::now();
    model_.reorder(parents);
    reorder_s += seconds_since(t);
  }
  void clear() { start_s = step_s = reorder_s = 0.0, steps = 0; }

  double start_s = 0, step_s = 0, reorder_s = 0;
  int steps = 0;

 private:
  StepModel& model_;
};

}  // namespace xfmr::bench
