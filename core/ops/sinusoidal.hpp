#pragma once
// Fixed sinusoidal position embeddings in the layout of transformers'
// MarianSinusoidalPositionalEmbedding: for position p and
// column j < ceil(dim / 2), sin(p / 10000^(2j / dim)); column ceil(dim / 2) + j
// holds the matching cos. Computed in double and rounded to float, as the
// reference does with numpy.
#include <cstdint>

#include "core/tensor.hpp"

namespace xfmr {

// [positions, dim].
Tensor sinusoidal_positions(int64_t positions, int64_t dim);

}  // namespace xfmr
