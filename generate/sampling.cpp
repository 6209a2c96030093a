// Exact token choice: argmax, and inverse-CDF draws from the processed distribution.
#include "generate/sampling.hpp"

#include <algorithm>
#include <cmath>

#include "generate/processors/row_math.hpp"

namespace xfmr::gen::detail {

int32_t argmax(std::span<const float> scores) {
  const float top = row_max(scores);
  for (size_t i = 0; i < scores.size(); ++i)
    if (scores[i] == top) return static_cast<int32_t>(i);
  return 0;  // every score NaN
}

int32_t sample_one(std::span<const float> scores, std::span<float> weights, Rng& rng, double& log_probability) {
  const double sum = softmax_weights(scores, weights);
  const double u = rng.uniform() * sum;
  if (!(sum > 0.0) || !std::isfinite(sum)) {
    const int32_t token = argmax(scores);
    log_probability = 0.0;
    return token;
  }
  double cumulative = 0.0;
  size_t chosen = scores.size();
  size_t last_positive = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (weights[i] <= 0.0) continue;
    last_positive = i;
    cumulative += weights[i];
    if (u < cumulative) {
      chosen = i;
      break;
    }
  }
  // Rounding can leave u at the very top of the sum: the last possible token then.
  if (chosen == scores.size()) chosen = last_positive;
  log_probability = std::log(static_cast<double>(weights[chosen]) / sum);
  return static_cast<int32_t>(chosen);
}

size_t sample_distinct(std::span<const float> scores, std::span<float> weights, std::span<int32_t> positive,
                       Rng& rng, std::span<int64_t> out) {
  double remaining = softmax_weights(scores, weights);
  // Draws walk only the tokens that can be drawn (few, after top-k / top-p).
  size_t count = 0;
  for (size_t i = 0; i < scores.size(); ++i)
    if (weights[i] > 0.0) positive[count++] = static_cast<int32_t>(i);
  size_t drawn = 0;
  while (drawn < out.size() && count > 0) {
    const double u = rng.uniform() * remaining;
    double cumulative = 0.0;
    size_t chosen = count - 1;  // rounding may leave u at the very top: the last one then
    for (size_t k = 0; k < count; ++k) {
      cumulative += weights[static_cast<size_t>(positive[k])];
      if (u < cumulative) {
        chosen = k;
        break;
      }
    }
    const auto token = static_cast<size_t>(positive[chosen]);
    out[drawn++] = static_cast<int64_t>(token);
    remaining -= weights[token];
    // Remove the drawn token, keeping the others in index order.
    std::copy(positive.begin() + static_cast<std::ptrdiff_t>(chosen) + 1,
              positive.begin() + static_cast<std::ptrdiff_t>(count), positive.begin() + static_cast<std::ptrdiff_t>(chosen));
    --count;
    if (remaining <= 0.0) {
      // Subtraction drift: recompute what is left.
      remaining = 0.0;
      for (size_t k = 0; k < count; ++k) remaining += weights[static_cast<size_t>(positive[k])];
    }
  }
  return drawn;
}

}  // namespace xfmr::gen::detail
