#pragma once
// Seq2SeqSession: one decoding run of a Seq2SeqModel, as a StepModel
// (core/step_model.hpp) for the decoding module (generate/decode.hpp).
//
//   encode(sources)                 the encoder over every source in one packed
//       pass (one sgemm per projection over all tokens, attention per source),
//       then each decoder layer's cross-attention keys and values of every
//       source, once. sources[i] belongs to prompts[i] of the next start().
//   start(prompts, copies, logits)  the decoder prompts (start tokens); rows
//       p * copies .. p * copies + copies - 1 decode source p: they share its
//       cross-attention keys / values and its prompt's self-attention cache.
//   step(tokens, logits)            one token per row, attending to the row's
//       self-attention cache (core/kv_cache.hpp) and its source's states.
//   reorder(parents)                beam search: the self-attention block
//       tables are swapped; cross-attention data never moves.
//
// Scratch buffers and the cache grow to the largest run seen and are reused:
// steady-state steps allocate nothing.
#include <cstdint>
#include <span>
#include <vector>

#include "core/kv_cache.hpp"
#include "core/prefill.hpp"
#include "core/ops/projection.hpp"
#include "core/ops/relative_position.hpp"
#include "core/seq2seq.hpp"
#include "core/step_model.hpp"
#include "core/tensor.hpp"

namespace xfmr {

class Seq2SeqSession final : public StepModel {
 public:
  explicit Seq2SeqSession(const Seq2SeqModel& model);

  int32_t vocab_size() const override { return model_.vocab_size(); }
  void encode(const std::vector<std::vector<int32_t>>& sources);
  void start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) override;
  void step(std::span<const int32_t> tokens, std::span<float> logits) override;
  void reorder(std::span<const int32_t> parents) override;

  // Optional: decoder rows will reach `max_length` tokens (start included).
  void reserve(int64_t max_length) { expected_length_ = max_length; }
  // The encoder's last hidden states of source i of the last encode(),
  // [length, hidden] (a view, valid until the next encode()).
  Tensor encoder_states(int64_t source) const;
  int64_t sources() const { return static_cast<int64_t>(source_lengths_.size()); }

  const KvCache& cache() const { return cache_; }
  int64_t rows() const { return cache_.rows(); }

 private:
  // Decoder token rows [begin, begin + count) go to cache row `row`, at
  // positions position .. position + count - 1.
  using Segment = CacheSegment;

  // seq2seq_encoder.cpp
  void run_encoder(int64_t tokens);
  void encoder_layer(int64_t index, int64_t rows);
  void encoder_self_attention();
  void relative_bias_of_sources();
  void cross_keys_values(int64_t tokens);

  // seq2seq_decoder.cpp
  void run_decoder(std::span<const int32_t> ids, std::span<const Segment> segments);
  void decoder_embed(std::span<const int32_t> ids, std::span<const Segment> segments, int64_t rows);
  void decoder_self_attention(int64_t index, std::span<const Segment> segments, int64_t rows);
  void decoder_cross_attention(int64_t index, std::span<const Segment> segments, int64_t rows);
  void head(std::span<const int64_t> hidden_rows, float* out, int64_t ld);

  // seq2seq_blocks.cpp: pieces both stacks use.
  void normalize(const Norm& norm, float* x, int64_t rows);
  // Pre-norm: normed_ = norm(hidden_) is the block's input; post-norm:
  // hidden_ itself. Returns the input.
  const float* block_input(const Norm& norm, int64_t rows);
  // Post-norm: hidden_ = norm(hidden_) after the block's residual add.
  void block_output(const Norm& norm, int64_t rows);
  void mlp(const Seq2SeqLayerWeights& layer, int64_t intermediate, int64_t rows);
  float attention_scale(int64_t head_dim) const;
  static int64_t padded_rows(int64_t tokens);

  void check_rows_input(std::span<const int32_t> tokens, std::span<float> logits, const char* what) const;

  const Seq2SeqModel& model_;
  KvCache cache_;
  CausalRelativeBias causal_bias_;
  Projection lm_head_;
  int64_t expected_length_ = 0;

  // The sources of the last encode().
  std::vector<int32_t> source_ids_;
  std::vector<int64_t> source_offsets_{0};  // source s is tokens [offsets[s], offsets[s+1])
  std::vector<int64_t> source_lengths_;
  std::vector<int64_t> bias_offsets_;       // T5: source s's [heads, 2L - 1] bias diagonals in bias_
  std::vector<int64_t> cross_offsets_;      // source s's keys / values in cross_
  Scratch encoder_scratch_, bias_scratch_, head_bias_scratch_, cross_scratch_;
  float* encoder_out_ = nullptr;  // [tokens, hidden] the encoder's last hidden states
  float* bias_ = nullptr;
  const float* cross_ = nullptr;  // per source, per decoder layer: keys [heads][L][d], values [heads][L][d]

  // Decoder rows.
  std::vector<int64_t> row_source_, spare_row_source_;
  PassLayout layout_;

  // This pass's buffers (from the scratches below).
  Scratch hidden_scratch_, normed_scratch_, qkv_scratch_, context_scratch_, mlp_scratch_, scores_scratch_;
  float* hidden_ = nullptr;   // [rows, hidden] the residual stream
  float* normed_ = nullptr;   // [rows, hidden] its normalised copy
  float* qkv_ = nullptr;      // [rows, 3 * inner] q | k | v
  float* context_ = nullptr;  // [rows, inner] attention output
  float* mlp_ = nullptr;      // [rows, intermediate] (x2 for a gated MLP)
  float* scores_ = nullptr;
};

}  // namespace xfmr
