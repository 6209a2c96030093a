#pragma once
// Attention of ONE query row (a decode step) against keys and values that live
// in blocks: the paged self-attention cache (core/kv_cache.hpp) or, as a single
// block, the encoder states of cross-attention computed once per input.
//
//   KvView kv = cache.view(layer, row);          // self-attention, or:
//   KvView kv = KvView::contiguous(&states, k_offset, v_offset, length, head_dim);  // cross
//   attend_cached(q, kv, heads, kv_heads, scale, out, scores);
//
// Block layout seen through a view: for kv head g and position p (block
// p / block_size, slot p % block_size), the key is head_dim floats at
//   blocks[p / block_size] + key_offset + g * head_stride + (p % block_size) * head_dim
// and the value likewise from value_offset. Grouped-query attention: query
// head h reads kv head h / (heads / kv_heads). Every position is visible (the
// cache holds only the past and the current token).
#include <cstdint>

namespace xfmr {

struct KvView {
  const float* const* blocks = nullptr;  // base of each block, in position order
  int64_t block_size = 0;                // positions per block
  int64_t length = 0;                    // positions to attend to
  int64_t key_offset = 0;                // floats from a block base to kv head 0's keys
  int64_t value_offset = 0;
  int64_t head_stride = 0;               // floats between kv heads inside a block
  int64_t head_dim = 0;

  // One block: *base + key_offset holds [kv_heads][length][head_dim] keys, and
  // *base + value_offset the values (cross-attention over encoder states,
  // all layers in one buffer). The pointer *base must outlive the view.
  static KvView contiguous(const float* const* base, int64_t key_offset, int64_t value_offset, int64_t length,
                           int64_t head_dim) {
    return {base, length, length, key_offset, value_offset, length * head_dim, head_dim};
  }
};

// out[heads * head_dim] = concat_h softmax(scale * q_h K_g^T + bias_h) V_g.
// bias (optional): [heads][bias_stride] additive scores (T5's relative
// position bias), position p of head h at bias[h * bias_stride + p].
// scores: scratch for kv.length floats.
void attend_cached(const float* q, const KvView& kv, int64_t heads, int64_t kv_heads, float scale, float* out,
                   float* scores, const float* bias = nullptr, int64_t bias_stride = 0);

}  // namespace xfmr
