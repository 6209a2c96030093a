#pragma once
// Rotary position embedding with precomputed angles, for decoding loops that
// rotate one row at a time (ops/rotary.hpp computes the angles per call).
// Same convention: transformers' rotate_half layout with rope_type "default"
// (Llama, Mistral, Qwen2): dims i and i + d/2 of a head (d = rotary_dim) are
// rotated by position * inv_freq[i], inv_freq[i] = 1 / theta^(2i/d), every
// step in float32 as transformers does, then cos / sin of that float angle.
//
//   RopeTable rope(head_dim, theta, 2048);   // grows by itself past 2048
//   rope.apply(q_row, heads, head_dim, position);
#include <cstdint>
#include <vector>

namespace xfmr {

class RopeTable {
 public:
  RopeTable() = default;
  RopeTable(int64_t rotary_dim, float theta, int64_t positions);

  // Makes positions [0, count) available (doubling: rare).
  void reserve(int64_t count);
  // Rotates the first rotary_dim dims of each of `heads` heads (head_dim apart)
  // of one row at `position`, in place.
  void apply(float* row, int64_t heads, int64_t head_dim, int64_t position);

 private:
  int64_t half_ = 0;
  int64_t positions_ = 0;
  std::vector<float> inv_freq_;
  std::vector<float> cos_, sin_;  // [positions, half]
};

}  // namespace xfmr
