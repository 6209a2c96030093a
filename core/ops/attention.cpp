#include "core/ops/attention.hpp"

#include <limits>

#include "core/ops/gemm.hpp"
#include "core/ops/softmax.hpp"

namespace xfmr {

void attention(const AttentionArgs& a, float* scores) {
  const int64_t kv_heads = a.kv_heads > 0 ? a.kv_heads : a.heads;
  const int64_t group = a.heads / kv_heads;
  constexpr float kMasked = -std::numeric_limits<float>::infinity();
  for (int64_t h = 0; h < a.heads; ++h) {
    const int64_t kv = h / group;
    const float* q = a.q + h * a.head_dim;
    const float* k = a.k + kv * a.head_dim;
    const float* v = a.v + kv * a.head_dim;
    gemm_nt(a.q_len, a.kv_len, a.head_dim, q, a.ldq, k, a.ldk, scores, a.kv_len, a.scale);
    if (a.bias) {
      const float* bias = a.bias + h * a.q_len * a.kv_len;
      for (int64_t i = 0; i < a.q_len * a.kv_len; ++i) scores[i] += bias[i];
    }
    if (a.causal || a.key_mask) {
      for (int64_t i = 0; i < a.q_len; ++i) {
        float* row = scores + i * a.kv_len;
        for (int64_t j = 0; j < a.kv_len; ++j) {
          if ((a.causal && j > a.q_offset + i) || (a.key_mask && a.key_mask[j] == 0)) row[j] = kMasked;
        }
      }
    }
    softmax_rows(scores, a.q_len, a.kv_len, a.kv_len);
    gemm_nn(a.q_len, a.head_dim, a.kv_len, scores, a.kv_len, v, a.ldv, a.out + h * a.head_dim, a.ldo);
  }
}

}  // namespace xfmr
