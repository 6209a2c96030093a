#include "heads/fill_mask.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "core/error.hpp"
#include "heads/probabilities.hpp"

namespace xfmr::heads {

std::vector<int32_t> resolve_targets(const std::vector<std::string>& targets, const tok::Tokenizer& tokenizer,
                                     std::vector<std::string>& warnings) {
  std::vector<int32_t> ids;
  for (const auto& target : targets) {
    std::optional<int32_t> id = tokenizer.token_to_id(target);
    if (!id) {
      tok::EncodeOptions options;
      options.add_special_tokens = false;
      tok::Encoding encoding = tokenizer.encode(target, options);
      if (encoding.ids.empty()) {
        warnings.push_back(fmt::format("the target \"{}\" is no token and was skipped", target));
        continue;
      }
      id = encoding.ids.front();
      warnings.push_back(fmt::format("the target \"{}\" is not in the vocabulary; using its first token \"{}\"", target,
                                     tokenizer.id_to_token(*id)));
    }
    if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  }
  if (ids.empty()) throw UsageError("--targets: no target is a token of this model");
  return ids;
}

std::vector<std::vector<Prediction>> fill_masks(std::span<const int32_t> ids, std::span<const size_t> mask_positions,
                                                std::span<const float> mask_logits, size_t vocab,
                                                const tok::Tokenizer& tokenizer, size_t top_k,
                                                const std::vector<int32_t>& targets) {
  const bool single_mask = mask_positions.size() == 1;
  const auto pad = tokenizer.special_ids().pad;
  std::vector<std::vector<Prediction>> result;
  std::vector<float> probabilities(vocab);
  std::vector<int32_t> candidates;
  for (size_t m = 0; m < mask_positions.size(); ++m) {
    softmax(mask_logits.subspan(m * vocab, vocab), probabilities);
    candidates = targets;
    if (candidates.empty()) {
      candidates.resize(vocab);
      std::iota(candidates.begin(), candidates.end(), 0);
    }
    size_t k = std::min(top_k, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end(), [&](int32_t a, int32_t b) {
      return probabilities[a] != probabilities[b] ? probabilities[a] > probabilities[b] : a < b;
    });
    std::vector<Prediction> row;
    for (size_t i = 0; i < k; ++i) {
      int32_t token = candidates[i];
      std::vector<int32_t> filled;
      for (size_t t = 0; t < ids.size(); ++t) {
        int32_t id = t == mask_positions[m] ? token : ids[t];
        if (!pad || id != *pad) filled.push_back(id);
      }
      // With several masks the pipeline keeps the special tokens, so the other masks stay visible.
      row.push_back({probabilities[token], token, tokenizer.decode(std::span(&token, 1), false),
                     tokenizer.decode(filled, single_mask)});
    }
    result.push_back(std::move(row));
  }
  return result;
}

}  // namespace xfmr::heads
