#pragma once
// The encoder-decoder family: T5 (v1.0, v1.1 / flan-t5), BART and Marian.
//
//   xfmr::set_num_threads(2);                                // core/threads.hpp
//   auto model = xfmr::Seq2SeqModel::load("models/opus-mt");   // weights shared, read-only
//   xfmr::Seq2SeqSession session(model);                     // a StepModel
//   session.encode(sources);          // encoder input ids, one per prompt of the next start()
//   auto out = xfmr::gen::decode(session, start_tokens, generation_config);   // generate/decode.hpp
//
//   Tensor states = model.encode(ids);  // golden checks: encoder last hidden states [L, hidden]
//
// The encoder runs once per source (all sources of an encode() in one packed
// pass, no padding); each source's cross-attention keys and values are
// computed then, once, and shared by every row (beam, sample) decoding it.
// See core/seq2seq_session.hpp for encode / start / step / reorder.
//
// Limits: BART and Marian refuse encoder inputs and decoder sequences longer
// than max_position_embeddings; T5 (relative positions) has no limit.
// Errors: ModelError at load (missing / misshapen tensors, unsupported
// config); InputError for bad input (ids outside the vocabulary, empty or too
// long sequences).
#include <cstdint>
#include <filesystem>
#include <span>

#include "core/config.hpp"
#include "core/seq2seq_weights.hpp"
#include "core/tensor.hpp"
#include "core/weights.hpp"

namespace xfmr {

class Seq2SeqModel {
 public:
  // Reads dir/config.json and the weights; half-precision weights are
  // converted to float32 once, here.
  static Seq2SeqModel load(const std::filesystem::path& dir);
  Seq2SeqModel(ModelConfig config, const Weights& weights);

  const ModelConfig& config() const { return config_; }
  const Seq2SeqNames& names() const { return *names_; }
  const Seq2SeqWeights& weights() const { return weights_; }
  // The decoder's vocabulary: the width of the logits.
  int32_t vocab_size() const { return static_cast<int32_t>(weights_.decoder.embeddings.dim(0)); }
  // The longest encoder input; 0: no limit.
  int64_t max_source_length() const;
  // The longest decoder sequence (start token included); 0: no limit.
  int64_t max_target_length() const { return max_source_length(); }
  bool has_lm_head() const { return !weights_.lm_head.empty(); }
  // Token embeddings are multiplied by this (sqrt(d_model) with scale_embedding).
  float embedding_scale() const { return embedding_scale_; }
  // The decoder's final hidden states are multiplied by this before the LM
  // head (T5 with tied embeddings: d_model^-0.5).
  float lm_head_scale() const { return lm_head_scale_; }

  // InputError unless every id is in the vocabulary (`vocab`) and the length
  // fits `limit` (0: none); `what` names the sequence in messages.
  static void check_ids(std::span<const int32_t> ids, int64_t vocab, int64_t limit, const std::string& what);

  // The encoder's last hidden states of one input, [ids.size(), hidden].
  Tensor encode(std::span<const int32_t> ids) const;

 private:
  ModelConfig config_;
  const Seq2SeqNames* names_ = nullptr;
  Seq2SeqWeights weights_;
  float embedding_scale_ = 1.0f;
  float lm_head_scale_ = 1.0f;
};

}  // namespace xfmr
