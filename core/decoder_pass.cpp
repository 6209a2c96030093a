// One pass of tokens through the decoder: embeddings, pre-norm layers
// (attention with the KV cache, MLP), final norm and LM head. The same code
// runs a prefill (many tokens per row) and a decode step (one token per row);
// ops/projection.cpp picks sgemm, small_gemm or sgemv by the row count.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/decoder_session.hpp"
#include "core/ops/attention.hpp"
#include "core/ops/cached_attention.hpp"
#include "core/ops/norm.hpp"
#include "core/ops/projection.hpp"

namespace xfmr {
namespace {

// OpenBLAS runs an sgemm whose rows split evenly into multiples of 8 per
// thread much faster (see encoder_layer.cpp): passes of more than
// kSmallGemmRows tokens get spare rows up to a multiple of 16. Spare rows hold
// finite values and are never read back.
int64_t padded(int64_t tokens) {
  constexpr int64_t kRowMultiple = 16;
  if (tokens <= kSmallGemmRows) return tokens;
  return (tokens + kRowMultiple - 1) / kRowMultiple * kRowMultiple;
}

}  // namespace

void DecoderSession::run(std::span<const int32_t> ids, std::span<const Segment> segments) {
  const ModelConfig& cfg = model_.config();
  const auto tokens = static_cast<int64_t>(ids.size());
  const int64_t rows = padded(tokens);
  const int64_t h = cfg.hidden_size;
  const int64_t q_width = cfg.num_attention_heads * cfg.head_dim;
  const int64_t qkv_width = q_width + 2 * cfg.num_key_value_heads * cfg.head_dim;
  const int64_t mlp_width = (model_.names().mlp == MlpKind::gated ? 2 : 1) * cfg.intermediate_size;
  int64_t scores = 0;
  for (const Segment& s : segments) {
    scores = std::max(scores, s.position == 0 && s.count > 1 ? s.count * s.count : s.position + s.count);
  }
  padded_rows_ = rows;
  hidden_ = hidden_scratch_.get(rows * h);
  normed_ = normed_scratch_.get(rows * h);
  qkv_ = qkv_scratch_.get(rows * qkv_width);
  context_ = context_scratch_.get(rows * q_width);
  mlp_ = mlp_scratch_.get(rows * mlp_width);
  scores_ = scores_scratch_.get(scores);
  // Attention writes the context of real tokens only.
  std::fill(context_ + tokens * q_width, context_ + rows * q_width, 0.0f);

  embed(ids, segments, rows);
  for (int64_t layer = 0; layer < cfg.num_hidden_layers; ++layer) run_layer(layer, segments, rows);
}

void DecoderSession::embed(std::span<const int32_t> ids, std::span<const Segment> segments, int64_t rows) {
  const DecoderWeights& w = model_.weights();
  const int64_t h = model_.config().hidden_size;
  const auto bytes = static_cast<size_t>(h) * sizeof(float);
  for (size_t i = 0; i < ids.size(); ++i) std::memcpy(hidden_ + static_cast<int64_t>(i) * h, w.token_embeddings.row(ids[i]), bytes);
  std::fill(hidden_ + static_cast<int64_t>(ids.size()) * h, hidden_ + rows * h, 0.0f);
  if (w.position_embeddings.empty()) return;
  for (const Segment& s : segments) {
    for (int64_t j = 0; j < s.count; ++j) {
      const float* position = w.position_embeddings.row(s.position + j);
      float* x = hidden_ + (s.begin + j) * h;
      for (int64_t c = 0; c < h; ++c) x[c] += position[c];
    }
  }
}

void DecoderSession::normalize(const Norm& norm, const float* x, float* y, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const int64_t h = cfg.hidden_size;
  if (y != x) std::memcpy(y, x, static_cast<size_t>(rows * h) * sizeof(float));
  if (model_.names().norm == NormKind::rms_norm) {
    rms_norm(y, rows, h, h, norm.weight.data(), cfg.layer_norm_eps);
  } else {
    layer_norm(y, rows, h, h, norm.weight.data(), norm.bias.empty() ? nullptr : norm.bias.data(), cfg.layer_norm_eps);
  }
}

void DecoderSession::run_layer(int64_t index, std::span<const Segment> segments, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const DecoderLayerWeights& layer = model_.weights().layers[static_cast<size_t>(index)];
  const int64_t h = cfg.hidden_size;
  const int64_t q_width = cfg.num_attention_heads * cfg.head_dim;
  const int64_t kv_width = cfg.num_key_value_heads * cfg.head_dim;
  const int64_t qkv_width = q_width + 2 * kv_width;

  normalize(layer.attention_norm, hidden_, normed_, rows);
  if (!layer.qkv.empty()) {
    project(layer.qkv, normed_, rows, h, qkv_, qkv_width);
  } else {
    project(layer.query, normed_, rows, h, qkv_, qkv_width);
    project(layer.key, normed_, rows, h, qkv_ + q_width, qkv_width);
    project(layer.value, normed_, rows, h, qkv_ + q_width + kv_width, qkv_width);
  }
  self_attention(index, segments);
  project(layer.attention_output, context_, rows, q_width, hidden_, h, /*accumulate=*/true);
  mlp(index, rows);
}

void DecoderSession::self_attention(int64_t index, std::span<const Segment> segments) {
  const ModelConfig& cfg = model_.config();
  const int64_t heads = cfg.num_attention_heads;
  const int64_t kv_heads = cfg.num_key_value_heads;
  const int64_t d = cfg.head_dim;
  const int64_t q_width = heads * d;
  const int64_t qkv_width = q_width + 2 * kv_heads * d;
  const bool rotary = model_.names().positions == PositionKind::rotary;
  float scale = cfg.scale_attn_weights ? 1.0f / std::sqrt(static_cast<float>(d)) : 1.0f;
  if (cfg.scale_attn_by_inverse_layer_idx) scale /= static_cast<float>(index + 1);

  for (const Segment& s : segments) {
    for (int64_t j = 0; j < s.count; ++j) {
      float* q = qkv_ + (s.begin + j) * qkv_width;
      float* k = q + q_width;
      if (rotary) {
        rope_.apply(q, heads, d, s.position + j);
        rope_.apply(k, kv_heads, d, s.position + j);
      }
      cache_.write(index, s.row, s.position + j, k, k + kv_heads * d);
    }
  }
  for (const Segment& s : segments) {
    if (s.position == 0 && s.count > 1) {
      // A prompt: causal attention over its own fresh keys, one sgemm per head.
      AttentionArgs args;
      args.q = qkv_ + s.begin * qkv_width;
      args.k = args.q + q_width;
      args.v = args.k + kv_heads * d;
      args.ldq = args.ldk = args.ldv = qkv_width;
      args.out = context_ + s.begin * q_width;
      args.ldo = q_width;
      args.q_len = args.kv_len = s.count;
      args.heads = heads;
      args.kv_heads = kv_heads;
      args.head_dim = d;
      args.scale = scale;
      args.causal = true;
      attention(args, scores_);
      continue;
    }
    KvView view = cache_.view(index, s.row);
    for (int64_t j = 0; j < s.count; ++j) {
      view.length = s.position + j + 1;  // causal: the past and this token
      attend_cached(qkv_ + (s.begin + j) * qkv_width, view, heads, kv_heads, scale, context_ + (s.begin + j) * q_width,
                    scores_);
    }
  }
}

void DecoderSession::mlp(int64_t index, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const DecoderLayerWeights& layer = model_.weights().layers[static_cast<size_t>(index)];
  const int64_t h = cfg.hidden_size;
  const int64_t inter = cfg.intermediate_size;
  normalize(layer.mlp_norm, hidden_, normed_, rows);
  if (layer.gate.empty()) {
    project(layer.up, normed_, rows, h, mlp_, inter, false, cfg.hidden_act);
    project(layer.down, mlp_, rows, inter, hidden_, h, /*accumulate=*/true);
    return;
  }
  float* gate = mlp_;
  float* up = mlp_ + rows * inter;
  project(layer.gate, normed_, rows, h, gate, inter, false, cfg.hidden_act);
  project(layer.up, normed_, rows, h, up, inter);
  for (int64_t i = 0; i < rows * inter; ++i) gate[i] *= up[i];
  project(layer.down, gate, rows, inter, hidden_, h, /*accumulate=*/true);
}

void DecoderSession::head(std::span<const int64_t> hidden_rows, float* out, int64_t ld) {
  const DecoderWeights& w = model_.weights();
  const int64_t h = model_.config().hidden_size;
  const auto count = static_cast<int64_t>(hidden_rows.size());
  // normed_ is free after the last layer: gather the wanted rows into it.
  for (int64_t i = 0; i < count; ++i) {
    std::memmove(normed_ + i * h, hidden_ + hidden_rows[static_cast<size_t>(i)] * h, static_cast<size_t>(h) * sizeof(float));
  }
  normalize(w.final_norm, normed_, normed_, count);
  if (out) project(lm_head_, normed_, count, h, out, ld);
}

}  // namespace xfmr
