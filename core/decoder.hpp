#pragma once
// The decoder-only family: GPT-2 and the Llama blocks (Llama, Mistral, Qwen2),
// causal language models run with a KV cache.
//
//   xfmr::set_num_threads(2);                               // core/threads.hpp
//   auto model = xfmr::DecoderModel::load("models/gpt2");   // weights shared, read-only
//   xfmr::DecoderSession session(model);                    // a StepModel: cache + scratch
//   auto out = xfmr::gen::decode(session, prompts, generation_config);   // generate/decode.hpp
//
//   auto full = model.forward(ids);   // golden checks: full.hidden [T, hidden]
//                                     // (after the final norm), full.logits [T, vocab]
//
// A DecoderSession refers to its model (keep the model alive and in place) and
// holds one decoding run's state; sessions of one model are independent, a
// session is not safe for concurrent calls (BLAS threads already use the
// cores). See core/decoder_session.hpp for start / step / reorder.
//
// Positions: every row counts its own positions from 0 (unpadded prompts), as
// transformers does for a left-padded batch with its attention mask.
// Limits: GPT-2 refuses sequences longer than n_positions; a model with a
// sliding window (Mistral, Qwen2 with use_sliding_window) refuses sequences
// longer than the window, since windowed attention is not implemented (shorter
// ones are exact); rotary models have no other limit.
// Errors: ModelError at load (missing / misshapen tensors, unsupported config
// such as rope_scaling); InputError for bad input (ids outside the
// vocabulary, empty or too long sequences).
#include <cstdint>
#include <filesystem>
#include <span>

#include "core/config.hpp"
#include "core/decoder_weights.hpp"
#include "core/tensor.hpp"
#include "core/weights.hpp"

namespace xfmr {

class DecoderModel {
 public:
  // Reads dir/config.json and the weights (model.safetensors or shards);
  // half-precision weights are converted to float32 once, here.
  static DecoderModel load(const std::filesystem::path& dir);
  DecoderModel(ModelConfig config, const Weights& weights);

  const ModelConfig& config() const { return config_; }
  const DecoderNames& names() const { return *names_; }
  const DecoderWeights& weights() const { return weights_; }
  int32_t vocab_size() const { return static_cast<int32_t>(config_.vocab_size); }
  // The longest sequence (prompt + generated) the model takes; 0: no limit.
  int64_t max_sequence_length() const;
  bool has_lm_head() const { return !weights_.lm_head.empty(); }

  struct Output {
    Tensor hidden;  // [T, hidden]: last hidden states, after the final norm
    Tensor logits;  // [T, vocab]
  };
  // One sequence through the whole model, every position's outputs.
  Output forward(std::span<const int32_t> ids) const;

  // Throws InputError unless every id is in the vocabulary and the length fits.
  void check_sequence(std::span<const int32_t> ids, int64_t index) const;

 private:
  ModelConfig config_;
  const DecoderNames* names_ = nullptr;
  DecoderWeights weights_;
};

}  // namespace xfmr
