#pragma once
// T5's relative position biases: the distance between a key and a query falls
// into one of num_buckets buckets (exact for small distances, logarithmic up
// to max_distance, then the last bucket); each bucket has one learned bias per
// head (table [num_buckets, heads]). The encoder's buckets are bidirectional
// (half of them for keys after the query); the decoder's causal ones count
// only keys at or before the query. Bucket arithmetic follows transformers'
// _relative_position_bucket step by step in float32.
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace xfmr {

// key_position - query_position -> bucket.
int64_t relative_position_bucket(int64_t relative_position, bool bidirectional, int64_t num_buckets,
                                 int64_t max_distance);

// The encoder's biases for a sequence of `length` tokens, one run per head:
// out[h * (2 * length - 1) + (j - i) + length - 1] is head h's bias of query i
// over key j. Row i of a head's [length, length] bias is thus the contiguous
// run starting at (length - 1 - i): expand_relative_bias() lays it out.
void bidirectional_relative_diagonals(const Tensor& table, int64_t length, int64_t max_distance, float* out);
// out [length, length] = one head's dense bias from its run of diagonals.
void expand_relative_bias(const float* diagonals, int64_t length, float* out);

// The decoder's bias, laid out so that the biases of a query at `position`
// over keys 0..position are one contiguous run per head:
//   attend_cached(..., bias.row(position), bias.stride());
class CausalRelativeBias {
 public:
  CausalRelativeBias() = default;
  CausalRelativeBias(Tensor table, int64_t max_distance) : table_(std::move(table)), max_distance_(max_distance) {}

  bool empty() const { return table_.empty(); }
  // Makes positions [0, length) available (doubling: rare).
  void reserve(int64_t length);
  const float* row(int64_t position) const { return reversed_.data() + (capacity_ - 1 - position); }
  int64_t stride() const { return capacity_; }

 private:
  Tensor table_;
  int64_t max_distance_ = 0;
  int64_t capacity_ = 0;
  // Per head: the biases of distances capacity-1 .. 0, in that order.
  std::vector<float> reversed_;
};

}  // namespace xfmr
