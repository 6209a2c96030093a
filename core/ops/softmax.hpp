#pragma once
#include <cstdint>

namespace xfmr {

// Softmax of each row of a rows x n block (row stride ld), in place.
void softmax_rows(float* x, int64_t rows, int64_t n, int64_t ld);
// log(sum(exp(x))) computed stably, in double for the sum.
double log_sum_exp(const float* x, int64_t n);

}  // namespace xfmr
