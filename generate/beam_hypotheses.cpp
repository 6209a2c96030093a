// Finished-hypotheses bookkeeping of beam search (transformers' BeamHypotheses).
#include "generate/beam_hypotheses.hpp"

#include <algorithm>
#include <cmath>

namespace xfmr::gen::detail {

BeamHypotheses::BeamHypotheses(int32_t num_beams, double length_penalty, EarlyStopping early_stopping,
                               int32_t max_length, int32_t prompt_length)
    : num_beams_(num_beams),
      length_penalty_(length_penalty),
      early_stopping_(early_stopping),
      max_length_(max_length),
      prompt_length_(prompt_length) {
  const auto slots = static_cast<size_t>(num_beams) + 1;
  beams_.reserve(slots);
  spares_.resize(slots);
  for (auto& buffer : spares_) buffer.reserve(static_cast<size_t>(max_length));
}

void BeamHypotheses::add(std::span<const int32_t> tokens, float sum_logprobs, int32_t generated_length,
                         bool ended_by_eos) {
  const double score = static_cast<double>(sum_logprobs) /
                       std::pow(static_cast<double>(generated_length), length_penalty_);
  const auto capacity = static_cast<size_t>(num_beams_);
  if (beams_.size() >= capacity && !(score > worst_score_)) return;

  Hypothesis hypothesis;
  hypothesis.score = score;
  hypothesis.ended_by_eos = ended_by_eos;
  hypothesis.tokens = std::move(spares_.back());
  spares_.pop_back();
  hypothesis.tokens.assign(tokens.begin(), tokens.end());
  beams_.push_back(std::move(hypothesis));

  if (beams_.size() > capacity) {
    // Evict the lowest (score, position); the new worst is the second in that order.
    size_t lowest = 0;
    for (size_t i = 1; i < beams_.size(); ++i)
      if (beams_[i].score < beams_[lowest].score) lowest = i;
    size_t second = lowest == 0 ? 1 : 0;
    for (size_t i = 0; i < beams_.size(); ++i) {
      if (i == lowest) continue;
      if (beams_[i].score < beams_[second].score) second = i;
    }
    worst_score_ = beams_[second].score;
    spares_.push_back(std::move(beams_[lowest].tokens));
    beams_.erase(beams_.begin() + static_cast<std::ptrdiff_t>(lowest));
  } else {
    worst_score_ = std::min(score, worst_score_);
  }
}

bool BeamHypotheses::is_done(float best_sum_logprobs, int32_t current_length) const {
  if (beams_.size() < static_cast<size_t>(num_beams_)) return false;
  if (early_stopping_ == EarlyStopping::on) return true;
  // The best score a running beam could still reach: with early_stopping "never" and a
  // positive length penalty, at the longest possible length.
  int32_t length = current_length - prompt_length_;
  if (early_stopping_ == EarlyStopping::never && length_penalty_ > 0.0) length = max_length_ - prompt_length_;
  const double highest_attainable =
      static_cast<double>(best_sum_logprobs) / std::pow(static_cast<double>(length), length_penalty_);
  return worst_score_ >= highest_attainable;
}

std::vector<const BeamHypotheses::Hypothesis*> BeamHypotheses::best(size_t n) const {
  std::vector<const Hypothesis*> sorted;
  sorted.reserve(beams_.size());
  for (const Hypothesis& h : beams_) sorted.push_back(&h);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Hypothesis* a, const Hypothesis* b) { return a->score < b->score; });
  std::vector<const Hypothesis*> chosen;
  while (chosen.size() < n && !sorted.empty()) {
    chosen.push_back(sorted.back());
    sorted.pop_back();
  }
  return chosen;
}

}  // namespace xfmr::gen::detail
