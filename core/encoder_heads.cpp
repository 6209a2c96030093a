// The task heads' linear layers (heads/ above never calls BLAS).
#include <cstring>

#include <fmt/format.h>

#include "core/encoder.hpp"
#include "core/error.hpp"
#include "core/ops/gemm.hpp"
#include "core/ops/linear.hpp"
#include "core/ops/norm.hpp"

namespace xfmr {
namespace {

void check_hidden(const Tensor& hidden, int64_t tokens, int64_t width) {
  if (hidden.rank() != 2 || hidden.dim(0) != tokens || hidden.dim(1) != width) {
    throw InputError(fmt::format("hidden states have shape {}, expected [{}, {}]", shape_to_string(hidden.shape()),
                                 tokens, width));
  }
}

// Rows of hidden, in the given order; InputError for a row out of range.
Tensor gather(const Tensor& hidden, std::span<const int64_t> rows) {
  const int64_t width = hidden.dim(1);
  Tensor picked({static_cast<int64_t>(rows.size()), width});
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t row = rows[i];
    if (row < 0 || row >= hidden.dim(0)) {
      throw InputError(fmt::format("token row {} is outside the {} tokens of the batch", row, hidden.dim(0)));
    }
    std::memcpy(picked.row(static_cast<int64_t>(i)), hidden.row(row), static_cast<size_t>(width) * sizeof(float));
  }
  return picked;
}

Tensor apply_linear(const Linear& layer, const float* x, int64_t rows, Activation act = Activation::identity) {
  Tensor out({rows, layer.out_features()});
  linear_forward(layer, x, rows, layer.in_features(), out.data(), layer.out_features(), act);
  return out;
}

}  // namespace

void EncoderModel::require_head(EncoderHead wanted) const {
  if (weights_.head != wanted) {
    throw ModelError(fmt::format("{}: {} ({}) has no {} head", config_.path.string(),
                                 config_.architecture().empty() ? config_.model_type : config_.architecture(),
                                 encoder_head_name(weights_.head), encoder_head_name(wanted)));
  }
}

// The first-token vectors through the head's stages (pooler or
// pre_classifier, then classifier).
Tensor EncoderModel::sequence_stages(Tensor current) {
  for (const HeadStage& stage : weights_.sequence_head) {
    current = apply_linear(stage.linear, current.data(), current.dim(0), stage.act);
  }
  return current;
}

Tensor EncoderModel::sequence_classification_logits(const EncoderBatch& batch) {
  require_head(EncoderHead::sequence_classification);
  return sequence_stages(forward_rows(batch, first_token_rows(batch)));
}

Tensor EncoderModel::sequence_classification_logits(const Tensor& hidden, const EncoderBatch& batch) {
  require_head(EncoderHead::sequence_classification);
  check_hidden(hidden, batch.tokens(), config_.hidden_size);
  return sequence_stages(gather(hidden, first_token_rows(batch)));
}

Tensor EncoderModel::multiple_choice_logits(const EncoderBatch& batch) {
  require_head(EncoderHead::multiple_choice);
  return sequence_stages(forward_rows(batch, first_token_rows(batch))).reshaped({batch.size()});
}

Tensor EncoderModel::multiple_choice_logits(const Tensor& hidden, const EncoderBatch& batch) {
  require_head(EncoderHead::multiple_choice);
  check_hidden(hidden, batch.tokens(), config_.hidden_size);
  return sequence_stages(gather(hidden, first_token_rows(batch))).reshaped({batch.size()});
}

Tensor EncoderModel::token_classification_logits(const Tensor& hidden) {
  require_head(EncoderHead::token_classification);
  check_hidden(hidden, hidden.rank() == 2 ? hidden.dim(0) : -1, config_.hidden_size);
  return apply_linear(weights_.token_head, hidden.data(), hidden.dim(0));
}

Tensor EncoderModel::question_answering_logits(const Tensor& hidden) {
  require_head(EncoderHead::question_answering);
  check_hidden(hidden, hidden.rank() == 2 ? hidden.dim(0) : -1, config_.hidden_size);
  return apply_linear(weights_.token_head, hidden.data(), hidden.dim(0));
}

Tensor EncoderModel::masked_lm_logits(const EncoderBatch& batch, std::span<const int64_t> rows) {
  require_head(EncoderHead::masked_lm);
  return masked_lm_from_rows(forward_rows(batch, rows));
}

Tensor EncoderModel::masked_lm_logits(const Tensor& hidden, std::span<const int64_t> rows) {
  require_head(EncoderHead::masked_lm);
  check_hidden(hidden, hidden.rank() == 2 ? hidden.dim(0) : -1, config_.hidden_size);
  return masked_lm_from_rows(gather(hidden, rows));
}

// Transform, activation, LayerNorm, then the vocabulary projection: only the
// asked-for rows meet the (large) decoder matrix.
Tensor EncoderModel::masked_lm_from_rows(const Tensor& picked) {
  const int64_t count = picked.dim(0);
  const MaskedLmWeights& mlm = weights_.mlm;
  Tensor transformed = apply_linear(mlm.transform, picked.data(), count, mlm.act);
  const int64_t e = transformed.dim(1);
  layer_norm(transformed.data(), count, e, e, mlm.norm.weight.data(), mlm.norm.bias.data(), config_.layer_norm_eps);
  const int64_t vocab = mlm.decoder.dim(0);
  Tensor logits({count, vocab});
  for (int64_t i = 0; i < count; ++i) std::memcpy(logits.row(i), mlm.bias.data(), static_cast<size_t>(vocab) * sizeof(float));
  gemm_nt(count, vocab, e, transformed.data(), e, mlm.decoder.data(), e, logits.data(), vocab, 1.0f, 1.0f);
  return logits;
}

}  // namespace xfmr
