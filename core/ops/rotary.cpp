#include "core/ops/rotary.hpp"

#include <cmath>
#include <vector>

namespace xfmr {

void apply_rotary(float* x, int64_t rows, int64_t ld, const int64_t* positions, int64_t heads, int64_t head_dim,
                  int64_t rotary_dim, float theta) {
  const int64_t half = rotary_dim / 2;
  std::vector<float> inv_freq(static_cast<size_t>(half)), cos_angle(inv_freq.size()), sin_angle(inv_freq.size());
  for (int64_t i = 0; i < half; ++i) {
    const float exponent = static_cast<float>(2 * i) / static_cast<float>(rotary_dim);
    inv_freq[static_cast<size_t>(i)] = 1.0f / std::pow(theta, exponent);
  }
  for (int64_t r = 0; r < rows; ++r) {
    const auto position = static_cast<float>(positions[r]);
    for (int64_t i = 0; i < half; ++i) {
      const float angle = position * inv_freq[static_cast<size_t>(i)];
      cos_angle[static_cast<size_t>(i)] = std::cos(angle);
      sin_angle[static_cast<size_t>(i)] = std::sin(angle);
    }
    for (int64_t h = 0; h < heads; ++h) {
      float* head = x + r * ld + h * head_dim;
      for (int64_t i = 0; i < half; ++i) {
        const float a = head[i];
        const float b = head[i + half];
        head[i] = a * cos_angle[static_cast<size_t>(i)] - b * sin_angle[static_cast<size_t>(i)];
        head[i + half] = b * cos_angle[static_cast<size_t>(i)] + a * sin_angle[static_cast<size_t>(i)];
      }
    }
  }
}

}  // namespace xfmr
