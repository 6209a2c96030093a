#include "core/ops/gemm.hpp"

#include <cblas.h>

namespace xfmr {
namespace {

// Up to this many rows, one sgemv per row beats sgemm, whose packing costs
// more than the product itself (OpenBLAS: ~8x at M = 1, still 4x at M = 8).
constexpr int64_t kMaxRowsForGemv = 8;

blasint to_blas(int64_t v) { return static_cast<blasint>(v); }

}  // namespace

void gemm_nt(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
             int64_t ldc, float alpha, float beta) {
  if (m == 0 || n == 0) return;
  if (m <= kMaxRowsForGemv) {
    for (int64_t i = 0; i < m; ++i) {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, to_blas(n), to_blas(k), alpha, b, to_blas(ldb), a + i * lda, 1, beta,
                  c + i * ldc, 1);
    }
    return;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, to_blas(m), to_blas(n), to_blas(k), alpha, a, to_blas(lda), b,
              to_blas(ldb), beta, c, to_blas(ldc));
}

void gemm_nn(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
             int64_t ldc, float alpha, float beta) {
  if (m == 0 || n == 0) return;
  if (m <= kMaxRowsForGemv) {
    for (int64_t i = 0; i < m; ++i) {
      cblas_sgemv(CblasRowMajor, CblasTrans, to_blas(k), to_blas(n), alpha, b, to_blas(ldb), a + i * lda, 1, beta,
                  c + i * ldc, 1);
    }
    return;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, to_blas(m), to_blas(n), to_blas(k), alpha, a, to_blas(lda),
              b, to_blas(ldb), beta, c, to_blas(ldc));
}

}  // namespace xfmr
