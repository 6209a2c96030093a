#pragma once
// Internal: choosing tokens from a processed row of scores.
#include <cstdint>
#include <span>

#include "generate/rng.hpp"

namespace xfmr::gen::detail {

// Index of the largest score, the first among equal maxima (as torch.argmax); NaN never wins.
int32_t argmax(std::span<const float> scores);

// Draws one index from softmax(scores) exactly (inverse CDF in double). `weights` is a
// scratch buffer at least scores.size() long. Writes the drawn token's log-probability.
// A row with no finite score falls back to argmax.
int32_t sample_one(std::span<const float> scores, std::span<float> weights, Rng& rng, double& log_probability);

// Draws up to out.size() distinct indices from softmax(scores) without replacement (as
// torch.multinomial(..., replacement=False)); returns how many were drawn, fewer when fewer
// indices have non-zero probability. `weights` and `positive` are scratch buffers at least
// scores.size() long.
size_t sample_distinct(std::span<const float> scores, std::span<float> weights, std::span<int32_t> positive,
                       Rng& rng, std::span<int64_t> out);

}  // namespace xfmr::gen::detail
