// Warpers that rank tokens by probability mass: top-p (nucleus) and typical sampling.
#include <algorithm>
#include <cmath>

#include "generate/processors.hpp"
#include "generate/processors/row_math.hpp"

namespace xfmr::gen {

using detail::kMinusInf;

namespace {

// Orders token ids by descending score, ties by ascending id.
struct ByScoreDescending {
  std::span<const float> scores;
  bool operator()(int32_t a, int32_t b) const {
    const float sa = scores[static_cast<size_t>(a)], sb = scores[static_cast<size_t>(b)];
    return sa > sb || (sa == sb && a < b);
  }
};

}  // namespace

// transformers sorts the whole row ascending, cumsums the probabilities and removes tokens
// whose cumulative mass is <= 1 - top_p, keeping at least min_tokens_to_keep. Seen from the
// top, the cumulative mass of the token at descending rank r is 1 - (mass of ranks < r), so
// the kept tokens are a prefix of the descending order. Rather than sorting the row, tokens
// are grouped in bands of a quarter nat below the best score; the band where the cut falls
// is the only one sorted.
void TopP::apply(std::span<float> scores, std::span<const int32_t>, Scratch& scratch) const {
  constexpr int kBands = 256;
  constexpr float kBandsPerNat = 4.0f;
  const double sum = detail::softmax_weights(scores, scratch.weights);
  if (sum == 0.0) return;
  const auto threshold = static_cast<float>(1.0 - top_p_);
  const float top = detail::row_max(scores);
  const auto& weights = scratch.weights;
  auto band_of = [&](size_t i) {
    const float depth = (top - scores[i]) * kBandsPerNat;
    return depth < static_cast<float>(kBands - 1) ? static_cast<int>(depth) : kBands - 1;
  };

  double band_mass[kBands] = {};
  for (size_t i = 0; i < scores.size(); ++i)
    if (weights[i] > 0.0f) band_mass[band_of(i)] += static_cast<double>(weights[i]);

  // The cut band: the first after whose tokens the next cumulative mass is <= threshold.
  double above = 0.0;
  int cut_band = kBands;
  for (int b = 0; b < kBands; ++b) {
    if (static_cast<float>(1.0 - (above + band_mass[b]) / sum) <= threshold) {
      cut_band = b;
      break;
    }
    above += band_mass[b];
  }

  // Tokens of the cut band, best first, walked with the mass of the bands above it.
  auto& order = scratch.order;
  size_t in_band = 0;
  size_t kept = 0;  // tokens in the bands before the cut band
  for (size_t i = 0; i < scores.size(); ++i) {
    if (weights[i] <= 0.0f) continue;
    const int b = band_of(i);
    if (b == cut_band) order[in_band++] = static_cast<int32_t>(i);
    kept += b < cut_band;
  }
  const ByScoreDescending by_score{scores};
  const auto band_end = order.begin() + static_cast<std::ptrdiff_t>(in_band);
  std::sort(order.begin(), band_end, by_score);
  size_t cut = in_band;
  for (size_t rank = 0; rank < in_band; ++rank) {
    if (static_cast<float>(1.0 - above / sum) <= threshold) {
      cut = rank;
      break;
    }
    above += static_cast<double>(weights[static_cast<size_t>(order[rank])]);
  }
  kept += cut;

  const size_t min_keep = static_cast<size_t>(std::max(min_keep_, 1));
  if (kept < min_keep) {
    // The cut leaves too few: keep the min_tokens_to_keep best instead (rare, so sort all).
    size_t candidates = 0;
    for (size_t i = 0; i < scores.size(); ++i)
      if (weights[i] > 0.0f) order[candidates++] = static_cast<int32_t>(i);
    const size_t keep = std::min(min_keep, candidates);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep),
                      order.begin() + static_cast<std::ptrdiff_t>(candidates), by_score);
    scratch.clear_marks();
    for (size_t k = 0; k < keep; ++k) scratch.mark(order[k]);
    if (candidates < min_keep) return;  // transformers would keep zero-probability tokens too
    for (size_t i = 0; i < scores.size(); ++i)
      if (scratch.mark(static_cast<int32_t>(i))) scores[i] = kMinusInf;
    return;
  }
  for (size_t rank = cut; rank < in_band; ++rank) scores[static_cast<size_t>(order[rank])] = kMinusInf;
  for (size_t i = 0; i < scores.size(); ++i)
    if (weights[i] <= 0.0f || band_of(i) > cut_band) scores[i] = kMinusInf;
}

// Locally typical sampling (Meister et al.), as transformers' TypicalLogitsWarper: rank
// tokens by |-log p - entropy|, keep them up to cumulative mass typical_p (the token that
// crosses it included).
void Typical::apply(std::span<float> scores, std::span<const int32_t>, Scratch& scratch) const {
  const size_t vocab = scores.size();
  const double sum = detail::softmax_weights(scores, scratch.weights);
  if (sum == 0.0) return;
  const auto log_sum = static_cast<float>(detail::log_sum_exp(scores));

  double entropy = 0.0;
  for (size_t i = 0; i < vocab; ++i) {
    if (scratch.weights[i] == 0.0) continue;
    const float log_p = scores[i] - log_sum;
    entropy -= static_cast<double>(log_p) * (static_cast<double>(scratch.weights[i]) / sum);
  }
  const auto entropy_f = static_cast<float>(entropy);
  auto& shifted = scratch.values;
  for (size_t i = 0; i < vocab; ++i) shifted[i] = std::fabs(-(scores[i] - log_sum) - entropy_f);

  auto& order = scratch.order;
  for (size_t i = 0; i < vocab; ++i) order[i] = static_cast<int32_t>(i);
  std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(vocab), [&](int32_t a, int32_t b) {
    const float sa = shifted[static_cast<size_t>(a)], sb = shifted[static_cast<size_t>(b)];
    return sa < sb || (sa == sb && a < b);
  });

  const auto mass = static_cast<float>(mass_);
  size_t below_mass = 0;
  double cumulative = 0.0;
  for (size_t rank = 0; rank < vocab; ++rank) {
    cumulative += static_cast<double>(static_cast<float>(static_cast<double>(scratch.weights[static_cast<size_t>(order[rank])]) / sum));
    if (static_cast<float>(cumulative) < mass) ++below_mass;
  }
  const size_t last = std::min(below_mass, vocab - 1);
  const float limit = shifted[static_cast<size_t>(order[last])];
  const size_t min_keep = static_cast<size_t>(std::max(min_keep_, 0));
  for (size_t rank = min_keep; rank < vocab; ++rank) {
    const auto token = static_cast<size_t>(order[rank]);
    if (shifted[token] > limit) scores[token] = kMinusInf;
  }
}

}  // namespace xfmr::gen
