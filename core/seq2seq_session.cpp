// Seq2SeqSession's StepModel side: checks, source and row bookkeeping, and the
// layout of each decoder pass. The computation is in seq2seq_encoder.cpp,
// seq2seq_decoder.cpp and seq2seq_blocks.cpp.
#include "core/seq2seq_session.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr {

Seq2SeqSession::Seq2SeqSession(const Seq2SeqModel& model)
    : model_(model),
      cache_(model.config().num_decoder_layers, model.config().decoder_attention_heads,
             model.config().decoder_head_dim) {
  const Seq2SeqWeights& w = model.weights();
  if (!w.decoder.relative_bias.empty()) {
    causal_bias_ = CausalRelativeBias(w.decoder.relative_bias, model.config().relative_attention_max_distance);
  }
  lm_head_.weight = w.lm_head;
  if (!w.final_logits_bias.empty()) lm_head_.bias = w.final_logits_bias.reshaped({w.final_logits_bias.numel()});
}

void Seq2SeqSession::encode(const std::vector<std::vector<int32_t>>& sources) {
  const ModelConfig& cfg = model_.config();
  for (size_t s = 0; s < sources.size(); ++s) {
    Seq2SeqModel::check_ids(sources[s], cfg.vocab_size, model_.max_source_length(), fmt::format("source {}", s));
  }
  source_ids_.clear();
  source_offsets_.assign(1, 0);
  source_lengths_.clear();
  for (const auto& source : sources) {
    source_ids_.insert(source_ids_.end(), source.begin(), source.end());
    source_offsets_.push_back(static_cast<int64_t>(source_ids_.size()));
    source_lengths_.push_back(static_cast<int64_t>(source.size()));
  }
  const auto tokens = static_cast<int64_t>(source_ids_.size());
  cache_.reset(0, 0);
  row_source_.clear();
  if (tokens == 0) return;
  run_encoder(tokens);
  cross_keys_values(tokens);
}

Tensor Seq2SeqSession::encoder_states(int64_t source) const {
  if (source < 0 || source >= sources()) throw InputError(fmt::format("no encoded source {}", source));
  const int64_t h = model_.config().hidden_size;
  return Tensor::view(encoder_out_ + source_offsets_[static_cast<size_t>(source)] * h,
                      {source_lengths_[static_cast<size_t>(source)], h});
}

void Seq2SeqSession::start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) {
  if (!model_.has_lm_head()) {
    throw ModelError(fmt::format("{}: architecture '{}' has no LM head (lm_head.weight) to compute logits",
                                 model_.config().path.string(), model_.config().architecture()));
  }
  if (copies < 1) throw InputError(fmt::format("start: copies must be >= 1, got {}", copies));
  const auto count = static_cast<int64_t>(prompts.size());
  if (count != sources()) {
    throw InputError(fmt::format("start: {} prompts for {} encoded sources (call encode() first)", count, sources()));
  }
  const auto vocab = static_cast<int64_t>(model_.vocab_size());
  const int64_t rows = count * copies;
  if (static_cast<int64_t>(logits.size()) != rows * vocab) {
    throw InputError(fmt::format("start: logits hold {} floats, {} rows x {} expected", logits.size(), rows, vocab));
  }
  int64_t longest = 0;
  for (int64_t p = 0; p < count; ++p) {
    const auto& prompt = prompts[static_cast<size_t>(p)];
    Seq2SeqModel::check_ids(prompt, vocab, model_.max_target_length(), fmt::format("decoder prompt {}", p));
    longest = std::max<int64_t>(longest, static_cast<int64_t>(prompt.size()));
  }
  cache_.reset(rows, std::max(expected_length_, longest + KvCache::kBlockSize));
  row_source_.resize(static_cast<size_t>(rows));
  spare_row_source_.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) row_source_[static_cast<size_t>(r)] = r / copies;

  // Every prompt once, in one pass; its copies share its cache afterwards.
  layout_.prompts(prompts, copies, cache_);
  run_decoder(layout_.tokens, layout_.segments);
  head(layout_.last_rows, logits.data(), copies * vocab);
  share_prompt_copies(cache_, count, copies, logits, vocab);
}

void Seq2SeqSession::check_rows_input(std::span<const int32_t> tokens, std::span<float> logits,
                                      const char* what) const {
  const auto vocab = static_cast<int64_t>(model_.vocab_size());
  const int64_t rows = cache_.rows();
  if (static_cast<int64_t>(tokens.size()) != rows) {
    throw InputError(fmt::format("{}: {} tokens for {} rows", what, tokens.size(), rows));
  }
  if (static_cast<int64_t>(logits.size()) != rows * vocab) {
    throw InputError(fmt::format("{}: logits hold {} floats, {} rows x {} expected", what, logits.size(), rows, vocab));
  }
  const int64_t limit = model_.max_target_length();
  for (int64_t r = 0; r < rows; ++r) {
    const int32_t id = tokens[static_cast<size_t>(r)];
    if (id < 0 || id >= vocab) {
      throw InputError(fmt::format("{}: row {}: id {} is outside the vocabulary (size {})", what, r, id, vocab));
    }
    if (limit > 0 && cache_.length(r) >= limit) {
      throw InputError(fmt::format("{}: row {} would exceed the model's {} positions", what, r, limit));
    }
  }
}

void Seq2SeqSession::step(std::span<const int32_t> tokens, std::span<float> logits) {
  check_rows_input(tokens, logits, "step");
  layout_.one_token_per_row(cache_);
  run_decoder(tokens, layout_.segments);
  head(layout_.last_rows, logits.data(), model_.vocab_size());
}

void Seq2SeqSession::reorder(std::span<const int32_t> parents) {
  if (static_cast<int64_t>(parents.size()) != cache_.rows()) {
    throw InputError(fmt::format("reorder: {} parents for {} rows", parents.size(), cache_.rows()));
  }
  for (int32_t parent : parents) {
    if (parent < 0 || parent >= cache_.rows()) throw InputError(fmt::format("reorder: no row {}", parent));
  }
  cache_.reorder(parents);
  // A row decodes its parent's source (beam search keeps parents within a
  // source; this stays right for any permutation).
  for (size_t r = 0; r < parents.size(); ++r) spare_row_source_[r] = row_source_[static_cast<size_t>(parents[r])];
  row_source_.swap(spare_row_source_);
}

}  // namespace xfmr
