#include "core/ops/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/ops/vector_math.hpp"

namespace xfmr {

void softmax_rows(float* x, int64_t rows, int64_t n, int64_t ld) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x + r * ld;
    float max = -std::numeric_limits<float>::infinity();
    for (int64_t i = 0; i < n; ++i) max = std::max(max, row[i]);
    if (max == -std::numeric_limits<float>::infinity()) {
      // Every key masked: no distribution; zeros keep the output finite.
      std::fill(row, row + n, 0.0f);
      continue;
    }
    for (int64_t i = 0; i < n; ++i) row[i] = vmath::exp(row[i] - max);
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += row[i];
    const float inv = 1.0f / sum;
    for (int64_t i = 0; i < n; ++i) row[i] *= inv;
  }
}

double log_sum_exp(const float* x, int64_t n) {
  float max = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < n; ++i) max = std::max(max, x[i]);
  if (!std::isfinite(max)) return max;
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) sum += std::exp(static_cast<double>(x[i]) - max);
  return max + std::log(sum);
}

}  // namespace xfmr
