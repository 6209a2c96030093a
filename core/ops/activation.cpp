#include "core/ops/activation.hpp"

#include <cmath>

#include "core/ops/vector_math.hpp"

namespace xfmr {
namespace {

struct NamedActivation {
  std::string_view name;
  Activation act;
};

constexpr NamedActivation kNames[] = {
    {"linear", Activation::identity},    {"gelu", Activation::gelu},
    {"gelu_new", Activation::gelu_tanh}, {"gelu_fast", Activation::gelu_tanh},
    {"gelu_pytorch_tanh", Activation::gelu_tanh}, {"gelu_accurate", Activation::gelu_tanh},
    {"gelu_python", Activation::gelu},   {"quick_gelu", Activation::gelu_quick},
    {"relu", Activation::relu},          {"silu", Activation::silu},
    {"swish", Activation::silu},         {"tanh", Activation::tanh},
};

inline float gelu(float x) { return 0.5f * x * (1.0f + vmath::erf(x * 0.70710678118654752f)); }

inline float gelu_tanh(float x) {
  const float inner = 0.79788456080286536f * (x + 0.044715f * x * x * x);
  return 0.5f * x * (1.0f + vmath::tanh(inner));
}

inline float sigmoid_times(float x, float k) { return x / (1.0f + vmath::exp(-k * x)); }

// One loop per function so that each is vectorised on its own.
template <typename F>
void rows_apply(float* y, int64_t rows, int64_t cols, int64_t ld, const float* bias, F f) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * ld;
    if (bias) {
      for (int64_t c = 0; c < cols; ++c) row[c] = f(row[c] + bias[c]);
    } else {
      for (int64_t c = 0; c < cols; ++c) row[c] = f(row[c]);
    }
  }
}

}  // namespace

std::optional<Activation> activation_from_name(std::string_view name) {
  for (const auto& entry : kNames) {
    if (entry.name == name) return entry.act;
  }
  return std::nullopt;
}

std::string_view activation_name(Activation act) {
  for (const auto& entry : kNames) {
    if (entry.act == act) return entry.name;
  }
  return "?";
}

void bias_activation(Activation act, float* y, int64_t rows, int64_t cols, int64_t ld, const float* bias) {
  switch (act) {
    case Activation::identity: rows_apply(y, rows, cols, ld, bias, [](float x) { return x; }); break;
    case Activation::gelu: rows_apply(y, rows, cols, ld, bias, gelu); break;
    case Activation::gelu_tanh: rows_apply(y, rows, cols, ld, bias, gelu_tanh); break;
    case Activation::gelu_quick:
      rows_apply(y, rows, cols, ld, bias, [](float x) { return sigmoid_times(x, 1.702f); });
      break;
    case Activation::relu: rows_apply(y, rows, cols, ld, bias, [](float x) { return x > 0.0f ? x : 0.0f; }); break;
    case Activation::silu: rows_apply(y, rows, cols, ld, bias, [](float x) { return sigmoid_times(x, 1.0f); }); break;
    case Activation::tanh: rows_apply(y, rows, cols, ld, bias, [](float x) { return vmath::tanh(x); }); break;
  }
}

void apply_activation(Activation act, float* x, int64_t n) { bias_activation(act, x, 1, n, n, nullptr); }

}  // namespace xfmr
