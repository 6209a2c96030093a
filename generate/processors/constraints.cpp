// Processors that depend only on the sequence length: min length, forced BOS/EOS,
// token suppression, and the inf/nan clean-up.
#include <algorithm>
#include <cmath>
#include <limits>

#include "generate/processors.hpp"
#include "generate/processors/row_math.hpp"

namespace xfmr::gen {

using detail::kMinusInf;

namespace {

void ban(std::span<float> scores, const std::vector<int32_t>& tokens) {
  for (int32_t token : tokens)
    if (token >= 0 && static_cast<size_t>(token) < scores.size()) scores[static_cast<size_t>(token)] = kMinusInf;
}

// Everything -inf except `allowed`, which gets 0.
void force(std::span<float> scores, std::span<const int32_t> allowed) {
  std::fill(scores.begin(), scores.end(), kMinusInf);
  for (int32_t token : allowed)
    if (token >= 0 && static_cast<size_t>(token) < scores.size()) scores[static_cast<size_t>(token)] = 0.0f;
}

}  // namespace

void MinLength::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch&) const {
  if (static_cast<int64_t>(tokens.size()) < min_length_) ban(scores, eos_);
}

void ForcedBos::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch&) const {
  if (tokens.size() == 1) force(scores, std::span<const int32_t>(&token_, 1));
}

void ForcedEos::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch&) const {
  if (static_cast<int64_t>(tokens.size()) == static_cast<int64_t>(max_length_) - 1) force(scores, eos_);
}

void InfNanRemove::apply(std::span<float> scores, std::span<const int32_t>, Scratch&) const {
  for (float& s : scores) {
    if (std::isnan(s)) {
      s = 0.0f;
    } else if (std::isinf(s)) {
      s = s > 0 ? std::numeric_limits<float>::max() : std::numeric_limits<float>::lowest();
    }
  }
}

void SuppressTokens::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch&) const {
  if (at_length_ >= 0 && static_cast<int64_t>(tokens.size()) != at_length_) return;
  ban(scores, tokens_);
}

}  // namespace xfmr::gen
