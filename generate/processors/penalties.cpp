// Processors that look at the tokens already in the sequence: repetition penalty,
// no-repeat n-grams (decoder and encoder side) and sequence bias / bad words.
#include <algorithm>
#include <cstddef>

#include "generate/processors.hpp"
#include "generate/processors/row_math.hpp"

namespace xfmr::gen {

using detail::kMinusInf;

namespace {

bool in_vocab(int32_t token, std::span<const float> scores) {
  return token >= 0 && static_cast<size_t>(token) < scores.size();
}

// Bans the token following every occurrence of `key` (n - 1 tokens) among the n-grams of
// `haystack`. An empty key matches before every token.
void ban_continuations(std::span<const int32_t> haystack, std::span<const int32_t> key, std::span<float> scores) {
  const size_t n = key.size() + 1;
  if (haystack.size() < n) return;
  for (size_t start = 0; start + n <= haystack.size(); ++start) {
    if (!std::equal(key.begin(), key.end(), haystack.begin() + static_cast<std::ptrdiff_t>(start))) continue;
    const int32_t next = haystack[start + n - 1];
    if (in_vocab(next, scores)) scores[static_cast<size_t>(next)] = kMinusInf;
  }
}

}  // namespace

void RepetitionPenalty::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const {
  // transformers gathers, penalises and scatters: each distinct id is penalised once.
  scratch.clear_marks();
  for (int32_t token : tokens) {
    if (!in_vocab(token, scores) || !scratch.mark(token)) continue;
    float& s = scores[static_cast<size_t>(token)];
    s = s < 0.0f ? s * penalty_ : s / penalty_;
  }
}

void NoRepeatNGram::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch&) const {
  const size_t length = tokens.size();
  if (n_ <= 0 || length + 1 < static_cast<size_t>(n_)) return;
  const auto key = tokens.subspan(length + 1 - static_cast<size_t>(n_));
  ban_continuations(tokens, key, scores);
}

void EncoderNoRepeatNGram::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch&) const {
  const size_t length = tokens.size();
  if (n_ <= 0 || length + 1 < static_cast<size_t>(n_)) return;
  const auto key = tokens.subspan(length + 1 - static_cast<size_t>(n_));
  ban_continuations(encoder_tokens_, key, scores);
}

SequenceBias::SequenceBias(std::vector<std::pair<std::vector<int32_t>, float>> entries) {
  for (auto& [ids, bias] : entries) {
    if (ids.empty()) continue;
    if (ids.size() == 1) {
      // transformers keeps one bias per single token: the last given.
      auto same = std::find_if(single_.begin(), single_.end(), [&](const auto& e) { return e.first == ids[0]; });
      if (same != single_.end()) {
        same->second = bias;
      } else {
        single_.emplace_back(ids[0], bias);
      }
    } else {
      multi_.emplace_back(std::move(ids), bias);
    }
  }
}

void SequenceBias::apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const {
  // Biases are summed per token first, then added to the scores, as transformers does.
  scratch.clear_marks();
  size_t touched = 0;
  auto add_bias = [&](int32_t token, float bias) {
    if (!in_vocab(token, scores)) return;
    const auto t = static_cast<size_t>(token);
    if (scratch.mark(token)) {
      scratch.values[t] = 0.0f;
      scratch.order[touched++] = token;
    }
    scratch.values[t] += bias;
  };
  for (const auto& [token, bias] : single_) add_bias(token, bias);
  for (const auto& [ids, bias] : multi_) {
    // transformers 4.48 skips a sequence longer than the context (not merely its prefix).
    if (ids.size() > tokens.size()) continue;
    const size_t prefix = ids.size() - 1;
    if (std::equal(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(prefix), tokens.end() - static_cast<std::ptrdiff_t>(prefix)))
      add_bias(ids.back(), bias);
  }
  for (size_t i = 0; i < touched; ++i) {
    const auto t = static_cast<size_t>(scratch.order[i]);
    scores[t] = scores[t] + scratch.values[t];
  }
}

std::unique_ptr<SequenceBias> make_bad_words(const std::vector<std::vector<int32_t>>& bad_words_ids,
                                             const std::vector<int32_t>& eos_token_ids) {
  std::vector<std::pair<std::vector<int32_t>, float>> entries;
  for (const auto& words : bad_words_ids) {
    const bool is_one_eos = words.size() == 1 &&
                            std::find(eos_token_ids.begin(), eos_token_ids.end(), words[0]) != eos_token_ids.end();
    if (words.empty() || is_one_eos) continue;
    const bool duplicate = std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.first == words; });
    if (!duplicate) entries.emplace_back(words, kMinusInf);
  }
  if (entries.empty()) return nullptr;
  return std::make_unique<SequenceBias>(std::move(entries));
}

}  // namespace xfmr::gen
