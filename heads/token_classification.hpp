#pragma once
// Token classification (the ner pipeline): per-token logits → entities,
// with the pipeline's aggregation strategies and its handling of long texts
// split into overlapping chunks.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/tokenizer.hpp"

namespace xfmr::heads {

enum class Aggregation { none, simple, first, average, max };
std::optional<Aggregation> parse_aggregation(std::string_view name);

struct Entity {
  std::string label;  // "entity" with Aggregation::none, else "entity_group"
  float score = 0;
  int32_t index = -1;  // the token's position in its chunk (Aggregation::none only)
  std::string word;
  uint32_t start = 0, end = 0;  // code points into the text
};

// One model input: a chunk of the text and its logits [tokens, labels].
struct TokenChunk {
  const tok::Encoding* encoding;
  std::span<const float> logits;
};

std::vector<Entity> extract_entities(std::string_view text, std::span<const TokenChunk> chunks,
                                     const tok::Tokenizer& tokenizer, const std::vector<std::string>& labels,
                                     Aggregation aggregation, const std::vector<std::string>& ignore_labels);

}  // namespace xfmr::heads
