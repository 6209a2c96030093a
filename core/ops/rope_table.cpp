#include "core/ops/rope_table.hpp"

#include <algorithm>
#include <cmath>

namespace xfmr {

RopeTable::RopeTable(int64_t rotary_dim, float theta, int64_t positions) : half_(rotary_dim / 2) {
  inv_freq_.resize(static_cast<size_t>(half_));
  for (int64_t i = 0; i < half_; ++i) {
    const float exponent = static_cast<float>(2 * i) / static_cast<float>(rotary_dim);
    inv_freq_[static_cast<size_t>(i)] = 1.0f / std::pow(theta, exponent);
  }
  reserve(positions);
}

void RopeTable::reserve(int64_t count) {
  if (count <= positions_) return;
  const int64_t grown = std::max(count, 2 * positions_);
  cos_.resize(static_cast<size_t>(grown * half_));
  sin_.resize(cos_.size());
  for (int64_t p = positions_; p < grown; ++p) {
    for (int64_t i = 0; i < half_; ++i) {
      const float angle = static_cast<float>(p) * inv_freq_[static_cast<size_t>(i)];
      cos_[static_cast<size_t>(p * half_ + i)] = std::cos(angle);
      sin_[static_cast<size_t>(p * half_ + i)] = std::sin(angle);
    }
  }
  positions_ = grown;
}

void RopeTable::apply(float* row, int64_t heads, int64_t head_dim, int64_t position) {
  reserve(position + 1);
  const float* cos = cos_.data() + position * half_;
  const float* sin = sin_.data() + position * half_;
  for (int64_t h = 0; h < heads; ++h) {
    float* head = row + h * head_dim;
    for (int64_t i = 0; i < half_; ++i) {
      const float a = head[i];
      const float b = head[i + half_];
      head[i] = a * cos[i] - b * sin[i];
      head[i + half_] = b * cos[i] + a * sin[i];
    }
  }
}

}  // namespace xfmr
