// The ops against plain double-precision reference computations.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/ops/activation.hpp"
#include "core/ops/attention.hpp"
#include "core/ops/gemm.hpp"
#include "core/ops/norm.hpp"
#include "core/ops/rotary.hpp"
#include "core/ops/softmax.hpp"
#include "core/ops/vector_math.hpp"

using namespace xfmr;

namespace {

std::vector<float> random_values(size_t n, uint32_t seed, float scale = 1.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = normal(rng);
  return v;
}

double reference(Activation act, double x) {
  switch (act) {
    case Activation::identity: return x;
    case Activation::gelu: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case Activation::gelu_tanh:
      return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    case Activation::gelu_quick: return x / (1.0 + std::exp(-1.702 * x));
    case Activation::relu: return x > 0 ? x : 0.0;
    case Activation::silu: return x / (1.0 + std::exp(-x));
    case Activation::tanh: return std::tanh(x);
  }
  return 0.0;
}

}  // namespace

TEST_CASE("ops: vectorised exp, erf, tanh are accurate") {
  double worst_exp = 0, worst_erf = 0, worst_tanh = 0;
  for (float x = -20.0f; x <= 20.0f; x += 0.001953125f) {
    worst_exp = std::max(worst_exp, std::fabs(vmath::exp(x) - std::exp(double(x))) / std::exp(double(x)));
    worst_erf = std::max(worst_erf, std::fabs(vmath::erf(x) - std::erf(double(x))));
    worst_tanh = std::max(worst_tanh, std::fabs(vmath::tanh(x) - std::tanh(double(x))));
  }
  CHECK(worst_exp < 3e-7);
  CHECK(worst_erf < 5e-7);  // A&S 7.1.26: 1.5e-7, plus float rounding
  CHECK(worst_tanh < 3e-7);
  CHECK(vmath::exp(-INFINITY) == 0.0f);
  CHECK(vmath::exp(-100.0f) == 0.0f);
  CHECK(std::isnan(vmath::exp(NAN)));
}

TEST_CASE("ops: activations by name and value") {
  CHECK(activation_from_name("gelu") == Activation::gelu);
  CHECK(activation_from_name("gelu_new") == Activation::gelu_tanh);
  CHECK(activation_from_name("gelu_pytorch_tanh") == Activation::gelu_tanh);
  CHECK(activation_from_name("swish") == Activation::silu);
  CHECK_FALSE(activation_from_name("mish").has_value());
  for (Activation act : {Activation::identity, Activation::gelu, Activation::gelu_tanh, Activation::gelu_quick,
                         Activation::relu, Activation::silu, Activation::tanh}) {
    CAPTURE(activation_name(act));
    auto x = random_values(1000, 3, 3.0f);
    std::vector<float> bias = random_values(10, 4);
    auto y = x;
    bias_activation(act, y.data(), 100, 10, 10, bias.data());
    double worst = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      worst = std::max(worst, std::fabs(y[i] - reference(act, double(x[i]) + bias[i % 10])));
    }
    CHECK(worst < 2e-6);
  }
}

TEST_CASE("ops: layer norm, rms norm, softmax, log-sum-exp") {
  const int rows = 3, n = 37;
  auto x = random_values(rows * n, 5, 2.0f);
  auto w = random_values(n, 6);
  auto b = random_values(n, 7);
  auto delta = random_values(rows * n, 8);
  auto y = x;
  residual_layer_norm(y.data(), delta.data(), rows, n, n, n, w.data(), b.data(), 1e-5f);
  auto r = x;
  rms_norm(r.data(), rows, n, n, w.data(), 1e-6f);
  auto s = x;
  softmax_rows(s.data(), rows, n, n);
  for (int i = 0; i < rows; ++i) {
    double mean = 0, var = 0, squares = 0, max = -INFINITY, total = 0;
    for (int j = 0; j < n; ++j) mean += x[i * n + j] + delta[i * n + j];
    mean /= n;
    for (int j = 0; j < n; ++j) var += std::pow(x[i * n + j] + delta[i * n + j] - mean, 2);
    var /= n;
    for (int j = 0; j < n; ++j) squares += double(x[i * n + j]) * x[i * n + j];
    for (int j = 0; j < n; ++j) max = std::max(max, double(x[i * n + j]));
    for (int j = 0; j < n; ++j) total += std::exp(x[i * n + j] - max);
    for (int j = 0; j < n; ++j) {
      const double v = x[i * n + j] + delta[i * n + j];
      CHECK(y[i * n + j] == doctest::Approx((v - mean) / std::sqrt(var + 1e-5) * w[j] + b[j]).epsilon(1e-5));
      CHECK(r[i * n + j] == doctest::Approx(x[i * n + j] / std::sqrt(squares / n + 1e-6) * w[j]).epsilon(1e-5));
      CHECK(s[i * n + j] == doctest::Approx(std::exp(x[i * n + j] - max) / total).epsilon(1e-5));
    }
    CHECK(log_sum_exp(&x[i * n], n) == doctest::Approx(max + std::log(total)).epsilon(1e-9));
  }
}

TEST_CASE("ops: gemm with strides, sgemm and sgemv paths") {
  for (int m : {1, 5, 8, 9, 33}) {
    CAPTURE(m);
    const int n = 7, k = 11, lda = 13, ldc = 9;
    auto a = random_values(m * lda, 10);
    auto bt = random_values(n * k, 11);  // [n, k]
    auto bn = random_values(k * n, 12);  // [k, n]
    std::vector<float> c1(m * ldc, 1.0f), c2(m * ldc, 1.0f);
    gemm_nt(m, n, k, a.data(), lda, bt.data(), k, c1.data(), ldc, 0.5f, 1.0f);
    gemm_nn(m, n, k, a.data(), lda, bn.data(), n, c2.data(), ldc, 1.0f, 0.0f);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < n; ++j) {
        double nt = 1.0, nn = 0.0;
        for (int p = 0; p < k; ++p) nt += 0.5 * a[i * lda + p] * bt[j * k + p];
        for (int p = 0; p < k; ++p) nn += double(a[i * lda + p]) * bn[p * n + j];
        CHECK(c1[i * ldc + j] == doctest::Approx(nt).epsilon(1e-5));
        CHECK(c2[i * ldc + j] == doctest::Approx(nn).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("ops: attention with causal mask, grouped KV heads, bias and key mask") {
  const int heads = 4, kv_heads = 2, d = 3, q_len = 3, kv_len = 5, q_offset = 2;
  const int ldq = heads * d + 1, ldk = kv_heads * d + 2, ldo = heads * d;
  auto q = random_values(q_len * ldq, 20);
  auto k = random_values(kv_len * ldk, 21);
  auto v = random_values(kv_len * ldk, 22);
  auto bias = random_values(heads * q_len * kv_len, 23);
  const uint8_t key_mask[kv_len] = {1, 0, 1, 1, 1};
  std::vector<float> out(q_len * ldo), scores(q_len * kv_len);
  AttentionArgs args;
  args.q = q.data();
  args.ldq = ldq;
  args.k = k.data();
  args.ldk = ldk;
  args.v = v.data();
  args.ldv = ldk;
  args.out = out.data();
  args.ldo = ldo;
  args.q_len = q_len;
  args.kv_len = kv_len;
  args.heads = heads;
  args.kv_heads = kv_heads;
  args.head_dim = d;
  args.scale = 0.7f;
  args.causal = true;
  args.q_offset = q_offset;
  args.bias = bias.data();
  args.key_mask = key_mask;
  attention(args, scores.data());

  for (int h = 0; h < heads; ++h) {
    const int g = h / (heads / kv_heads);
    for (int i = 0; i < q_len; ++i) {
      std::vector<double> p(kv_len, 0.0);
      double max = -INFINITY, total = 0;
      for (int j = 0; j < kv_len; ++j) {
        if (j > q_offset + i || !key_mask[j]) {
          p[j] = -INFINITY;
          continue;
        }
        double dot = 0;
        for (int c = 0; c < d; ++c) dot += double(q[i * ldq + h * d + c]) * k[j * ldk + g * d + c];
        p[j] = 0.7 * dot + bias[(h * q_len + i) * kv_len + j];
        max = std::max(max, p[j]);
      }
      for (int j = 0; j < kv_len; ++j) total += std::isinf(p[j]) ? 0 : std::exp(p[j] - max);
      for (int c = 0; c < d; ++c) {
        double expected = 0;
        for (int j = 0; j < kv_len; ++j) {
          if (!std::isinf(p[j])) expected += std::exp(p[j] - max) / total * v[j * ldk + g * d + c];
        }
        CHECK(out[i * ldo + h * d + c] == doctest::Approx(expected).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("ops: rotary embedding rotates (i, i + d/2) pairs by position * theta^(-2i/d)") {
  const int heads = 2, d = 8, rows = 3;
  auto x = random_values(rows * heads * d, 30);
  auto y = x;
  const int64_t positions[rows] = {0, 5, 1000};
  apply_rotary(y.data(), rows, heads * d, positions, heads, d, d, 10000.0f);
  for (int r = 0; r < rows; ++r) {
    for (int h = 0; h < heads; ++h) {
      for (int i = 0; i < d / 2; ++i) {
        const double angle = positions[r] * std::pow(10000.0, -2.0 * i / d);
        const float a = x[r * heads * d + h * d + i], b = x[r * heads * d + h * d + i + d / 2];
        CHECK(y[r * heads * d + h * d + i] == doctest::Approx(a * std::cos(angle) - b * std::sin(angle)).epsilon(1e-4));
        CHECK(y[r * heads * d + h * d + i + d / 2] ==
              doctest::Approx(b * std::cos(angle) + a * std::sin(angle)).epsilon(1e-4));
      }
    }
  }
}
