#pragma once
// Fill-mask (the fill-mask pipeline): vocabulary logits at each mask → the
// most likely tokens, with the sentence they make.
#include <span>
#include <string>
#include <vector>

#include "tokenize/tokenizer.hpp"

namespace xfmr::heads {

struct Prediction {
  float score = 0;
  int32_t token = 0;
  std::string token_str;
  std::string sequence;
};

// The ids that --targets names: a vocabulary entry as it is, else the first
// token of the word (as the pipeline does); duplicates removed. Throws
// UsageError when nothing is left. `warnings` gets one line per fallback.
std::vector<int32_t> resolve_targets(const std::vector<std::string>& targets, const tok::Tokenizer& tokenizer,
                                     std::vector<std::string>& warnings);

// One list per mask (in input order) of min(top_k, candidates) predictions.
// mask_logits: [masks, vocab]; targets: the only candidates (empty = whole vocabulary).
std::vector<std::vector<Prediction>> fill_masks(std::span<const int32_t> ids, std::span<const size_t> mask_positions,
                                                std::span<const float> mask_logits, size_t vocab,
                                                const tok::Tokenizer& tokenizer, size_t top_k,
                                                const std::vector<int32_t>& targets);

}  // namespace xfmr::heads
