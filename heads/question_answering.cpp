#include "heads/question_answering.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "heads/code_points.hpp"

namespace xfmr::heads {

namespace {

constexpr int32_t kContext = 1;  // the context is the second sequence: the question comes first

// Softmax over a chunk where the tokens outside the context get logit -10000, as the pipeline does.
std::vector<float> masked_probabilities(std::span<const float> logits, const std::vector<uint8_t>& allowed) {
  std::vector<float> p(logits.size());
  float max = -INFINITY;
  for (size_t i = 0; i < p.size(); ++i) max = std::max(max, p[i] = allowed[i] ? logits[i] : -10000.0f);
  float sum = 0;
  for (float& v : p) sum += v = std::exp(v - max);
  for (float& v : p) v /= sum;
  return p;
}

struct Span {
  size_t start, end;
  float score;
};

// The top_k spans by p_start * p_end with start <= end < start + max_answer_len,
// chosen before dropping spans that touch tokens outside the context (so fewer may remain).
std::vector<Span> best_spans(const std::vector<float>& start, const std::vector<float>& end, size_t top_k,
                             size_t max_answer_len, const std::vector<uint8_t>& allowed) {
  const size_t n = start.size();
  std::vector<Span> candidates;
  candidates.reserve(n * std::min(n, max_answer_len));
  for (size_t s = 0; s < n; ++s)
    for (size_t e = s; e < n && e < s + max_answer_len; ++e) candidates.push_back({s, e, start[s] * end[e]});
  // Equal scores: the earlier span in the pipeline's flattened start × end matrix first.
  auto better = [n](const Span& a, const Span& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.start * n + a.end < b.start * n + b.end;
  };
  size_t k = std::min(top_k, candidates.size());
  std::partial_sort(candidates.begin(), candidates.begin() + k, candidates.end(), better);
  candidates.resize(k);
  std::vector<Span> kept;
  for (const auto& c : candidates)
    if (allowed[c.start] && allowed[c.end]) kept.push_back(c);
  return kept;
}

// The character span of a word of the context within this chunk.
std::pair<uint32_t, uint32_t> word_chars(const tok::Encoding& enc, int32_t word) {
  uint32_t begin = UINT32_MAX, end = 0;
  for (size_t i = 0; i < enc.size(); ++i)
    if (enc.sequence_ids[i] == kContext && enc.word_ids[i] == word) {
      begin = std::min(begin, enc.offsets[i].start);
      end = std::max(end, enc.offsets[i].end);
    }
  return {begin, end};
}

}  // namespace

std::vector<Answer> extract_answers(std::string_view context, std::span<const QaChunk> chunks,
                                    std::optional<int32_t> cls_id, const QaOptions& options) {
  const CodePointIndex text(context);
  std::vector<Answer> answers;
  float min_null_score = 1000000.0f;
  for (const auto& chunk : chunks) {
    const tok::Encoding& enc = *chunk.encoding;
    std::vector<uint8_t> allowed(enc.size());
    for (size_t i = 0; i < enc.size(); ++i)
      allowed[i] = (enc.sequence_ids[i] == kContext || (cls_id && enc.ids[i] == *cls_id)) &&
                   (enc.attention_mask.empty() || enc.attention_mask[i]);
    std::vector<float> start = masked_probabilities(chunk.start_logits, allowed);
    std::vector<float> end = masked_probabilities(chunk.end_logits, allowed);
    if (options.handle_impossible_answer) min_null_score = std::min(min_null_score, start[0] * end[0]);
    start[0] = end[0] = 0.0f;
    for (const Span& span : best_spans(start, end, options.top_k, options.max_answer_len, allowed)) {
      uint32_t begin = enc.offsets[span.start].start, finish = enc.offsets[span.end].end;
      int32_t start_word = enc.word_ids[span.start], end_word = enc.word_ids[span.end];
      if (options.align_to_words && start_word >= 0 && end_word >= 0 && enc.sequence_ids[span.start] == kContext &&
          enc.sequence_ids[span.end] == kContext) {
        begin = word_chars(enc, start_word).first;
        finish = word_chars(enc, end_word).second;
      }
      answers.push_back({span.score, begin, finish, std::string(text.slice(begin, finish))});
    }
  }
  if (options.handle_impossible_answer) answers.push_back({min_null_score, 0, 0, ""});
  std::stable_sort(answers.begin(), answers.end(), [](const Answer& a, const Answer& b) { return a.score > b.score; });
  if (answers.size() > options.top_k) answers.resize(options.top_k);
  return answers;
}

}  // namespace xfmr::heads
