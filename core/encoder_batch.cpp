#include <algorithm>

#include <fmt/format.h>

#include "core/encoder.hpp"
#include "core/error.hpp"

namespace xfmr {

void EncoderBatch::add(std::span<const int32_t> sequence_ids, std::span<const int32_t> sequence_type_ids) {
  if (!sequence_type_ids.empty() && sequence_type_ids.size() != sequence_ids.size()) {
    throw InputError(fmt::format("sequence {}: {} type ids for {} tokens", size(), sequence_type_ids.size(),
                                 sequence_ids.size()));
  }
  ids.insert(ids.end(), sequence_ids.begin(), sequence_ids.end());
  if (sequence_type_ids.empty()) {
    type_ids.resize(ids.size(), 0);
  } else {
    type_ids.insert(type_ids.end(), sequence_type_ids.begin(), sequence_type_ids.end());
  }
  offsets.push_back(static_cast<int64_t>(ids.size()));
}

void EncoderBatch::add_padded(std::span<const int32_t> row_ids, std::span<const int32_t> mask,
                              std::span<const int32_t> row_type_ids) {
  if (mask.size() != row_ids.size()) {
    throw InputError(fmt::format("sequence {}: attention mask has {} entries for {} tokens", size(), mask.size(),
                                 row_ids.size()));
  }
  const auto length = static_cast<size_t>(std::find(mask.begin(), mask.end(), 0) - mask.begin());
  if (std::any_of(mask.begin() + static_cast<std::ptrdiff_t>(length), mask.end(), [](int32_t m) { return m != 0; })) {
    throw InputError(fmt::format("sequence {}: attention mask is not right padding (1...1 0...0)", size()));
  }
  add(row_ids.first(length), row_type_ids.empty() ? row_type_ids : row_type_ids.first(std::min(length, row_type_ids.size())));
}

}  // namespace xfmr
