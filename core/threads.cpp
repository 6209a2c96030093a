#include "core/threads.hpp"

#include <cblas.h>

namespace xfmr {

void set_num_threads(int n) {
  if (n > 0) openblas_set_num_threads(n);
}

int num_threads() { return openblas_get_num_threads(); }

std::string blas_kernels() {
  const char* name = openblas_get_corename();
  return name ? name : "";
}

}  // namespace xfmr
