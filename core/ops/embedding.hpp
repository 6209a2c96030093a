#pragma once
#include <cstdint>
#include <span>

#include "core/tensor.hpp"

namespace xfmr {

// out[i] (+)= table[ids[i]] for each i, rows of table.dim(1) floats, out row
// stride ld. Ids must already be checked against table.dim(0).
void gather_rows(const Tensor& table, std::span<const int32_t> ids, float* out, int64_t ld, bool accumulate);

}  // namespace xfmr
