// One post-LN encoder layer: self-attention, then the feed-forward block, each
// followed by residual + LayerNorm. Shared by BERT, DistilBERT, RoBERTa and
// ALBERT; only the weights differ.
#include <algorithm>
#include <cmath>

#include "core/encoder.hpp"
#include "core/ops/attention.hpp"
#include "core/ops/linear.hpp"
#include "core/ops/norm.hpp"

namespace xfmr {

// OpenBLAS (Haswell kernels, 2 threads) runs a 48-row sgemm ~1.6x faster than
// a 43-row one: each thread's share of rows should be a multiple of 8. So the
// token buffers get rows rounded up to 16; the spare rows hold finite values
// (zeros, biases) and are never read back. A few rows go through sgemv
// (ops/gemm.cpp) and stay as they are.
int64_t EncoderModel::padded_rows(int64_t tokens) {
  constexpr int64_t kRowMultiple = 16;
  if (tokens <= 8) return tokens;
  return (tokens + kRowMultiple - 1) / kRowMultiple * kRowMultiple;
}

// x[0..count) = LN(x + context Wo^T + bo); then x = LN(x + FFN(x)). Matrix
// products run over all `rows` (count + spare rows).
void EncoderModel::attention_output_and_ffn(const EncoderLayerWeights& layer, float* x, int64_t rows, int64_t count,
                                            const float* context) {
  const int64_t h = config_.hidden_size;
  const int64_t inter = config_.intermediate_size;
  const float eps = config_.layer_norm_eps;
  float* delta = delta_scratch_.get(rows * h);
  float* ffn = ffn_scratch_.get(rows * inter);
  linear_forward(layer.attention_output, context, rows, h, delta, h);
  residual_layer_norm(x, delta, count, h, h, h, layer.attention_norm.weight.data(), layer.attention_norm.bias.data(), eps);
  linear_forward(layer.intermediate, x, rows, h, ffn, inter, config_.hidden_act);
  linear_forward(layer.output, ffn, rows, inter, delta, h);
  residual_layer_norm(x, delta, count, h, h, h, layer.output_norm.weight.data(), layer.output_norm.bias.data(), eps);
}

namespace {

AttentionArgs sequence_attention(const ModelConfig& cfg, const float* qkv, int64_t begin, int64_t length) {
  const int64_t h = cfg.hidden_size;
  const float* base = qkv + begin * 3 * h;
  AttentionArgs args;
  args.q = base;
  args.k = base + h;
  args.v = base + 2 * h;
  args.ldq = args.ldk = args.ldv = 3 * h;
  args.ldo = h;
  args.q_len = args.kv_len = length;
  args.heads = cfg.num_attention_heads;
  args.head_dim = cfg.head_dim;
  args.scale = 1.0f / std::sqrt(static_cast<float>(cfg.head_dim));
  return args;
}

}  // namespace

void EncoderModel::run_layer(const EncoderLayerWeights& layer, const EncoderBatch& batch, Tensor& hidden) {
  const int64_t tokens = batch.tokens();
  const int64_t rows = hidden.dim(0);
  const int64_t h = config_.hidden_size;
  float* x = hidden.data();
  float* qkv = qkv_scratch_.get(rows * 3 * h);
  float* context = context_scratch_.get(rows * h);
  std::fill(context + tokens * h, context + rows * h, 0.0f);

  // Q, K and V of every token of every sequence: three sgemms into one buffer.
  linear_forward(layer.query, x, rows, h, qkv, 3 * h);
  linear_forward(layer.key, x, rows, h, qkv + h, 3 * h);
  linear_forward(layer.value, x, rows, h, qkv + 2 * h, 3 * h);

  int64_t longest = 0;
  for (int64_t b = 0; b < batch.size(); ++b) longest = std::max(longest, batch.length(b));
  float* scores = scores_scratch_.get(longest * longest);
  for (int64_t b = 0; b < batch.size(); ++b) {
    AttentionArgs args = sequence_attention(config_, qkv, batch.begin(b), batch.length(b));
    args.out = context + batch.begin(b) * h;
    attention(args, scores);
  }
  attention_output_and_ffn(layer, x, rows, tokens, context);
}

// The layer for a few query rows: K and V of every token (they are attended
// to), Q, attention and FFN of the selected rows only.
Tensor EncoderModel::run_layer_on_rows(const EncoderLayerWeights& layer, const EncoderBatch& batch,
                                       const Tensor& hidden, std::span<const int64_t> rows) {
  const int64_t all_rows = hidden.dim(0);
  const int64_t h = config_.hidden_size;
  const auto count = static_cast<int64_t>(rows.size());
  const int64_t selected_rows = padded_rows(count);
  float* qkv = qkv_scratch_.get(all_rows * 3 * h);
  linear_forward(layer.key, hidden.data(), all_rows, h, qkv + h, 3 * h);
  linear_forward(layer.value, hidden.data(), all_rows, h, qkv + 2 * h, 3 * h);

  Tensor out = Tensor::zeros({selected_rows, h});
  for (int64_t i = 0; i < count; ++i) std::copy_n(hidden.row(rows[static_cast<size_t>(i)]), h, out.row(i));
  float* query = query_scratch_.get(selected_rows * h);
  linear_forward(layer.query, out.data(), selected_rows, h, query, h);

  float* context = context_scratch_.get(selected_rows * h);
  std::fill(context + count * h, context + selected_rows * h, 0.0f);
  float* scores = scores_scratch_.get(batch.tokens());
  for (int64_t i = 0; i < count; ++i) {
    const int64_t row = rows[static_cast<size_t>(i)];
    const auto b = std::upper_bound(batch.offsets.begin(), batch.offsets.end(), row) - batch.offsets.begin() - 1;
    AttentionArgs args = sequence_attention(config_, qkv, batch.begin(b), batch.length(b));
    args.q = query + i * h;
    args.ldq = h;
    args.q_len = 1;
    args.out = context + i * h;
    attention(args, scores);
  }
  attention_output_and_ffn(layer, out.data(), selected_rows, count, context);
  return out.first_rows(count);
}

}  // namespace xfmr
