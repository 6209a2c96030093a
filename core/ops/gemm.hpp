#pragma once
// Matrix products, all through OpenBLAS cblas_sgemm (row-major). Pointers and
// leading dimensions allow strided blocks (one head's columns of a fused QKV
// buffer) without copies.
#include <cstdint>

namespace xfmr {

// C[m x n] = alpha * A[m x k] * B[n x k]^T + beta * C.
// B laid out as a PyTorch Linear weight [out, in].
void gemm_nt(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
             int64_t ldc, float alpha = 1.0f, float beta = 0.0f);

// C[m x n] = alpha * A[m x k] * B[k x n] + beta * C.
void gemm_nn(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
             int64_t ldc, float alpha = 1.0f, float beta = 0.0f);

}  // namespace xfmr
