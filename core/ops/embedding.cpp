#include "core/ops/embedding.hpp"

#include <cstring>

namespace xfmr {

void gather_rows(const Tensor& table, std::span<const int32_t> ids, float* out, int64_t ld, bool accumulate) {
  const int64_t width = table.dim(1);
  for (size_t i = 0; i < ids.size(); ++i) {
    const float* src = table.row(ids[i]);
    float* dst = out + static_cast<int64_t>(i) * ld;
    if (accumulate) {
      for (int64_t c = 0; c < width; ++c) dst[c] += src[c];
    } else {
      std::memcpy(dst, src, static_cast<size_t>(width) * sizeof(float));
    }
  }
}

}  // namespace xfmr
