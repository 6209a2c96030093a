#include "core/ops/sinusoidal.hpp"

#include <cmath>

namespace xfmr {

Tensor sinusoidal_positions(int64_t positions, int64_t dim) {
  Tensor table({positions, dim});
  const int64_t sin_columns = (dim + 1) / 2;
  for (int64_t p = 0; p < positions; ++p) {
    float* row = table.row(p);
    for (int64_t j = 0; j < dim; ++j) {
      const bool is_sin = j < sin_columns;
      const int64_t i = is_sin ? j : j - sin_columns;
      const double exponent = static_cast<double>(2 * i) / static_cast<double>(dim);
      const double angle = static_cast<double>(p) / std::pow(10000.0, exponent);
      row[j] = static_cast<float>(is_sin ? std::sin(angle) : std::cos(angle));
    }
  }
  return table;
}

}  // namespace xfmr
