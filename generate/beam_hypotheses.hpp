#pragma once
// Internal: the finished hypotheses of one input in beam search, with the bookkeeping of
// transformers' BeamHypotheses (beam_search.py) reproduced exactly: at most num_beams kept,
// score = sum_logprobs / generated_len ** length_penalty, the worst evicted (lowest score,
// earliest added among equals), and the is_done rules of early_stopping true / false / never.
// After construction nothing allocates: token buffers are recycled.
#include <cstdint>
#include <span>
#include <vector>

#include "generate/generation_config.hpp"

namespace xfmr::gen::detail {

class BeamHypotheses {
 public:
  struct Hypothesis {
    double score = 0.0;
    std::vector<int32_t> tokens;  // without the EOS that ended it
    bool ended_by_eos = false;
  };

  // `max_length` and `prompt_length` are the input's own (whole-sequence) lengths.
  BeamHypotheses(int32_t num_beams, double length_penalty, EarlyStopping early_stopping, int32_t max_length,
                 int32_t prompt_length);

  // generated_length counts the generated tokens including the step that chose EOS.
  void add(std::span<const int32_t> tokens, float sum_logprobs, int32_t generated_length, bool ended_by_eos);

  // best_sum_logprobs: the best candidate score of this step; current_length: the sequence
  // length after this step's token.
  bool is_done(float best_sum_logprobs, int32_t current_length) const;

  size_t size() const { return beams_.size(); }

  // The n best, best first. Equal scores: the later added comes first (transformers sorts
  // ascending, stably, and pops from the end).
  std::vector<const Hypothesis*> best(size_t n) const;

 private:
  int32_t num_beams_;
  double length_penalty_;
  EarlyStopping early_stopping_;
  int32_t max_length_;
  int32_t prompt_length_;
  double worst_score_ = 1e9;
  std::vector<Hypothesis> beams_;             // insertion order, as transformers' list
  std::vector<std::vector<int32_t>> spares_;  // recycled token buffers
};

}  // namespace xfmr::gen::detail
