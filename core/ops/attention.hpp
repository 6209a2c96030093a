#pragma once
// Scaled dot-product attention of ONE sequence, all heads:
//   out_h = softmax(scale * Q_h K_h^T + bias_h + mask) V_h
// Q, K, V and out are row-major blocks whose head h occupies columns
// [h*head_dim, (h+1)*head_dim); strides let them live inside a fused QKV
// buffer. Batched callers loop over sequences (each with its own length: no
// padding, so nothing to mask in the encoder). Per head: one sgemm for Q K^T,
// one for P V.
//
// Hooks for the other families: `causal` + `q_offset` (decoders with a KV
// cache: query i sees keys j <= q_offset + i), `kv_heads` (grouped-query
// attention: head h reads kv head h / (heads / kv_heads)), `bias` (T5's
// relative position bias, [heads, q_len, kv_len]), `key_mask` (padded keys).
#include <cstdint>

namespace xfmr {

struct AttentionArgs {
  const float* q = nullptr;
  int64_t ldq = 0;
  const float* k = nullptr;
  int64_t ldk = 0;
  const float* v = nullptr;
  int64_t ldv = 0;
  float* out = nullptr;
  int64_t ldo = 0;
  int64_t q_len = 0;
  int64_t kv_len = 0;
  int64_t heads = 0;
  int64_t kv_heads = 0;  // 0: same as heads
  int64_t head_dim = 0;
  float scale = 1.0f;
  bool causal = false;
  int64_t q_offset = 0;
  const float* bias = nullptr;         // optional, added to the scores
  const uint8_t* key_mask = nullptr;   // optional, key j ignored where key_mask[j] == 0
};

// `scores` is scratch for q_len * kv_len floats.
void attention(const AttentionArgs& args, float* scores);

}  // namespace xfmr
