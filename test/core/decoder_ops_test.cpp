// The decoder's kernels against plain reference loops: small_gemm and
// project() on every row-count path, the rotary table against ops/rotary, and
// one-row cached attention against the full attention op.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/ops/attention.hpp"
#include "core/ops/cached_attention.hpp"
#include "core/ops/projection.hpp"
#include "core/ops/rope_table.hpp"
#include "core/ops/rotary.hpp"
#include "core/ops/small_gemm.hpp"
#include "core/threads.hpp"

using namespace xfmr;

namespace {

std::vector<float> random_values(size_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> out(n);
  for (float& v : out) v = value(rng);
  return out;
}

double max_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - b[i]));
  return a.size() == b.size() ? worst : INFINITY;
}

}  // namespace

TEST_CASE("small_gemm: both layouts, any shape, with strides and accumulation") {
  std::mt19937 rng(11);
  for (int64_t m : {1, 2, 3, 4, 5, 8, 9}) {
    for (int64_t n : {1, 5, 17, 64, 70, 130}) {
      for (int64_t k : {1, 3, 16, 33, 100}) {
        for (bool accumulate : {false, true}) {
          CAPTURE(m);
          CAPTURE(n);
          CAPTURE(k);
          const int64_t lda = k + 3, ldc = n + 2;
          const auto a = random_values(static_cast<size_t>(m * lda), rng);
          const auto w = random_values(static_cast<size_t>(n * k), rng);  // [n, k] or [k, n]
          const auto c0 = random_values(static_cast<size_t>(m * ldc), rng);
          std::vector<float> nt = c0, nn = c0, expect_nt = c0, expect_nn = c0;
          for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
              double s_nt = 0, s_nn = 0;
              for (int64_t x = 0; x < k; ++x) {
                s_nt += static_cast<double>(a[static_cast<size_t>(i * lda + x)]) * w[static_cast<size_t>(j * k + x)];
                s_nn += static_cast<double>(a[static_cast<size_t>(i * lda + x)]) * w[static_cast<size_t>(x * n + j)];
              }
              float& e_nt = expect_nt[static_cast<size_t>(i * ldc + j)];
              float& e_nn = expect_nn[static_cast<size_t>(i * ldc + j)];
              e_nt = static_cast<float>((accumulate ? e_nt : 0.0) + s_nt);
              e_nn = static_cast<float>((accumulate ? e_nn : 0.0) + s_nn);
            }
          }
          small_gemm_nt(m, n, k, a.data(), lda, w.data(), k, nt.data(), ldc, accumulate);
          small_gemm_nn(m, n, k, a.data(), lda, w.data(), n, nn.data(), ldc, accumulate);
          CHECK(max_diff(nt, expect_nt) < 1e-4);
          CHECK(max_diff(nn, expect_nn) < 1e-4);
        }
      }
    }
  }
}

TEST_CASE("project: sgemv, small_gemm and sgemm paths agree, both layouts, bias, activation, accumulate") {
  std::mt19937 rng(12);
  const int64_t in = 37, out = 29;
  Tensor weight({out, in}), transposed({in, out}), bias({out});
  const auto w = random_values(static_cast<size_t>(out * in), rng);
  for (int64_t o = 0; o < out; ++o) {
    for (int64_t i = 0; i < in; ++i) {
      weight.row(o)[i] = w[static_cast<size_t>(o * in + i)];
      transposed.row(i)[o] = w[static_cast<size_t>(o * in + i)];
    }
  }
  const auto b = random_values(static_cast<size_t>(out), rng);
  std::copy(b.begin(), b.end(), bias.data());
  const Projection linear{weight, bias, false}, conv1d{transposed, bias, true};
  const int threads = num_threads();
  for (int64_t rows : {1, 3, 8, 12}) {
    CAPTURE(rows);
    const auto x = random_values(static_cast<size_t>(rows * in), rng);
    const auto y0 = random_values(static_cast<size_t>(rows * out), rng);
    std::vector<float> expect_gelu(y0.size()), expect_sum(y0.size());
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t o = 0; o < out; ++o) {
        double s = b[static_cast<size_t>(o)];
        for (int64_t i = 0; i < in; ++i) s += static_cast<double>(x[static_cast<size_t>(r * in + i)]) * w[static_cast<size_t>(o * in + i)];
        expect_gelu[static_cast<size_t>(r * out + o)] = static_cast<float>(0.5 * s * (1.0 + std::erf(s / std::sqrt(2.0))));
        expect_sum[static_cast<size_t>(r * out + o)] = static_cast<float>(y0[static_cast<size_t>(r * out + o)] + s);
      }
    }
    for (int t : {1, 2}) {  // one row: small_gemm on one thread, sgemv on more
      set_num_threads(t);
      for (const Projection* p : {&linear, &conv1d}) {
        std::vector<float> y(y0.size()), acc = y0;
        project(*p, x.data(), rows, in, y.data(), out, false, Activation::gelu);
        project(*p, x.data(), rows, in, acc.data(), out, true);
        CHECK(max_diff(y, expect_gelu) < 1e-5);
        CHECK(max_diff(acc, expect_sum) < 1e-5);
      }
    }
  }
  set_num_threads(threads);
}

TEST_CASE("RopeTable rotates as ops/rotary, at any position, growing as needed") {
  std::mt19937 rng(13);
  const int64_t heads = 3, head_dim = 8;
  RopeTable table(head_dim, 1e6f, 4);
  for (int64_t position : {0, 1, 3, 4, 17, 600}) {
    CAPTURE(position);
    const auto x = random_values(static_cast<size_t>(heads * head_dim), rng);
    std::vector<float> a = x, b = x;
    table.apply(a.data(), heads, head_dim, position);
    apply_rotary(b.data(), 1, heads * head_dim, &position, heads, head_dim, head_dim, 1e6f);
    CHECK(max_diff(a, b) == 0.0);
  }
}

TEST_CASE("attend_cached over blocks equals the attention op on the last query row (GQA, bias)") {
  std::mt19937 rng(14);
  const int64_t heads = 4, kv_heads = 2, d = 8, length = 37, block = 16;
  const auto q = random_values(static_cast<size_t>(length * heads * d), rng);
  const auto k = random_values(static_cast<size_t>(length * kv_heads * d), rng);
  const auto v = random_values(static_cast<size_t>(length * kv_heads * d), rng);
  const auto bias = random_values(static_cast<size_t>(heads * length), rng);

  // Reference: causal attention of all rows; its last row sees every key.
  std::vector<float> full(static_cast<size_t>(length * heads * d)), scores(static_cast<size_t>(length * length));
  std::vector<float> full_bias(static_cast<size_t>(heads * length * length), 0.0f);
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t p = 0; p < length; ++p)
      full_bias[static_cast<size_t>((h * length + length - 1) * length + p)] = bias[static_cast<size_t>(h * length + p)];
  AttentionArgs args;
  args.q = q.data();
  args.k = k.data();
  args.v = v.data();
  args.ldq = heads * d;
  args.ldk = args.ldv = kv_heads * d;
  args.out = full.data();
  args.ldo = heads * d;
  args.q_len = args.kv_len = length;
  args.heads = heads;
  args.kv_heads = kv_heads;
  args.head_dim = d;
  args.scale = 0.3f;
  args.causal = true;
  args.bias = full_bias.data();
  attention(args, scores.data());

  // The same keys and values in blocks: [kv head][slot][d] keys then values.
  const int64_t blocks = (length + block - 1) / block;
  std::vector<std::vector<float>> storage(static_cast<size_t>(blocks), std::vector<float>(static_cast<size_t>(2 * kv_heads * block * d)));
  std::vector<const float*> bases;
  for (auto& s : storage) bases.push_back(s.data());
  for (int64_t p = 0; p < length; ++p) {
    auto& s = storage[static_cast<size_t>(p / block)];
    for (int64_t g = 0; g < kv_heads; ++g) {
      for (int64_t i = 0; i < d; ++i) {
        s[static_cast<size_t>((g * block + p % block) * d + i)] = k[static_cast<size_t>((p * kv_heads + g) * d + i)];
        s[static_cast<size_t>(((kv_heads + g) * block + p % block) * d + i)] = v[static_cast<size_t>((p * kv_heads + g) * d + i)];
      }
    }
  }
  KvView view{bases.data(), block, length, 0, kv_heads * block * d, block * d, d};
  std::vector<float> out(static_cast<size_t>(heads * d)), row_scores(static_cast<size_t>(length));
  attend_cached(q.data() + (length - 1) * heads * d, view, heads, kv_heads, 0.3f, out.data(), row_scores.data(),
                bias.data(), length);
  const std::vector<float> expected(full.end() - heads * d, full.end());
  CHECK(max_diff(out, expected) < 1e-5);
}
