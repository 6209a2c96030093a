#pragma once
// Linear layers and norms as weight bundles, and their forward passes.
#include <cstdint>

#include "core/ops/activation.hpp"
#include "core/tensor.hpp"

namespace xfmr {

// PyTorch nn.Linear: weight [out, in], bias [out] (may be empty).
struct Linear {
  Tensor weight;
  Tensor bias;
  int64_t in_features() const { return weight.dim(1); }
  int64_t out_features() const { return weight.dim(0); }
};

// LayerNorm (weight and bias) or RMSNorm (weight only).
struct Norm {
  Tensor weight;
  Tensor bias;
};

// y[rows x out] = act(x[rows x in] * W^T + b); one sgemm for all rows, then
// one pass for bias and activation. Strides are in floats.
void linear_forward(const Linear& layer, const float* x, int64_t rows, int64_t ldx, float* y, int64_t ldy,
                    Activation act = Activation::identity);

}  // namespace xfmr
