#include "core/ops/projection.hpp"

#include <cblas.h>

#include "core/ops/small_gemm.hpp"

namespace xfmr {
namespace {

blasint to_blas(int64_t v) { return static_cast<blasint>(v); }

void add_bias_rows(float* y, int64_t rows, int64_t n, int64_t ldy, const float* bias) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * ldy;
    for (int64_t j = 0; j < n; ++j) row[j] += bias[j];
  }
}

}  // namespace

void project(const Projection& p, const float* x, int64_t rows, int64_t ldx, float* y, int64_t ldy, bool accumulate,
             Activation act) {
  if (rows <= 0) return;
  const int64_t in = p.in_features();
  const int64_t out = p.out_features();
  const float* w = p.weight.data();
  const float beta = accumulate ? 1.0f : 0.0f;
  if (rows == 1 && openblas_get_num_threads() > 1) {
    // Row-major [out, in]: y = W x; [in, out]: y = W^T x.
    if (p.in_major) {
      cblas_sgemv(CblasRowMajor, CblasTrans, to_blas(in), to_blas(out), 1.0f, w, to_blas(out), x, 1, beta, y, 1);
    } else {
      cblas_sgemv(CblasRowMajor, CblasNoTrans, to_blas(out), to_blas(in), 1.0f, w, to_blas(in), x, 1, beta, y, 1);
    }
  } else if (rows <= kSmallGemmRows) {
    // Also one row on one thread: small_gemm's AVX-512 stream outruns
    // OpenBLAS's sgemv kernel there, which needs both threads to lead.
    if (p.in_major) {
      small_gemm_nn(rows, out, in, x, ldx, w, out, y, ldy, accumulate);
    } else {
      small_gemm_nt(rows, out, in, x, ldx, w, in, y, ldy, accumulate);
    }
  } else {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, p.in_major ? CblasNoTrans : CblasTrans, to_blas(rows), to_blas(out),
                to_blas(in), 1.0f, x, to_blas(ldx), w, to_blas(p.in_major ? out : in), beta, y, to_blas(ldy));
  }
  const float* bias = p.bias.empty() ? nullptr : p.bias.data();
  if (act != Activation::identity) {
    bias_activation(act, y, rows, out, ldy, bias);
  } else if (bias) {
    add_bias_rows(y, rows, out, ldy, bias);
  }
}

}  // namespace xfmr
