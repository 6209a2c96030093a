#include "core/ops/relative_position.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace xfmr {

int64_t relative_position_bucket(int64_t relative_position, bool bidirectional, int64_t num_buckets,
                                 int64_t max_distance) {
  int64_t bucket = 0;
  int64_t distance = 0;
  if (bidirectional) {
    num_buckets /= 2;
    if (relative_position > 0) bucket += num_buckets;
    distance = relative_position < 0 ? -relative_position : relative_position;
  } else {
    distance = relative_position < 0 ? -relative_position : 0;
  }
  const int64_t max_exact = num_buckets / 2;
  if (distance < max_exact) return bucket + distance;
  // float32 throughout, as the reference computes it.
  float scaled = std::log(static_cast<float>(distance) / static_cast<float>(max_exact));
  scaled = scaled / static_cast<float>(std::log(static_cast<double>(max_distance) / static_cast<double>(max_exact)));
  scaled = scaled * static_cast<float>(num_buckets - max_exact);
  const int64_t large = std::min(max_exact + static_cast<int64_t>(scaled), num_buckets - 1);
  return bucket + large;
}

void bidirectional_relative_diagonals(const Tensor& table, int64_t length, int64_t max_distance, float* out) {
  const int64_t buckets = table.dim(0);
  const int64_t heads = table.dim(1);
  const int64_t width = 2 * length - 1;
  for (int64_t r = -(length - 1); r < length; ++r) {
    const float* biases = table.row(relative_position_bucket(r, true, buckets, max_distance));
    for (int64_t h = 0; h < heads; ++h) out[h * width + r + length - 1] = biases[h];
  }
}

void expand_relative_bias(const float* diagonals, int64_t length, float* out) {
  for (int64_t i = 0; i < length; ++i) {
    std::memcpy(out + i * length, diagonals + (length - 1 - i), static_cast<size_t>(length) * sizeof(float));
  }
}

void CausalRelativeBias::reserve(int64_t length) {
  if (length <= capacity_) return;
  const int64_t capacity = std::max({length, 2 * capacity_, int64_t{64}});
  const int64_t buckets = table_.dim(0);
  const int64_t heads = table_.dim(1);
  reversed_.assign(static_cast<size_t>(heads * capacity), 0.0f);
  for (int64_t distance = 0; distance < capacity; ++distance) {
    const float* biases = table_.row(relative_position_bucket(-distance, false, buckets, max_distance_));
    for (int64_t h = 0; h < heads; ++h) {
      reversed_[static_cast<size_t>(h * capacity + capacity - 1 - distance)] = biases[h];
    }
  }
  capacity_ = capacity;
}

}  // namespace xfmr
