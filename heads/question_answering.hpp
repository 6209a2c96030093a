#pragma once
// Extractive question answering (the question-answering pipeline of
// transformers 4.x): start/end logits of every chunk of a long context →
// the best spans, aligned to words, as character offsets into the context.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/tokenizer.hpp"

namespace xfmr::heads {

struct QaOptions {
  size_t top_k = 1;
  size_t max_answer_len = 15;
  bool handle_impossible_answer = false;
  bool align_to_words = true;
};

// One (question, context chunk) input: its encoding (question first) and logits [tokens].
struct QaChunk {
  const tok::Encoding* encoding;
  std::span<const float> start_logits;
  std::span<const float> end_logits;
};

struct Answer {
  float score = 0;
  uint32_t start = 0, end = 0;  // code points into the context
  std::string answer;
};

// At most top_k answers, best first.
std::vector<Answer> extract_answers(std::string_view context, std::span<const QaChunk> chunks,
                                    std::optional<int32_t> cls_id, const QaOptions& options);

}  // namespace xfmr::heads
