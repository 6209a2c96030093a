#pragma once
// The score functions of the pipelines, in float32 as transformers computes them.
#include <cmath>
#include <span>
#include <vector>

namespace xfmr::heads {

// softmax(x) = exp(x - max) / sum, written into out (may alias x).
inline void softmax(std::span<const float> x, std::span<float> out) {
  float max = x.empty() ? 0.0f : x[0];
  for (float v : x) max = std::max(max, v);
  float sum = 0.0f;
  for (size_t i = 0; i < x.size(); ++i) sum += out[i] = std::exp(x[i] - max);
  for (float& v : out) v /= sum;
}

inline std::vector<float> softmax(std::span<const float> x) {
  std::vector<float> out(x.size());
  softmax(x, out);
  return out;
}

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace xfmr::heads
