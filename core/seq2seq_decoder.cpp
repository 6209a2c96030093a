// One pass of decoder tokens: embeddings, layers (self-attention over the
// row's KV cache, cross-attention over its source's precomputed keys and
// values, MLP), final norm and LM head. The same code runs the prompts of
// start() and the one-token rows of step(); ops/projection.cpp picks sgemm,
// small_gemm or sgemv by the row count.
#include <algorithm>
#include <cstring>

#include "core/ops/cached_attention.hpp"
#include "core/ops/projection.hpp"
#include "core/seq2seq_session.hpp"

namespace xfmr {

void Seq2SeqSession::run_decoder(std::span<const int32_t> ids, std::span<const Segment> segments) {
  const ModelConfig& cfg = model_.config();
  const auto tokens = static_cast<int64_t>(ids.size());
  const int64_t rows = padded_rows(tokens);
  const int64_t h = cfg.hidden_size;
  const int64_t inner = cfg.decoder_attention_heads * cfg.decoder_head_dim;
  int64_t positions = 0;
  for (const Segment& s : segments) positions = std::max(positions, s.position + s.count);
  int64_t scores = positions;
  for (int64_t length : source_lengths_) scores = std::max(scores, length);
  hidden_ = hidden_scratch_.get(rows * h);
  normed_ = normed_scratch_.get(rows * h);
  qkv_ = qkv_scratch_.get(rows * 3 * inner);
  context_ = context_scratch_.get(rows * inner);
  mlp_ = mlp_scratch_.get(rows * cfg.decoder_intermediate_size * (cfg.gated_mlp ? 2 : 1));
  scores_ = scores_scratch_.get(scores);
  std::fill(context_ + tokens * inner, context_ + rows * inner, 0.0f);
  if (!causal_bias_.empty()) causal_bias_.reserve(positions);

  decoder_embed(ids, segments, rows);
  const auto& layers = model_.weights().decoder.layers;
  for (size_t l = 0; l < layers.size(); ++l) {
    decoder_self_attention(static_cast<int64_t>(l), segments, rows);
    decoder_cross_attention(static_cast<int64_t>(l), segments, rows);
    mlp(layers[l], cfg.decoder_intermediate_size, rows);
  }
}

void Seq2SeqSession::decoder_embed(std::span<const int32_t> ids, std::span<const Segment> segments, int64_t rows) {
  const StackWeights& w = model_.weights().decoder;
  const int64_t h = model_.config().hidden_size;
  const float scale = model_.embedding_scale();
  const auto tokens = static_cast<int64_t>(ids.size());
  for (int64_t t = 0; t < tokens; ++t) {
    const float* embedding = w.embeddings.row(ids[static_cast<size_t>(t)]);
    float* x = hidden_ + t * h;
    for (int64_t c = 0; c < h; ++c) x[c] = embedding[c] * scale;
  }
  std::fill(hidden_ + tokens * h, hidden_ + rows * h, 0.0f);
  if (!w.position_embeddings.empty()) {
    const int64_t offset = model_.names().position_offset;
    for (const Segment& s : segments) {
      for (int64_t j = 0; j < s.count; ++j) {
        const float* position = w.position_embeddings.row(s.position + j + offset);
        float* x = hidden_ + (s.begin + j) * h;
        for (int64_t c = 0; c < h; ++c) x[c] += position[c];
      }
    }
  }
  if (!w.embedding_norm.weight.empty()) normalize(w.embedding_norm, hidden_, tokens);
}

void Seq2SeqSession::decoder_self_attention(int64_t index, std::span<const Segment> segments, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const Seq2SeqLayerWeights& layer = model_.weights().decoder.layers[static_cast<size_t>(index)];
  const int64_t h = cfg.hidden_size;
  const int64_t heads = cfg.decoder_attention_heads;
  const int64_t inner = heads * cfg.decoder_head_dim;
  const float scale = attention_scale(cfg.decoder_head_dim);
  const float* input = block_input(layer.self_attention_norm, rows);
  project(layer.self_attention.query, input, rows, h, qkv_, 3 * inner);
  project(layer.self_attention.key, input, rows, h, qkv_ + inner, 3 * inner);
  project(layer.self_attention.value, input, rows, h, qkv_ + 2 * inner, 3 * inner);
  for (const Segment& s : segments) {
    for (int64_t j = 0; j < s.count; ++j) {
      const float* k = qkv_ + (s.begin + j) * 3 * inner + inner;
      cache_.write(index, s.row, s.position + j, k, k + inner);
    }
  }
  for (const Segment& s : segments) {
    KvView view = cache_.view(index, s.row);
    for (int64_t j = 0; j < s.count; ++j) {
      const int64_t position = s.position + j;
      view.length = position + 1;  // causal: the past and this token
      const float* bias = causal_bias_.empty() ? nullptr : causal_bias_.row(position);
      attend_cached(qkv_ + (s.begin + j) * 3 * inner, view, heads, heads, scale, context_ + (s.begin + j) * inner,
                    scores_, bias, causal_bias_.empty() ? 0 : causal_bias_.stride());
    }
  }
  project(layer.self_attention.output, context_, rows, inner, hidden_, h, /*accumulate=*/true);
  block_output(layer.self_attention_norm, rows);
}

void Seq2SeqSession::decoder_cross_attention(int64_t index, std::span<const Segment> segments, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const Seq2SeqLayerWeights& layer = model_.weights().decoder.layers[static_cast<size_t>(index)];
  const int64_t h = cfg.hidden_size;
  const int64_t heads = cfg.decoder_attention_heads;
  const int64_t d = cfg.decoder_head_dim;
  const int64_t inner = heads * d;
  const float scale = attention_scale(d);
  const float* input = block_input(layer.cross_attention_norm, rows);
  project(layer.cross_attention.query, input, rows, h, qkv_, inner);
  for (const Segment& s : segments) {
    const auto source = static_cast<size_t>(row_source_[static_cast<size_t>(s.row)]);
    const int64_t length = source_lengths_[source];
    const int64_t keys = cross_offsets_[source] + index * 2 * inner * length;
    const KvView view = KvView::contiguous(&cross_, keys, keys + inner * length, length, d);
    for (int64_t j = 0; j < s.count; ++j) {
      attend_cached(qkv_ + (s.begin + j) * inner, view, heads, heads, scale, context_ + (s.begin + j) * inner, scores_);
    }
  }
  project(layer.cross_attention.output, context_, rows, inner, hidden_, h, /*accumulate=*/true);
  block_output(layer.cross_attention_norm, rows);
}

void Seq2SeqSession::head(std::span<const int64_t> hidden_rows, float* out, int64_t ld) {
  const StackWeights& w = model_.weights().decoder;
  const int64_t h = model_.config().hidden_size;
  const auto count = static_cast<int64_t>(hidden_rows.size());
  // normed_ is free after the last layer: gather the wanted rows into it.
  for (int64_t i = 0; i < count; ++i) {
    const float* row = hidden_ + hidden_rows[static_cast<size_t>(i)] * h;
    std::memmove(normed_ + i * h, row, static_cast<size_t>(h) * sizeof(float));
  }
  if (!w.final_norm.weight.empty()) normalize(w.final_norm, normed_, count);
  const float scale = model_.lm_head_scale();
  if (scale != 1.0f) {
    for (int64_t i = 0; i < count * h; ++i) normed_[i] *= scale;
  }
  if (out) project(lm_head_, normed_, count, h, out, ld);
}

}  // namespace xfmr
