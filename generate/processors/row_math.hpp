#pragma once
// Internal: per-row arithmetic shared by the processors and the strategies. Rows are
// 32k-250k scores long and visited several times per step, so these loops are written to
// vectorise (no libm calls inside, independent accumulators).
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>

namespace xfmr::gen::detail {

inline constexpr float kMinusInf = -std::numeric_limits<float>::infinity();

// e^x in float without a libm call (relative error ~2e-7, like a correctly rounded float
// exp give or take one ulp): x = k ln2 + f, e^f by a degree-7 polynomial on |f| <= ln2 / 2,
// then scaled by 2^k through the exponent bits. e^-inf = 0; inputs below -87 give 0.
inline float exp_float(float x) {
  // Comparisons rather than std::min/max so that NaN lands on a bound (defined int
  // conversion below); NaN, -inf and anything below -87 give 0.
  float clamped = x > -87.0f ? x : -87.0f;
  clamped = clamped < 88.0f ? clamped : 88.0f;
  const float k = std::nearbyint(clamped * 1.4426950408889634f);
  // ln2 split in a high part exact in float and a small correction.
  const float f = (clamped - k * 0.693359375f) + k * 2.12194440e-4f;
  float p = 1.9841270e-4f;
  p = p * f + 1.3888889e-3f;
  p = p * f + 8.3333333e-3f;
  p = p * f + 4.1666667e-2f;
  p = p * f + 1.6666667e-1f;
  p = p * f + 0.5f;
  p = p * f + 1.0f;
  p = p * f + 1.0f;
  const float scale = std::bit_cast<float>(static_cast<uint32_t>(static_cast<int32_t>(k) + 127) << 23);
  return x > -87.0f ? p * scale : 0.0f;
}

// Rows are processed in independent lanes: without -ffast-math a compiler only vectorises
// a reduction whose lanes are written out.
inline constexpr size_t kLanes = 16;

// Largest score (NaN ignored); -inf for an empty or all -inf row.
inline float row_max(std::span<const float> scores) {
  float lane[kLanes];
  std::fill(lane, lane + kLanes, kMinusInf);
  const size_t n = scores.size();
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (size_t j = 0; j < kLanes; ++j) lane[j] = scores[i + j] > lane[j] ? scores[i + j] : lane[j];
  float best = kMinusInf;
  for (; i < n; ++i) best = scores[i] > best ? scores[i] : best;
  for (float v : lane) best = v > best ? v : best;
  return best;
}

// sum(exp(scores[i] - top)), also stored in weights[i] when `weights` is not null. Lanes
// accumulate in float over blocks of 1024 scores, blocks in double.
inline double sum_exp(std::span<const float> scores, float top, float* weights) {
  constexpr size_t kBlock = 1024;
  const size_t n = scores.size();
  const float* s = scores.data();
  double sum = 0.0;
  size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    float lane[kLanes] = {};
    for (size_t k = 0; k < kBlock; k += kLanes) {
      for (size_t j = 0; j < kLanes; ++j) {
        const float e = exp_float(s[i + k + j] - top);
        if (weights != nullptr) weights[i + k + j] = e;
        lane[j] += e;
      }
    }
    double block = 0.0;
    for (float v : lane) block += v;
    sum += block;
  }
  for (; i < n; ++i) {
    const float e = exp_float(s[i] - top);
    if (weights != nullptr) weights[i] = e;
    sum += e;
  }
  return sum;
}

// weights[i] = exp(scores[i] - max); returns their sum (0 when every score is -inf).
// Probabilities are weights[i] / sum.
inline double softmax_weights(std::span<const float> scores, std::span<float> weights) {
  const float top = row_max(scores);
  if (top == kMinusInf) {
    std::fill(weights.begin(), weights.begin() + static_cast<std::ptrdiff_t>(scores.size()), 0.0f);
    return 0.0;
  }
  return sum_exp(scores, top, weights.data());
}

// log(sum(exp(scores))); -inf for an all -inf row.
inline double log_sum_exp(std::span<const float> scores) {
  const float top = row_max(scores);
  if (top == kMinusInf) return -std::numeric_limits<double>::infinity();
  return static_cast<double>(top) + std::log(sum_exp(scores, top, nullptr));
}

// The k-th largest score (k >= 1, clamped to the row size). Small k: a min-heap of the k
// best in `work` (one pass, almost every score rejected by one comparison); large k:
// nth_element on a copy in `work`.
inline float kth_largest(std::span<const float> scores, int32_t k, std::span<float> work) {
  const size_t n = scores.size();
  const size_t kk = std::min<size_t>(static_cast<size_t>(std::max(k, 1)), n);
  if (kk == 1) return row_max(scores);
  if (kk <= 1024) {
    const auto heap = work.begin();
    size_t size = 0;
    constexpr size_t kBlock = 16;
    for (size_t i = 0; i < n; ++i) {
      // Once the heap is full, skip blocks whose best cannot enter it.
      if (size == kk && i % kBlock == 0 && i + kBlock <= n &&
          !(row_max(scores.subspan(i, kBlock)) > heap[0])) {
        i += kBlock - 1;
        continue;
      }
      const float s = scores[i];
      if (std::isnan(s)) continue;
      if (size < kk) {
        heap[static_cast<std::ptrdiff_t>(size++)] = s;
        std::push_heap(heap, heap + static_cast<std::ptrdiff_t>(size), std::greater<float>());
      } else if (s > heap[0]) {
        std::pop_heap(heap, heap + static_cast<std::ptrdiff_t>(size), std::greater<float>());
        heap[static_cast<std::ptrdiff_t>(size - 1)] = s;
        std::push_heap(heap, heap + static_cast<std::ptrdiff_t>(size), std::greater<float>());
      }
    }
    return size < kk ? kMinusInf : heap[0];
  }
  std::copy(scores.begin(), scores.end(), work.begin());
  auto nth = work.begin() + static_cast<std::ptrdiff_t>(kk - 1);
  std::nth_element(work.begin(), nth, work.begin() + static_cast<std::ptrdiff_t>(n), std::greater<float>());
  return *nth;
}

// scores[i] < threshold -> -inf (torch semantics: NaN is never below anything).
inline void remove_below(std::span<float> scores, float threshold) {
  for (float& s : scores) s = s < threshold ? kMinusInf : s;
}

}  // namespace xfmr::gen::detail
