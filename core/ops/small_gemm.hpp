#pragma once
// Matrix products for a FEW rows (decode steps: one row per sequence or beam),
// where the cost is reading the weight matrix, not the arithmetic: these
// kernels stream the weights once for all rows (per-row cblas_sgemv reads them
// once per row; cblas_sgemm packs them first). Single-threaded, AVX-512 when
// the build targets it, plain loops otherwise. Meant for m <= 8; any m works.
#include <cstdint>

namespace xfmr {

// C[m x n] (+)= A[m x k] B^T with B [n x k] (a PyTorch Linear weight [out, in]).
// accumulate: C += product; else C = product.
void small_gemm_nt(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
                   float* c, int64_t ldc, bool accumulate);

// C[m x n] (+)= A[m x k] B with B [k x n] (GPT-2's Conv1D weight [in, out]).
void small_gemm_nn(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
                   float* c, int64_t ldc, bool accumulate);

}  // namespace xfmr
