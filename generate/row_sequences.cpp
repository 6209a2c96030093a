// Per-row token sequences: the `input_ids` every processor and beam hypothesis looks at.
#include <cstddef>

#include "generate/strategies.hpp"

namespace xfmr::gen::detail {

RowSequences::RowSequences(std::span<const PreparedInput> inputs, int32_t copies) {
  const size_t rows = inputs.size() * static_cast<size_t>(copies);
  current_.resize(rows);
  spare_.resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    const PreparedInput& input = inputs[r / static_cast<size_t>(copies)];
    const auto capacity = static_cast<size_t>(input.limits.max_length);
    current_[r].reserve(capacity);
    spare_[r].reserve(capacity);
    current_[r].assign(input.prompt.begin(), input.prompt.end());
  }
}

void RowSequences::reorder(std::span<const int32_t> parents) {
  // Rows of one input share a max_length, so a parent's sequence fits any row's capacity.
  for (size_t r = 0; r < current_.size(); ++r) {
    const auto& parent = current_[static_cast<size_t>(parents[r])];
    spare_[r].assign(parent.begin(), parent.end());
  }
  current_.swap(spare_);
}

std::vector<std::vector<int32_t>> RowSequences::prompts(int32_t copies) const {
  std::vector<std::vector<int32_t>> firsts;
  for (size_t r = 0; r < current_.size(); r += static_cast<size_t>(copies)) firsts.push_back(current_[r]);
  return firsts;
}

}  // namespace xfmr::gen::detail
