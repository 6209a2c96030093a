// The encoder pass of an encoder-decoder: every source of an encode() packed
// into one token buffer (projections and MLPs as one sgemm over all tokens,
// attention per source over its own length), then each decoder layer's
// cross-attention keys and values of every source, computed once.
#include <algorithm>
#include <cstring>

#include "core/ops/attention.hpp"
#include "core/ops/projection.hpp"
#include "core/ops/relative_position.hpp"
#include "core/seq2seq_session.hpp"

namespace xfmr {

void Seq2SeqSession::run_encoder(int64_t tokens) {
  const ModelConfig& cfg = model_.config();
  const Seq2SeqNames& names = model_.names();
  const StackWeights& w = model_.weights().encoder;
  const int64_t rows = padded_rows(tokens);
  const int64_t h = cfg.hidden_size;
  const int64_t inner = cfg.num_attention_heads * cfg.head_dim;
  const int64_t longest = *std::max_element(source_lengths_.begin(), source_lengths_.end());
  hidden_ = hidden_scratch_.get(rows * h);
  normed_ = normed_scratch_.get(rows * h);
  qkv_ = qkv_scratch_.get(rows * 3 * inner);
  context_ = context_scratch_.get(rows * inner);
  mlp_ = mlp_scratch_.get(rows * cfg.intermediate_size * (cfg.gated_mlp ? 2 : 1));
  scores_ = scores_scratch_.get(longest * longest);
  // Attention writes the context of real tokens only.
  std::fill(context_ + tokens * inner, context_ + rows * inner, 0.0f);

  const float scale = model_.embedding_scale();
  for (int64_t t = 0; t < tokens; ++t) {
    const float* embedding = w.embeddings.row(source_ids_[static_cast<size_t>(t)]);
    float* x = hidden_ + t * h;
    for (int64_t c = 0; c < h; ++c) x[c] = embedding[c] * scale;
  }
  std::fill(hidden_ + tokens * h, hidden_ + rows * h, 0.0f);
  if (!w.position_embeddings.empty()) {
    for (size_t s = 0; s < source_lengths_.size(); ++s) {
      for (int64_t j = 0; j < source_lengths_[s]; ++j) {
        const float* position = w.position_embeddings.row(j + names.position_offset);
        float* x = hidden_ + (source_offsets_[s] + j) * h;
        for (int64_t c = 0; c < h; ++c) x[c] += position[c];
      }
    }
  }
  if (!w.embedding_norm.weight.empty()) normalize(w.embedding_norm, hidden_, tokens);
  if (!w.relative_bias.empty()) relative_bias_of_sources();

  for (int64_t layer = 0; layer < cfg.num_hidden_layers; ++layer) encoder_layer(layer, rows);
  if (!w.final_norm.weight.empty()) normalize(w.final_norm, hidden_, tokens);
  encoder_out_ = encoder_scratch_.get(tokens * h);
  std::memcpy(encoder_out_, hidden_, static_cast<size_t>(tokens * h) * sizeof(float));
}

void Seq2SeqSession::relative_bias_of_sources() {
  const ModelConfig& cfg = model_.config();
  const Tensor& table = model_.weights().encoder.relative_bias;
  bias_offsets_.clear();
  int64_t total = 0;
  for (int64_t length : source_lengths_) {
    bias_offsets_.push_back(total);
    total += cfg.num_attention_heads * (2 * length - 1);
  }
  bias_ = bias_scratch_.get(total);
  for (size_t s = 0; s < source_lengths_.size(); ++s) {
    bidirectional_relative_diagonals(table, source_lengths_[s], cfg.relative_attention_max_distance,
                                     bias_ + bias_offsets_[s]);
  }
}

void Seq2SeqSession::encoder_layer(int64_t index, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const Seq2SeqLayerWeights& layer = model_.weights().encoder.layers[static_cast<size_t>(index)];
  const int64_t h = cfg.hidden_size;
  const int64_t inner = cfg.num_attention_heads * cfg.head_dim;
  const float* input = block_input(layer.self_attention_norm, rows);
  project(layer.self_attention.query, input, rows, h, qkv_, 3 * inner);
  project(layer.self_attention.key, input, rows, h, qkv_ + inner, 3 * inner);
  project(layer.self_attention.value, input, rows, h, qkv_ + 2 * inner, 3 * inner);
  encoder_self_attention();
  project(layer.self_attention.output, context_, rows, inner, hidden_, h, /*accumulate=*/true);
  block_output(layer.self_attention_norm, rows);
  mlp(layer, cfg.intermediate_size, rows);
}

void Seq2SeqSession::encoder_self_attention() {
  const ModelConfig& cfg = model_.config();
  const int64_t heads = cfg.num_attention_heads;
  const int64_t d = cfg.head_dim;
  const int64_t inner = heads * d;
  const bool relative = !model_.weights().encoder.relative_bias.empty();
  for (size_t s = 0; s < source_lengths_.size(); ++s) {
    const int64_t length = source_lengths_[s];
    AttentionArgs args;
    args.q = qkv_ + source_offsets_[s] * 3 * inner;
    args.k = args.q + inner;
    args.v = args.q + 2 * inner;
    args.ldq = args.ldk = args.ldv = 3 * inner;
    args.out = context_ + source_offsets_[s] * inner;
    args.ldo = inner;
    args.q_len = args.kv_len = length;
    args.heads = heads;
    args.head_dim = d;
    args.scale = attention_scale(d);
    if (!relative) {
      attention(args, scores_);
      continue;
    }
    // T5: the first layer's relative position bias, shared by every layer,
    // laid out densely one head at a time (all heads at once would take
    // heads x length^2 floats: 800 MB for 4096 tokens).
    float* dense = head_bias_scratch_.get(length * length);
    AttentionArgs head = args;
    head.heads = 1;
    head.bias = dense;
    for (int64_t h = 0; h < heads; ++h) {
      expand_relative_bias(bias_ + bias_offsets_[s] + h * (2 * length - 1), length, dense);
      head.q = args.q + h * d;
      head.k = args.k + h * d;
      head.v = args.v + h * d;
      head.out = args.out + h * d;
      attention(head, scores_);
    }
  }
}

void Seq2SeqSession::cross_keys_values(int64_t tokens) {
  const ModelConfig& cfg = model_.config();
  const auto& layers = model_.weights().decoder.layers;
  const int64_t rows = padded_rows(tokens);
  const int64_t h = cfg.hidden_size;
  const int64_t heads = cfg.decoder_attention_heads;
  const int64_t d = cfg.decoder_head_dim;
  const int64_t inner = heads * d;
  const auto layer_count = static_cast<int64_t>(layers.size());
  float* cross = cross_scratch_.get(layer_count * 2 * inner * tokens);
  cross_offsets_.clear();
  for (int64_t offset : source_offsets_) cross_offsets_.push_back(layer_count * 2 * inner * offset);
  // hidden_ still holds the encoder output, spare rows included.
  float* kv = qkv_scratch_.get(rows * 2 * inner);
  for (int64_t l = 0; l < layer_count; ++l) {
    const AttentionWeights& attention = layers[static_cast<size_t>(l)].cross_attention;
    project(attention.key, hidden_, rows, h, kv, 2 * inner);
    project(attention.value, hidden_, rows, h, kv + inner, 2 * inner);
    // [tokens, k | v] -> per source: keys [heads][L][d], then values.
    for (size_t s = 0; s < source_lengths_.size(); ++s) {
      const int64_t length = source_lengths_[s];
      float* keys = cross + cross_offsets_[s] + l * 2 * inner * length;
      float* values = keys + inner * length;
      for (int64_t j = 0; j < length; ++j) {
        const float* row = kv + (source_offsets_[s] + j) * 2 * inner;
        for (int64_t g = 0; g < heads; ++g) {
          std::memcpy(keys + (g * length + j) * d, row + g * d, static_cast<size_t>(d) * sizeof(float));
          std::memcpy(values + (g * length + j) * d, row + inner + g * d, static_cast<size_t>(d) * sizeof(float));
        }
      }
    }
  }
  cross_ = cross;
  qkv_ = nullptr;  // reallocated by the next pass
}

}  // namespace xfmr
