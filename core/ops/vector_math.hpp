#pragma once
// Branch-free float approximations that the compiler vectorises inside plain
// loops (libm's expf/erff are scalar calls and would dominate GELU and
// softmax). Accuracy: exp ~1e-7 relative, erf ~1.5e-7 absolute
// (Abramowitz & Stegun 7.1.26), tanh ~1e-7 absolute — far inside the 1e-4
// the goldens allow.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace xfmr::vmath {

inline float exp(float input) {
  // Comparisons (not fmin/fmax, which stay libm calls) so the loop vectorises;
  // NaN maps to a bound, keeping the float->int conversion defined.
  float x = input > -87.3f ? input : -87.3f;
  x = x < 88.3f ? x : 88.3f;
  // Round to nearest by adding and removing 1.5 * 2^23 (std::floor would stay
  // a scalar call without -ffast-math).
  constexpr float kRound = 12582912.0f;
  const float n = (x * 1.44269504088896341f + kRound) - kRound;
  // r = x - n*ln2 in two steps so that r keeps its low bits.
  float r = x - n * 0.693145751953125f;
  r = r - n * 1.42860676533018704e-06f;
  // e^r on |r| <= ln2/2 by its Taylor series to degree 7 (error < 6e-9).
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const auto exponent = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
  const float result = p * std::bit_cast<float>(exponent);
  // exp(-inf) must be exactly 0: masked attention scores vanish as in PyTorch.
  return input < -87.3f ? 0.0f : (input != input ? input : result);
}

inline float erf(float x) {
  const float a = std::fabs(x);
  const float t = 1.0f / (1.0f + 0.3275911f * a);
  float p = 1.061405429f;
  p = p * t - 1.453152027f;
  p = p * t + 1.421413741f;
  p = p * t - 0.284496736f;
  p = p * t + 0.254829592f;
  const float y = 1.0f - p * t * exp(-a * a);
  return std::copysign(y, x);
}

inline float tanh(float x) {
  const float e = exp(-2.0f * std::fabs(x));
  return std::copysign((1.0f - e) / (1.0f + e), x);
}

}  // namespace xfmr::vmath
