#include "core/ops/small_gemm.hpp"

#include <algorithm>

#if defined(__AVX512F__)
#include "core/ops/avx512_sum.hpp"
#endif

namespace xfmr {
namespace {

// Rows of A handled per pass over the weights: 4 rows x 4 weight vectors of
// accumulators fit the 32 vector registers with room for the operands.
constexpr int64_t kRowsPerPass = 4;

#if defined(__AVX512F__)

__mmask16 tail_mask(int64_t count) { return static_cast<__mmask16>((1u << count) - 1u); }

// C[MR x NR] tile: MR rows of A against NR rows of B, dot products over k.
template <int MR, int NR>
void nt_tile(int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             bool accumulate) {
  __m512 sum[MR][NR];
  for (int m = 0; m < MR; ++m)
    for (int r = 0; r < NR; ++r) sum[m][r] = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= k; i += 16) {
    __m512 bv[NR];
    for (int r = 0; r < NR; ++r) bv[r] = _mm512_loadu_ps(b + r * ldb + i);
    for (int m = 0; m < MR; ++m) {
      const __m512 av = _mm512_loadu_ps(a + m * lda + i);
      for (int r = 0; r < NR; ++r) sum[m][r] = _mm512_fmadd_ps(av, bv[r], sum[m][r]);
    }
  }
  if (i < k) {
    const __mmask16 mask = tail_mask(k - i);
    __m512 bv[NR];
    for (int r = 0; r < NR; ++r) bv[r] = _mm512_maskz_loadu_ps(mask, b + r * ldb + i);
    for (int m = 0; m < MR; ++m) {
      const __m512 av = _mm512_maskz_loadu_ps(mask, a + m * lda + i);
      for (int r = 0; r < NR; ++r) sum[m][r] = _mm512_fmadd_ps(av, bv[r], sum[m][r]);
    }
  }
  for (int m = 0; m < MR; ++m) {
    for (int r = 0; r < NR; ++r) {
      const float value = horizontal_sum(sum[m][r]);
      float& out = c[m * ldc + r];
      out = accumulate ? out + value : value;
    }
  }
}

template <int MR>
void nt_rows(int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             bool accumulate) {
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) nt_tile<MR, 4>(k, a, lda, b + j * ldb, ldb, c + j, ldc, accumulate);
  for (; j < n; ++j) nt_tile<MR, 1>(k, a, lda, b + j * ldb, ldb, c + j, ldc, accumulate);
}

// C[MR x n] += A[MR x k] B with B [k x n]: B streams by row (sequential
// reads, kRowsAtOnce rows in flight) while C waits in L1 / L2, one C load and
// store per kRowsAtOnce rows. (Register strips walking down B's columns read
// it with a stride of n floats, a TLB miss per row: markedly slower. Eight
// rows at once beat four by 5-15 % on gpt2's matrices.)
template <int MR>
void nn_rows(int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             bool accumulate) {
  constexpr int64_t kColumnBlock = 4096;  // at most MR x 16 KB of C in flight
  constexpr int kRowsAtOnce = 8;
  for (int64_t j0 = 0; j0 < n; j0 += kColumnBlock) {
    const int64_t j1 = std::min(n, j0 + kColumnBlock);
    if (!accumulate) {
      for (int m = 0; m < MR; ++m) std::fill(c + m * ldc + j0, c + m * ldc + j1, 0.0f);
    }
    int64_t i = 0;
    for (; i + kRowsAtOnce <= k; i += kRowsAtOnce) {
      const float* w = b + i * ldb;
      __m512 x[MR][kRowsAtOnce];
      for (int m = 0; m < MR; ++m)
        for (int t = 0; t < kRowsAtOnce; ++t) x[m][t] = _mm512_set1_ps(a[m * lda + i + t]);
      for (int64_t j = j0; j < j1; j += 16) {
        const __mmask16 mask = j1 - j >= 16 ? __mmask16{0xFFFF} : tail_mask(j1 - j);
        __m512 bv[kRowsAtOnce];
        for (int t = 0; t < kRowsAtOnce; ++t) bv[t] = _mm512_maskz_loadu_ps(mask, w + t * ldb + j);
        for (int m = 0; m < MR; ++m) {
          float* out = c + m * ldc + j;
          __m512 sum = _mm512_maskz_loadu_ps(mask, out);
          for (int t = 0; t < kRowsAtOnce; ++t) sum = _mm512_fmadd_ps(x[m][t], bv[t], sum);
          _mm512_mask_storeu_ps(out, mask, sum);
        }
      }
    }
    for (; i < k; ++i) {
      const float* w = b + i * ldb;
      for (int64_t j = j0; j < j1; j += 16) {
        const __mmask16 mask = j1 - j >= 16 ? __mmask16{0xFFFF} : tail_mask(j1 - j);
        const __m512 bv = _mm512_maskz_loadu_ps(mask, w + j);
        for (int m = 0; m < MR; ++m) {
          float* out = c + m * ldc + j;
          const __m512 sum = _mm512_fmadd_ps(_mm512_set1_ps(a[m * lda + i]), bv, _mm512_maskz_loadu_ps(mask, out));
          _mm512_mask_storeu_ps(out, mask, sum);
        }
      }
    }
  }
}

template <typename Rows1, typename Rows2, typename Rows3, typename Rows4>
void by_row_groups(int64_t m, const float* a, int64_t lda, float* c, int64_t ldc, Rows1 one, Rows2 two, Rows3 three,
                   Rows4 four) {
  for (int64_t first = 0; first < m; first += kRowsPerPass) {
    const float* a_rows = a + first * lda;
    float* c_rows = c + first * ldc;
    switch (std::min(kRowsPerPass, m - first)) {
      case 1: one(a_rows, c_rows); break;
      case 2: two(a_rows, c_rows); break;
      case 3: three(a_rows, c_rows); break;
      default: four(a_rows, c_rows); break;
    }
  }
}

#endif  // __AVX512F__

}  // namespace

void small_gemm_nt(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
                   float* c, int64_t ldc, bool accumulate) {
#if defined(__AVX512F__)
  by_row_groups(
      m, a, lda, c, ldc, [&](const float* x, float* y) { nt_rows<1>(n, k, x, lda, b, ldb, y, ldc, accumulate); },
      [&](const float* x, float* y) { nt_rows<2>(n, k, x, lda, b, ldb, y, ldc, accumulate); },
      [&](const float* x, float* y) { nt_rows<3>(n, k, x, lda, b, ldb, y, ldc, accumulate); },
      [&](const float* x, float* y) { nt_rows<4>(n, k, x, lda, b, ldb, y, ldc, accumulate); });
#else
  constexpr int kLanes = 16;
  for (int64_t r = 0; r < m; ++r) {
    const float* x = a + r * lda;
    for (int64_t j = 0; j < n; ++j) {
      const float* w = b + j * ldb;
      float lanes[kLanes] = {};
      int64_t i = 0;
      for (; i + kLanes <= k; i += kLanes)
        for (int l = 0; l < kLanes; ++l) lanes[l] += x[i + l] * w[i + l];
      float sum = 0.0f;
      for (float v : lanes) sum += v;
      for (; i < k; ++i) sum += x[i] * w[i];
      float& out = c[r * ldc + j];
      out = accumulate ? out + sum : sum;
    }
  }
#endif
}

void small_gemm_nn(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
                   float* c, int64_t ldc, bool accumulate) {
#if defined(__AVX512F__)
  by_row_groups(
      m, a, lda, c, ldc, [&](const float* x, float* y) { nn_rows<1>(n, k, x, lda, b, ldb, y, ldc, accumulate); },
      [&](const float* x, float* y) { nn_rows<2>(n, k, x, lda, b, ldb, y, ldc, accumulate); },
      [&](const float* x, float* y) { nn_rows<3>(n, k, x, lda, b, ldb, y, ldc, accumulate); },
      [&](const float* x, float* y) { nn_rows<4>(n, k, x, lda, b, ldb, y, ldc, accumulate); });
#else
  for (int64_t r = 0; r < m; ++r) {
    const float* x = a + r * lda;
    float* y = c + r * ldc;
    if (!accumulate) std::fill(y, y + n, 0.0f);
    for (int64_t i = 0; i < k; ++i) {
      const float* w = b + i * ldb;
      const float xi = x[i];
      for (int64_t j = 0; j < n; ++j) y[j] += xi * w[j];
    }
  }
#endif
}

}  // namespace xfmr
