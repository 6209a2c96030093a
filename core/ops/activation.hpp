#pragma once
// Activation functions, by the names transformers' configs use.
#include <cstdint>
#include <optional>
#include <string_view>

namespace xfmr {

enum class Activation {
  identity,
  gelu,        // "gelu", "gelu_python": 0.5 x (1 + erf(x / sqrt 2))
  gelu_tanh,   // "gelu_new", "gelu_fast", "gelu_pytorch_tanh", "gelu_accurate": tanh approximation
  gelu_quick,  // "quick_gelu": x sigmoid(1.702 x)
  relu,
  silu,        // "silu", "swish"
  tanh,
};

std::optional<Activation> activation_from_name(std::string_view name);
std::string_view activation_name(Activation act);

// x[i] = act(x[i]) for i < n.
void apply_activation(Activation act, float* x, int64_t n);
// y[r][c] = act(y[r][c] + bias[c]) for a rows x cols block with row stride ld;
// bias may be null.
void bias_activation(Activation act, float* y, int64_t rows, int64_t cols, int64_t ld, const float* bias);

}  // namespace xfmr
