#include "core/ops/linear.hpp"

#include "core/ops/gemm.hpp"

namespace xfmr {

void linear_forward(const Linear& layer, const float* x, int64_t rows, int64_t ldx, float* y, int64_t ldy,
                    Activation act) {
  const int64_t in = layer.in_features();
  const int64_t out = layer.out_features();
  gemm_nt(rows, out, in, x, ldx, layer.weight.data(), in, y, ldy);
  const float* bias = layer.bias.empty() ? nullptr : layer.bias.data();
  if (bias || act != Activation::identity) bias_activation(act, y, rows, out, ldy, bias);
}

}  // namespace xfmr
