#pragma once
// Normalisations over the last dimension, row by row, in place.
#include <cstdint>

namespace xfmr {

// x = LayerNorm(x) with biased variance, as torch.nn.LayerNorm. bias may be null.
void layer_norm(float* x, int64_t rows, int64_t n, int64_t ld, const float* weight, const float* bias, float eps);
// x = LayerNorm(x + delta): the post-LN residual step of BERT-style layers.
void residual_layer_norm(float* x, const float* delta, int64_t rows, int64_t n, int64_t ld, int64_t ld_delta,
                         const float* weight, const float* bias, float eps);
// x = x / sqrt(mean(x^2) + eps) * weight (Llama, T5).
void rms_norm(float* x, int64_t rows, int64_t n, int64_t ld, const float* weight, float eps);

}  // namespace xfmr
