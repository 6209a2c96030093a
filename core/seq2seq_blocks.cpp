// The blocks both stacks of an encoder-decoder share: norms placed before
// (T5) or after (BART, Marian) each block, and the feed-forward block.
#include <cmath>
#include <cstring>

#include "core/ops/norm.hpp"
#include "core/seq2seq_session.hpp"

namespace xfmr {

void Seq2SeqSession::normalize(const Norm& norm, float* x, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const int64_t h = cfg.hidden_size;
  if (model_.names().norm == NormKind::rms_norm) {
    rms_norm(x, rows, h, h, norm.weight.data(), cfg.layer_norm_eps);
  } else {
    layer_norm(x, rows, h, h, norm.weight.data(), norm.bias.empty() ? nullptr : norm.bias.data(), cfg.layer_norm_eps);
  }
}

const float* Seq2SeqSession::block_input(const Norm& norm, int64_t rows) {
  if (!model_.names().pre_norm) return hidden_;
  const int64_t h = model_.config().hidden_size;
  std::memcpy(normed_, hidden_, static_cast<size_t>(rows * h) * sizeof(float));
  normalize(norm, normed_, rows);
  return normed_;
}

void Seq2SeqSession::block_output(const Norm& norm, int64_t rows) {
  if (!model_.names().pre_norm) normalize(norm, hidden_, rows);
}

void Seq2SeqSession::mlp(const Seq2SeqLayerWeights& layer, int64_t intermediate, int64_t rows) {
  const ModelConfig& cfg = model_.config();
  const int64_t h = cfg.hidden_size;
  const float* input = block_input(layer.mlp_norm, rows);
  if (layer.mlp_gate.empty()) {
    project(layer.mlp_in, input, rows, h, mlp_, intermediate, false, cfg.hidden_act);
  } else {
    float* gate = mlp_;
    float* linear = mlp_ + rows * intermediate;
    project(layer.mlp_gate, input, rows, h, gate, intermediate, false, cfg.hidden_act);
    project(layer.mlp_in, input, rows, h, linear, intermediate);
    for (int64_t i = 0; i < rows * intermediate; ++i) gate[i] *= linear[i];
  }
  project(layer.mlp_out, mlp_, rows, intermediate, hidden_, h, /*accumulate=*/true);
  block_output(layer.mlp_norm, rows);
}

// OpenBLAS runs an sgemm whose rows split evenly into multiples of 8 per
// thread much faster (see encoder_layer.cpp): passes of more than
// kSmallGemmRows tokens get spare rows up to a multiple of 16. Spare rows hold
// finite values and are never read back.
int64_t Seq2SeqSession::padded_rows(int64_t tokens) {
  constexpr int64_t kRowMultiple = 16;
  if (tokens <= kSmallGemmRows) return tokens;
  return (tokens + kRowMultiple - 1) / kRowMultiple * kRowMultiple;
}

float Seq2SeqSession::attention_scale(int64_t head_dim) const {
  // T5 folds 1/sqrt(d) into its initialisation and never scales.
  if (!model_.names().scaled_attention) return 1.0f;
  return static_cast<float>(std::pow(static_cast<double>(head_dim), -0.5));
}

}  // namespace xfmr
