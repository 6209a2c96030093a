#pragma once
// DecoderSession: one decoding run of a DecoderModel, as a StepModel
// (core/step_model.hpp) for the decoding module (generate/decode.hpp).
//
//   start(prompts, copies, logits)  one batched prefill of every prompt (all
//       prompt tokens of all prompts through one sgemm per projection,
//       attention per prompt over its own length: no padding); each prompt's
//       cache is then shared by its `copies` rows, not recomputed.
//   step(tokens, logits)            one token per row, attending to the row's
//       cache; projections of few rows read the weights once (small_gemm /
//       sgemv), the LM head included. Rows may differ in length.
//   reorder(parents)                beam search: block tables are swapped, no
//       key / value data moves (core/kv_cache.hpp).
//
// Scratch buffers and the cache grow to the largest run seen and are reused:
// steady-state steps allocate nothing. reserve() sizes the cache up front.
#include <cstdint>
#include <span>
#include <vector>

#include "core/decoder.hpp"
#include "core/kv_cache.hpp"
#include "core/prefill.hpp"
#include "core/ops/projection.hpp"
#include "core/ops/rope_table.hpp"
#include "core/step_model.hpp"
#include "core/tensor.hpp"

namespace xfmr {

class DecoderSession final : public StepModel {
 public:
  explicit DecoderSession(const DecoderModel& model);

  int32_t vocab_size() const override { return model_.vocab_size(); }
  void start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) override;
  void step(std::span<const int32_t> tokens, std::span<float> logits) override;
  void reorder(std::span<const int32_t> parents) override;

  // Optional: rows will reach `max_length` tokens (prompt included).
  void reserve(int64_t max_length) { expected_length_ = max_length; }
  // One sequence from an empty cache; writes the final hidden states and / or
  // the logits of every position (either may be null). Leaves the sequence in
  // the cache as row 0.
  void forward_all(std::span<const int32_t> ids, Tensor* hidden, Tensor* logits);

  const KvCache& cache() const { return cache_; }
  int64_t rows() const { return cache_.rows(); }

 private:
  // Token rows [begin, begin + count) of the pass go to cache row `row`,
  // at positions position .. position + count - 1.
  using Segment = CacheSegment;

  // Runs `ids` through the layers (writing the cache) and leaves the final
  // hidden states, before the final norm, in hidden_.
  void run(std::span<const int32_t> ids, std::span<const Segment> segments);
  void embed(std::span<const int32_t> ids, std::span<const Segment> segments, int64_t rows);
  void run_layer(int64_t index, std::span<const Segment> segments, int64_t rows);
  void self_attention(int64_t index, std::span<const Segment> segments);
  void mlp(int64_t index, int64_t rows);
  // Final norm of the given hidden rows into normed_, then logits into out
  // (row i at out + i * ld) when out is not null.
  void head(std::span<const int64_t> hidden_rows, float* out, int64_t ld);
  void normalize(const Norm& norm, const float* x, float* y, int64_t rows);
  void require_head() const;

  const DecoderModel& model_;
  KvCache cache_;
  RopeTable rope_;
  Projection lm_head_;
  int64_t expected_length_ = 0;
  int64_t padded_rows_ = 0;  // rows of the current pass, spare rows included
  PassLayout layout_;
  Scratch hidden_scratch_, normed_scratch_, qkv_scratch_, context_scratch_, mlp_scratch_, scores_scratch_;
  // This pass's buffers (from the scratches above).
  float* hidden_ = nullptr;   // [rows, hidden] the residual stream
  float* normed_ = nullptr;   // [rows, hidden] its normalised copy
  float* qkv_ = nullptr;      // [rows, q | k | v]
  float* context_ = nullptr;  // [rows, heads * head_dim] attention output
  float* mlp_ = nullptr;      // [rows, intermediate] (x2 for a gated MLP)
  float* scores_ = nullptr;
};

}  // namespace xfmr
