#include "core/encoder.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/ops/attention.hpp"
#include "core/ops/embedding.hpp"
#include "core/ops/linear.hpp"
#include "core/ops/norm.hpp"
#include "core/registry.hpp"

namespace xfmr {

EncoderModel EncoderModel::load(const std::filesystem::path& dir) {
  ModelConfig config = load_model_config(dir);
  if (config.family != ModelFamily::encoder) {
    throw ModelError(fmt::format("{}: model_type '{}' is not an encoder model", config.path.string(), config.model_type));
  }
  Weights weights = Weights::open_folder(dir);
  return EncoderModel(std::move(config), weights);
}

EncoderModel::EncoderModel(ModelConfig config, const Weights& weights) : config_(std::move(config)) {
  const ModelTypeInfo& info = find_model_type(config_.model_type, config_.path.string());
  if (!info.encoder_names) {
    throw ModelError(fmt::format("{}: model_type '{}' is not an encoder model", config_.path.string(), config_.model_type));
  }
  names_ = info.encoder_names;
  StoreBinder binder(weights, config_);
  weights_ = bind_encoder_weights(config_, *names_, binder);
}

int64_t EncoderModel::max_sequence_length() const {
  if (names_->positions == PositionScheme::padding_offset) {
    return config_.max_position_embeddings - config_.pad_token_id.value_or(1) - 1;
  }
  return config_.max_position_embeddings;
}

void EncoderModel::check_batch(const EncoderBatch& batch) const {
  if (batch.offsets.empty() || batch.offsets.front() != 0 || batch.tokens() != static_cast<int64_t>(batch.ids.size()) ||
      batch.type_ids.size() != batch.ids.size()) {
    throw InputError("malformed encoder batch: offsets, ids and type ids disagree");
  }
  const int64_t max_length = max_sequence_length();
  const int64_t types = config_.type_vocab_size;
  for (int64_t b = 0; b < batch.size(); ++b) {
    const int64_t length = batch.length(b);
    if (length <= 0) throw InputError(fmt::format("sequence {} is empty", b));
    if (length > max_length) {
      throw InputError(fmt::format("sequence {} has {} tokens; the model takes at most {}", b, length, max_length));
    }
    for (int64_t i = batch.begin(b); i < batch.begin(b) + length; ++i) {
      const int32_t id = batch.ids[static_cast<size_t>(i)];
      if (id < 0 || id >= config_.vocab_size) {
        throw InputError(fmt::format("sequence {}, token {}: id {} is outside the vocabulary (size {})", b,
                                     i - batch.begin(b), id, config_.vocab_size));
      }
      const int32_t type = batch.type_ids[static_cast<size_t>(i)];
      if (types > 0 && (type < 0 || type >= types)) {
        throw InputError(fmt::format("sequence {}, token {}: type id {} is outside 0..{}", b, i - batch.begin(b), type,
                                     types - 1));
      }
    }
  }
}

void EncoderModel::embed(const EncoderBatch& batch, Tensor& hidden) {
  const int64_t tokens = batch.tokens();
  const int64_t rows = hidden.dim(0);
  const int64_t width = config_.embedding_size;
  const bool projected = !weights_.embedding_projection.weight.empty();
  float* e = projected ? embedding_scratch_.get(rows * width) : hidden.data();
  std::fill(e + tokens * width, e + rows * width, 0.0f);

  gather_rows(weights_.word_embeddings, batch.ids, e, width, false);
  const int32_t pad = config_.pad_token_id.value_or(-1);
  for (int64_t b = 0; b < batch.size(); ++b) {
    int64_t non_pad = 0;
    for (int64_t i = 0; i < batch.length(b); ++i) {
      const int64_t row = batch.begin(b) + i;
      int64_t position = i;
      if (names_->positions == PositionScheme::padding_offset) {
        const bool is_pad = batch.ids[static_cast<size_t>(row)] == pad;
        non_pad += is_pad ? 0 : 1;
        position = is_pad ? pad : pad + non_pad;
      }
      const float* src = weights_.position_embeddings.row(position);
      float* dst = e + row * width;
      for (int64_t c = 0; c < width; ++c) dst[c] += src[c];
    }
  }
  if (!weights_.token_type_embeddings.empty()) gather_rows(weights_.token_type_embeddings, batch.type_ids, e, width, true);
  const Norm& norm = weights_.embeddings_norm;
  layer_norm(e, tokens, width, width, norm.weight.data(), norm.bias.data(), config_.layer_norm_eps);
  if (projected) {
    linear_forward(weights_.embedding_projection, e, rows, width, hidden.data(), config_.hidden_size);
    std::fill(hidden.row(tokens), hidden.row(rows), 0.0f);
  }
}

Tensor EncoderModel::forward(const EncoderBatch& batch) {
  check_batch(batch);
  Tensor hidden({padded_rows(batch.tokens()), config_.hidden_size});
  if (batch.tokens() > 0) {
    embed(batch, hidden);
    for (int step : weights_.schedule) run_layer(weights_.layers[static_cast<size_t>(step)], batch, hidden);
  }
  return hidden.first_rows(batch.tokens());
}

Tensor EncoderModel::forward_rows(const EncoderBatch& batch, std::span<const int64_t> rows) {
  check_batch(batch);
  for (int64_t row : rows) {
    if (row < 0 || row >= batch.tokens()) {
      throw InputError(fmt::format("token row {} is outside the {} tokens of the batch", row, batch.tokens()));
    }
  }
  if (rows.empty() || weights_.schedule.empty()) {
    Tensor all = forward(batch);
    Tensor picked({static_cast<int64_t>(rows.size()), config_.hidden_size});
    for (size_t i = 0; i < rows.size(); ++i) std::copy_n(all.row(rows[i]), config_.hidden_size, picked.row(static_cast<int64_t>(i)));
    return picked;
  }
  Tensor hidden({padded_rows(batch.tokens()), config_.hidden_size});
  embed(batch, hidden);
  const size_t last = weights_.schedule.size() - 1;
  for (size_t step = 0; step < last; ++step) {
    run_layer(weights_.layers[static_cast<size_t>(weights_.schedule[step])], batch, hidden);
  }
  return run_layer_on_rows(weights_.layers[static_cast<size_t>(weights_.schedule[last])], batch, hidden, rows);
}

std::vector<int64_t> first_token_rows(const EncoderBatch& batch) {
  return std::vector<int64_t>(batch.offsets.begin(), batch.offsets.end() - 1);
}

}  // namespace xfmr
