#pragma once
// A StepModel for decoding tests: the next-token logits are a fixed pseudo-random function of
// the row's whole token history, so a reference can compute them for any sequence; the
// "cache" is that history, which the decoder must keep right through start/step/reorder.
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <vector>

#include "core/step_model.hpp"
#include "generate/rng.hpp"

namespace xfmr::gen::testing {

// Logits of the token after `history`: uniform in [-spread, spread], seeded by the history.
inline void history_logits(std::span<const int32_t> history, uint64_t salt, float spread, std::span<float> out) {
  uint64_t h = 0x51ED2701A3C5F00DULL ^ salt;
  for (int32_t t : history) {
    uint64_t mix = h ^ (static_cast<uint64_t>(static_cast<uint32_t>(t)) * 0x9E3779B97F4A7C15ULL);
    h = splitmix64(mix);
  }
  Rng rng(h, history.size());
  for (float& v : out) v = static_cast<float>((rng.uniform() * 2.0 - 1.0) * spread);
}

class MockStepModel final : public StepModel {
 public:
  using LogitsFn = std::function<void(std::span<const int32_t> history, std::span<float> out)>;

  MockStepModel(int32_t vocab, LogitsFn fn) : vocab_(vocab), fn_(std::move(fn)) {}
  // The default function: history_logits with this salt and spread.
  MockStepModel(int32_t vocab, uint64_t salt, float spread = 3.0f)
      : MockStepModel(vocab, [salt, spread](std::span<const int32_t> h, std::span<float> out) {
          history_logits(h, salt, spread, out);
        }) {}

  int32_t vocab_size() const override { return vocab_; }

  void start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) override {
    ++starts;
    copies_ = copies;
    cache.clear();
    for (const auto& prompt : prompts)
      for (int32_t c = 0; c < copies; ++c) cache.push_back(prompt);
    write(logits);
  }

  void step(std::span<const int32_t> tokens, std::span<float> logits) override {
    if (tokens.size() != cache.size()) throw std::logic_error("step: one token per row expected");
    ++steps;
    for (size_t r = 0; r < cache.size(); ++r) {
      if (tokens[r] < 0 || tokens[r] >= vocab_) throw std::logic_error("step: token outside the vocabulary");
      cache[r].push_back(tokens[r]);
    }
    write(logits);
  }

  void reorder(std::span<const int32_t> parents) override {
    if (parents.size() != cache.size()) throw std::logic_error("reorder: one parent per row expected");
    bool identity = true;
    for (size_t r = 0; r < parents.size(); ++r) {
      // A beam may only continue a beam of its own input.
      if (parents[r] < 0 || static_cast<size_t>(parents[r]) >= cache.size() ||
          parents[r] / copies_ != static_cast<int32_t>(r) / copies_)
        throw std::logic_error("reorder: parent from another input");
      identity = identity && parents[r] == static_cast<int32_t>(r);
    }
    if (identity) ++identity_reorders;
    ++reorders;
    std::vector<std::vector<int32_t>> moved(cache.size());
    for (size_t r = 0; r < parents.size(); ++r) moved[r] = cache[static_cast<size_t>(parents[r])];
    cache = std::move(moved);
  }

  std::vector<std::vector<int32_t>> cache;  // each row's tokens fed so far
  int starts = 0, steps = 0, reorders = 0, identity_reorders = 0;

 private:
  void write(std::span<float> logits) {
    if (logits.size() != cache.size() * static_cast<size_t>(vocab_)) throw std::logic_error("logits: wrong size");
    for (size_t r = 0; r < cache.size(); ++r)
      fn_(cache[r], logits.subspan(r * static_cast<size_t>(vocab_), static_cast<size_t>(vocab_)));
  }

  int32_t vocab_;
  LogitsFn fn_;
  int32_t copies_ = 1;
};

}  // namespace xfmr::gen::testing
