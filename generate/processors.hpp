#pragma once
// Logits processors: small objects that rewrite one row of next-token scores in place,
// given the row's whole sequence so far, with the semantics of transformers 4.48
// (generation/logits_process.py). Banned tokens get -inf, as there.
//
// A ProcessorChain holds one input's processors in transformers' order
// (_get_logits_processor): sequence bias, repetition penalty, no-repeat-ngram,
// encoder no-repeat-ngram, bad words, min length, forced BOS, forced EOS, inf/nan removal,
// suppress tokens, suppress at begin, then when sampling temperature, top-k, top-p, min-p,
// typical, epsilon, eta, and last the renormalisation (log-softmax) if asked for.
//
// Processors allocate nothing per call: the Scratch buffers are sized for the vocabulary
// once per decode and shared by every processor of every row (one Scratch per thread).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "generate/generation_config.hpp"

namespace xfmr::gen {

class Scratch {
 public:
  explicit Scratch(int32_t vocab_size);

  std::vector<float> values;    // [vocab]
  std::vector<int32_t> order;   // [vocab]
  std::vector<float> weights;   // [vocab]

  // Starts a new "seen" set over token ids without clearing anything.
  void clear_marks();
  // Adds `id` to the current set; false if it was already there.
  bool mark(int32_t id);

 private:
  std::vector<uint32_t> stamps_;
  uint32_t stamp_ = 0;
};

class LogitsProcessor {
 public:
  virtual ~LogitsProcessor() = default;
  // `scores`: one row [vocab]; `tokens`: the row's sequence so far (what transformers calls
  // input_ids[row]: the prompt, or the decoder start token, and the generated tokens).
  virtual void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const = 0;
};

// --- Penalties and constraints (processors/penalties.cpp, processors/constraints.cpp) ---

// Each distinct token of the sequence: score < 0 ? score * penalty : score / penalty.
class RepetitionPenalty final : public LogitsProcessor {
 public:
  explicit RepetitionPenalty(double penalty) : penalty_(static_cast<float>(penalty)) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  float penalty_;
};

// Bans every token that would repeat an n-gram already in the sequence.
class NoRepeatNGram final : public LogitsProcessor {
 public:
  explicit NoRepeatNGram(int32_t ngram_size) : n_(ngram_size) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  int32_t n_;
};

// Bans every token that would copy an n-gram of the encoder input.
class EncoderNoRepeatNGram final : public LogitsProcessor {
 public:
  EncoderNoRepeatNGram(int32_t ngram_size, std::vector<int32_t> encoder_tokens)
      : n_(ngram_size), encoder_tokens_(std::move(encoder_tokens)) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  int32_t n_;
  std::vector<int32_t> encoder_tokens_;
};

// Adds a bias to the last token of each listed sequence when the sequence tail matches the
// rest (single tokens: always). Bad words are this with -inf.
class SequenceBias final : public LogitsProcessor {
 public:
  explicit SequenceBias(std::vector<std::pair<std::vector<int32_t>, float>> entries);
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  std::vector<std::pair<int32_t, float>> single_;                    // token, bias (last one wins)
  std::vector<std::pair<std::vector<int32_t>, float>> multi_;  // sequences of 2+ tokens
};
// NoBadWordsLogitsProcessor: bad_words_ids without the entries that are exactly one EOS
// token. Null when nothing is left.
std::unique_ptr<SequenceBias> make_bad_words(const std::vector<std::vector<int32_t>>& bad_words_ids,
                                             const std::vector<int32_t>& eos_token_ids);

// EOS banned while the sequence is shorter than min_length (whole sequence counted).
class MinLength final : public LogitsProcessor {
 public:
  MinLength(int32_t min_length, std::vector<int32_t> eos_token_ids)
      : min_length_(min_length), eos_(std::move(eos_token_ids)) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  int32_t min_length_;
  std::vector<int32_t> eos_;
};

// When the sequence is one token long, only `token` is allowed (score 0).
class ForcedBos final : public LogitsProcessor {
 public:
  explicit ForcedBos(int32_t token) : token_(token) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  int32_t token_;
};

// When one token is left before max_length, only the EOS tokens are allowed (score 0).
class ForcedEos final : public LogitsProcessor {
 public:
  ForcedEos(int32_t max_length, std::vector<int32_t> eos_token_ids)
      : max_length_(max_length), eos_(std::move(eos_token_ids)) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  int32_t max_length_;
  std::vector<int32_t> eos_;
};

// nan -> 0, +-inf -> the largest / lowest float.
class InfNanRemove final : public LogitsProcessor {
 public:
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;
};

// Bans the listed tokens, always or only when the sequence is `begin_index` long.
class SuppressTokens final : public LogitsProcessor {
 public:
  explicit SuppressTokens(std::vector<int32_t> tokens, int32_t at_length = -1)
      : tokens_(std::move(tokens)), at_length_(at_length) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  std::vector<int32_t> tokens_;
  int32_t at_length_;  // -1: at every step
};

// --- Sampling warpers (processors/warpers.cpp, processors/nucleus.cpp) ---

class Temperature final : public LogitsProcessor {
 public:
  explicit Temperature(double temperature) : temperature_(static_cast<float>(temperature)) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  float temperature_;
};

// Removes scores below the k-th largest (ties with it are kept).
class TopK final : public LogitsProcessor {
 public:
  TopK(int32_t top_k, int32_t min_tokens_to_keep) : k_(std::max(top_k, min_tokens_to_keep)) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  int32_t k_;
};

// Nucleus: keeps the most likely tokens whose mass reaches top_p (as transformers: tokens
// whose ascending cumulative probability is <= 1 - top_p go), at least min_tokens_to_keep.
class TopP final : public LogitsProcessor {
 public:
  TopP(double top_p, int32_t min_tokens_to_keep) : top_p_(top_p), min_keep_(min_tokens_to_keep) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  double top_p_;
  int32_t min_keep_;
};

// Removes tokens with probability < min_p * the highest probability.
class MinP final : public LogitsProcessor {
 public:
  MinP(double min_p, int32_t min_tokens_to_keep) : min_p_(min_p), min_keep_(min_tokens_to_keep) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  double min_p_;
  int32_t min_keep_;
};

// Locally typical sampling: keeps the tokens closest to the entropy up to mass typical_p.
class Typical final : public LogitsProcessor {
 public:
  Typical(double mass, int32_t min_tokens_to_keep) : mass_(mass), min_keep_(min_tokens_to_keep) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  double mass_;
  int32_t min_keep_;
};

// Removes tokens with probability below a cutoff: epsilon, or for eta sampling
// min(eta, sqrt(eta) * exp(-entropy)).
class ProbabilityCutoff final : public LogitsProcessor {
 public:
  enum class Kind { epsilon, eta };
  ProbabilityCutoff(Kind kind, double cutoff, int32_t min_tokens_to_keep)
      : kind_(kind), cutoff_(cutoff), min_keep_(min_tokens_to_keep) {}
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;

 private:
  Kind kind_;
  double cutoff_;
  int32_t min_keep_;
};

// renormalize_logits: scores become log-probabilities.
class LogSoftmax final : public LogitsProcessor {
 public:
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const override;
};

// --- The chain of one input (processors/chain.cpp) ---

class ProcessorChain {
 public:
  void add(std::unique_ptr<LogitsProcessor> processor) { processors_.push_back(std::move(processor)); }
  void apply(std::span<float> scores, std::span<const int32_t> tokens, Scratch& scratch) const {
    for (const auto& processor : processors_) processor->apply(scores, tokens, scratch);
  }
  bool empty() const { return processors_.empty(); }
  size_t size() const { return processors_.size(); }

 private:
  std::vector<std::unique_ptr<LogitsProcessor>> processors_;
};

// The processors transformers would use for one input. `encoder_tokens`: the encoder input
// of an encoder-decoder (for encoder_no_repeat_ngram_size); decoder-only models pass the prompt.
ProcessorChain build_chain(const GenerationConfig& config, const LengthLimits& limits, int32_t prompt_length,
                           std::span<const int32_t> encoder_tokens);

}  // namespace xfmr::gen
