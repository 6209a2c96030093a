#include "core/ops/norm.hpp"

#include <cmath>

namespace xfmr {
namespace {

// Sums with 16 independent lanes so that the loop vectorises without
// -ffast-math (a single accumulator is a serial dependency chain).
constexpr int kLanes = 16;

float lane_sum(const float (&lanes)[kLanes]) {
  float total = 0.0f;
  for (float v : lanes) total += v;
  return total;
}

float row_mean(const float* x, int64_t n) {
  float lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) lanes[j] += x[i + j];
  }
  float total = lane_sum(lanes);
  for (; i < n; ++i) total += x[i];
  return total / static_cast<float>(n);
}

float row_mean_square_around(const float* x, int64_t n, float center) {
  float lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      const float d = x[i + j] - center;
      lanes[j] += d * d;
    }
  }
  float total = lane_sum(lanes);
  for (; i < n; ++i) total += (x[i] - center) * (x[i] - center);
  return total / static_cast<float>(n);
}

void normalize_row(float* x, int64_t n, const float* weight, const float* bias, float eps) {
  const float mean = row_mean(x, n);
  const float variance = row_mean_square_around(x, n, mean);
  const float inv = 1.0f / std::sqrt(variance + eps);
  if (bias) {
    for (int64_t i = 0; i < n; ++i) x[i] = (x[i] - mean) * inv * weight[i] + bias[i];
  } else {
    for (int64_t i = 0; i < n; ++i) x[i] = (x[i] - mean) * inv * weight[i];
  }
}

}  // namespace

void layer_norm(float* x, int64_t rows, int64_t n, int64_t ld, const float* weight, const float* bias, float eps) {
  for (int64_t r = 0; r < rows; ++r) normalize_row(x + r * ld, n, weight, bias, eps);
}

void residual_layer_norm(float* x, const float* delta, int64_t rows, int64_t n, int64_t ld, int64_t ld_delta,
                         const float* weight, const float* bias, float eps) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x + r * ld;
    const float* d = delta + r * ld_delta;
    for (int64_t i = 0; i < n; ++i) row[i] += d[i];
    normalize_row(row, n, weight, bias, eps);
  }
}

void rms_norm(float* x, int64_t rows, int64_t n, int64_t ld, const float* weight, float eps) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x + r * ld;
    const float inv = 1.0f / std::sqrt(row_mean_square_around(row, n, 0.0f) + eps);
    for (int64_t i = 0; i < n; ++i) row[i] = row[i] * inv * weight[i];
  }
}

}  // namespace xfmr
