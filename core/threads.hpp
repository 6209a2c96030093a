#pragma once
// BLAS setup. xfmr's only thread pool is OpenBLAS's (two pools on two cores
// lose 2-8x: docs/performance.md). Call set_num_threads once at startup,
// before the first model is used.
#include <string>

namespace xfmr {

// Sets OpenBLAS's thread count (n <= 0: keep OPENBLAS_NUM_THREADS or the core
// count).
void set_num_threads(int n);
int num_threads();

// The kernel set OpenBLAS runs ("Haswell", "SkylakeX", "Cooperlake" ...): its
// own pick for the CPU, or the one OPENBLAS_CORETYPE forces. For reports.
std::string blas_kernels();

}  // namespace xfmr
