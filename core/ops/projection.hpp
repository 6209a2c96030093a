#pragma once
// A weight matrix with an optional bias, stored either as a PyTorch Linear
// ([out, in]) or as GPT-2's Conv1D ([in, out], `in_major`), used in place (no
// transposed copy), and its forward pass for any number of rows:
//   1 row      cblas_sgemv when OpenBLAS has 2+ threads (it splits the stream:
//              a decode step is memory-bound), else small_gemm
//   2..8 rows  small_gemm (one thread; the weights are read once for all rows)
//   more       cblas_sgemm
// (gpt2's matrices, this 2-core machine: one row, sgemv on 2 threads ~38 GB/s,
// small_gemm on one ~28 GB/s; four rows, small_gemm ~2x faster than 4 sgemv.)
// Shared by the decoder-only models and meant for the encoder-decoder ones.
#include <cstdint>

#include "core/ops/activation.hpp"
#include "core/tensor.hpp"

namespace xfmr {

struct Projection {
  Tensor weight;
  Tensor bias;            // [out], may be empty
  bool in_major = false;  // weight is [in, out]
  bool empty() const { return weight.empty(); }
  int64_t in_features() const { return in_major ? weight.dim(0) : weight.dim(1); }
  int64_t out_features() const { return in_major ? weight.dim(1) : weight.dim(0); }
};

// y[rows x out] = act(x[rows x in] W + b), or with `accumulate` y += x W + b
// (a residual add fused into the product; act must then be identity).
// Strides are in floats.
void project(const Projection& p, const float* x, int64_t rows, int64_t ldx, float* y, int64_t ldy,
             bool accumulate = false, Activation act = Activation::identity);

// The row count up to which project() uses small_gemm rather than sgemm.
constexpr int64_t kSmallGemmRows = 8;

}  // namespace xfmr
