#include "core/ops/cached_attention.hpp"

#include <algorithm>

#include "core/ops/softmax.hpp"

#if defined(__AVX512F__)
#include "core/ops/avx512_sum.hpp"
#endif

namespace xfmr {
namespace {

float dot(const float* a, const float* b, int64_t n) {
#if defined(__AVX512F__)
  __m512 sum = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) sum = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), sum);
  if (i < n) {
    const auto mask = static_cast<__mmask16>((1u << (n - i)) - 1u);
    sum = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), sum);
  }
  return horizontal_sum(sum);
#else
  constexpr int kLanes = 8;
  float lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l) lanes[l] += a[i + l] * b[i + l];
  float sum = 0.0f;
  for (float v : lanes) sum += v;
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
#endif
}

}  // namespace

void attend_cached(const float* q, const KvView& kv, int64_t heads, int64_t kv_heads, float scale, float* out,
                   float* scores, const float* bias, int64_t bias_stride) {
  const int64_t d = kv.head_dim;
  const int64_t group = heads / kv_heads;
  for (int64_t h = 0; h < heads; ++h) {
    const int64_t g = h / group;
    const float* query = q + h * d;
    for (int64_t first = 0, b = 0; first < kv.length; first += kv.block_size, ++b) {
      const float* keys = kv.blocks[b] + kv.key_offset + g * kv.head_stride;
      const int64_t count = std::min(kv.block_size, kv.length - first);
      for (int64_t s = 0; s < count; ++s) scores[first + s] = scale * dot(query, keys + s * d, d);
    }
    if (bias) {
      const float* row = bias + h * bias_stride;
      for (int64_t p = 0; p < kv.length; ++p) scores[p] += row[p];
    }
    softmax_rows(scores, 1, kv.length, kv.length);
    float* o = out + h * d;
    std::fill(o, o + d, 0.0f);
    for (int64_t first = 0, b = 0; first < kv.length; first += kv.block_size, ++b) {
      const float* values = kv.blocks[b] + kv.value_offset + g * kv.head_stride;
      const int64_t count = std::min(kv.block_size, kv.length - first);
      for (int64_t s = 0; s < count; ++s) {
        const float p = scores[first + s];
        const float* v = values + s * d;
        for (int64_t i = 0; i < d; ++i) o[i] += p * v[i];
      }
    }
  }
}

}  // namespace xfmr
