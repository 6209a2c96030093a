#pragma once
// Rotary position embedding (RoPE) in transformers' "rotate_half" layout
// (Llama, Mistral, Qwen2, GPT-NeoX): within each head, dims i and i + d/2 form
// a pair rotated by position * theta^(-2i/d), for i < d/2 (d = rotary_dim,
// usually head_dim). Angles are computed as transformers does: float32
// inv_freq times float32 position, then cos/sin. GPT-J's interleaved layout is
// not covered.
#include <cstdint>

namespace xfmr {

// x: rows x (heads * head_dim) with row stride ld; positions[r] is row r's
// position. Rotates the first rotary_dim dims of every head in place.
void apply_rotary(float* x, int64_t rows, int64_t ld, const int64_t* positions, int64_t heads, int64_t head_dim,
                  int64_t rotary_dim, float theta);

}  // namespace xfmr
