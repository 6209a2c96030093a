#include "core/prefill.hpp"

#include <cstring>

namespace xfmr {

void PassLayout::prompts(const std::vector<std::vector<int32_t>>& prompt_list, int64_t copies, KvCache& cache) {
  tokens.clear();
  segments.clear();
  last_rows.clear();
  for (size_t p = 0; p < prompt_list.size(); ++p) {
    const auto& prompt = prompt_list[p];
    const auto length = static_cast<int64_t>(prompt.size());
    const auto begin = static_cast<int64_t>(tokens.size());
    const auto row = static_cast<int64_t>(p) * copies;
    cache.extend(row, length);
    segments.push_back({row, begin, length, 0});
    tokens.insert(tokens.end(), prompt.begin(), prompt.end());
    last_rows.push_back(begin + length - 1);
  }
}

void PassLayout::one_token_per_row(KvCache& cache) {
  const int64_t rows = cache.rows();
  segments.resize(static_cast<size_t>(rows));
  last_rows.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    segments[static_cast<size_t>(r)] = {r, r, 1, cache.length(r)};
    last_rows[static_cast<size_t>(r)] = r;
    cache.extend(r, 1);
  }
}

void share_prompt_copies(KvCache& cache, int64_t prompts, int64_t copies, std::span<float> logits, int64_t vocab) {
  for (int64_t p = 0; p < prompts; ++p) {
    const float* first = logits.data() + p * copies * vocab;
    for (int64_t c = 1; c < copies; ++c) {
      std::memcpy(logits.data() + (p * copies + c) * vocab, first, static_cast<size_t>(vocab) * sizeof(float));
      cache.share(p * copies + c, p * copies);
    }
  }
}

}  // namespace xfmr
