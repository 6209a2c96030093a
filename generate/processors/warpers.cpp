// Sampling warpers that need no sort: temperature, top-k, min-p, epsilon / eta cutoffs,
// and the final log-softmax renormalisation.
#include <cmath>

#include "generate/processors.hpp"
#include "generate/processors/row_math.hpp"

namespace xfmr::gen {

using detail::kMinusInf;

void Temperature::apply(std::span<float> scores, std::span<const int32_t>, Scratch&) const {
  for (float& s : scores) s = s / temperature_;
}

void TopK::apply(std::span<float> scores, std::span<const int32_t>, Scratch& scratch) const {
  if (static_cast<size_t>(k_) >= scores.size()) return;
  detail::remove_below(scores, detail::kth_largest(scores, k_, scratch.values));
}

void MinP::apply(std::span<float> scores, std::span<const int32_t>, Scratch& scratch) const {
  const double sum = detail::softmax_weights(scores, scratch.weights);
  if (sum == 0.0) return;
  // The most likely token has weight exp(0) = 1. Probabilities compare in float, as in torch.
  const float threshold = static_cast<float>(min_p_) * static_cast<float>(1.0 / sum);
  const float keep_from = detail::kth_largest(scores, min_keep_, scratch.values);
  for (size_t i = 0; i < scores.size(); ++i) {
    const auto probability = static_cast<float>(static_cast<double>(scratch.weights[i]) / sum);
    if (probability < threshold && scores[i] < keep_from) scores[i] = kMinusInf;
  }
}

void ProbabilityCutoff::apply(std::span<float> scores, std::span<const int32_t>, Scratch& scratch) const {
  const double sum = detail::softmax_weights(scores, scratch.weights);
  if (sum == 0.0) return;
  auto cutoff = static_cast<float>(cutoff_);
  if (kind_ == Kind::eta) {
    // Entropy of the row's distribution; -inf scores contribute nothing.
    const double log_sum = std::log(sum);
    const double top = detail::row_max(scores);
    double entropy = 0.0;
    for (size_t i = 0; i < scores.size(); ++i) {
      if (scratch.weights[i] == 0.0) continue;
      const double log_p = static_cast<double>(scores[i]) - top - log_sum;
      entropy -= static_cast<double>(scratch.weights[i]) / sum * log_p;
    }
    const float scaled = std::sqrt(cutoff) * std::exp(-static_cast<float>(entropy));
    cutoff = std::min(cutoff, scaled);
  }
  const float keep_from = detail::kth_largest(scores, min_keep_, scratch.values);
  for (size_t i = 0; i < scores.size(); ++i) {
    const auto probability = static_cast<float>(static_cast<double>(scratch.weights[i]) / sum);
    if (probability < cutoff && scores[i] < keep_from) scores[i] = kMinusInf;
  }
}

void LogSoftmax::apply(std::span<float> scores, std::span<const int32_t>, Scratch&) const {
  const auto log_sum = static_cast<float>(detail::log_sum_exp(scores));
  for (float& s : scores) s = s - log_sum;
}

}  // namespace xfmr::gen
