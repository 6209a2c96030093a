#include "core/kv_cache.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace xfmr {

KvCache::KvCache(int64_t layers, int64_t kv_heads, int64_t head_dim)
    : layers_(layers), kv_heads_(kv_heads), head_dim_(head_dim),
      block_floats_(layers * 2 * kv_heads * kBlockSize * head_dim) {}

void KvCache::reset(int64_t rows, int64_t expected_length) {
  for (Row& row : rows_) {
    for (int32_t block : row.blocks) release(block);
  }
  blocks_per_row_ = std::max<int64_t>(blocks_per_row_, (expected_length + kBlockSize - 1) / kBlockSize);
  rows_.resize(static_cast<size_t>(rows));
  spare_rows_.resize(static_cast<size_t>(rows));
  for (auto* set : {&rows_, &spare_rows_}) {
    for (Row& row : *set) {
      row.blocks.clear();
      row.bases.clear();
      row.length = 0;
      row.blocks.reserve(static_cast<size_t>(blocks_per_row_));
      row.bases.reserve(static_cast<size_t>(blocks_per_row_));
    }
  }
  const int64_t wanted = rows * blocks_per_row_;
  if (wanted > blocks_allocated()) grow(wanted - blocks_allocated());
}

void KvCache::grow(int64_t blocks) {
  // Doubling keeps growth rare; untouched pages of a chunk cost no memory.
  blocks = std::max({blocks, blocks_allocated(), int64_t{16}});
  chunks_.emplace_back(new float[static_cast<size_t>(blocks * block_floats_)]);
  float* chunk = chunks_.back().get();
  for (int64_t i = 0; i < blocks; ++i) {
    free_.push_back(static_cast<int32_t>(base_.size()));
    base_.push_back(chunk + i * block_floats_);
    refs_.push_back(0);
  }
  free_.reserve(base_.size());
  // Lowest ids first: rows fill the chunks in order.
  std::sort(free_.begin(), free_.end(), std::greater<>());
}

int32_t KvCache::take_block() {
  if (free_.empty()) grow(blocks_allocated());
  const int32_t block = free_.back();
  free_.pop_back();
  refs_[static_cast<size_t>(block)] = 1;
  return block;
}

void KvCache::release(int32_t block) {
  if (--refs_[static_cast<size_t>(block)] == 0) free_.push_back(block);
}

void KvCache::copy_filled(int32_t from, int32_t to, int64_t slots) {
  // Every (layer, key|value, head) segment: its first `slots` positions.
  const int64_t segment = kBlockSize * head_dim_;
  const float* source = base_[static_cast<size_t>(from)];
  float* target = base_[static_cast<size_t>(to)];
  for (int64_t offset = 0; offset < block_floats_; offset += segment) {
    std::memcpy(target + offset, source + offset, static_cast<size_t>(slots * head_dim_) * sizeof(float));
  }
}

void KvCache::extend(int64_t row_index, int64_t count) {
  Row& row = rows_[static_cast<size_t>(row_index)];
  const int64_t filled = row.length % kBlockSize;
  if (count > 0 && filled != 0 && refs_[static_cast<size_t>(row.blocks.back())] > 1) {
    const int32_t shared = row.blocks.back();
    const int32_t own = take_block();
    copy_filled(shared, own, filled);
    release(shared);
    row.blocks.back() = own;
    row.bases.back() = base_[static_cast<size_t>(own)];
  }
  const int64_t new_length = row.length + count;
  while (static_cast<int64_t>(row.blocks.size()) * kBlockSize < new_length) {
    const int32_t block = take_block();
    row.blocks.push_back(block);
    row.bases.push_back(base_[static_cast<size_t>(block)]);
  }
  row.length = new_length;
}

void KvCache::write(int64_t layer, int64_t row_index, int64_t position, const float* key, const float* value) {
  const Row& row = rows_[static_cast<size_t>(row_index)];
  float* block = base_[static_cast<size_t>(row.blocks[static_cast<size_t>(position / kBlockSize)])];
  const int64_t slot = position % kBlockSize;
  const int64_t segment = kBlockSize * head_dim_;
  float* keys = block + layer * 2 * kv_heads_ * segment + slot * head_dim_;
  float* values = keys + kv_heads_ * segment;
  const auto bytes = static_cast<size_t>(head_dim_) * sizeof(float);
  for (int64_t g = 0; g < kv_heads_; ++g) {
    std::memcpy(keys + g * segment, key + g * head_dim_, bytes);
    std::memcpy(values + g * segment, value + g * head_dim_, bytes);
  }
}

void KvCache::assign(Row& target, const Row& source) {
  // Capacity was reserved in reset(): assigning copies ids, allocates nothing
  // unless a row outgrew it.
  target.blocks.assign(source.blocks.begin(), source.blocks.end());
  target.bases.assign(source.bases.begin(), source.bases.end());
  target.length = source.length;
}

void KvCache::share(int64_t target_index, int64_t source_index) {
  if (target_index == source_index) return;
  Row& target = rows_[static_cast<size_t>(target_index)];
  const Row& source = rows_[static_cast<size_t>(source_index)];
  for (int32_t block : source.blocks) ++refs_[static_cast<size_t>(block)];
  for (int32_t block : target.blocks) release(block);
  assign(target, source);
}

void KvCache::reorder(std::span<const int32_t> parents) {
  if (static_cast<int64_t>(parents.size()) != rows()) throw std::invalid_argument("KvCache::reorder: one parent per row");
  for (int32_t parent : parents) {
    if (parent < 0 || parent >= rows()) throw std::invalid_argument("KvCache::reorder: parent out of range");
  }
  for (size_t r = 0; r < parents.size(); ++r) {
    const Row& parent = rows_[static_cast<size_t>(parents[r])];
    for (int32_t block : parent.blocks) ++refs_[static_cast<size_t>(block)];
    assign(spare_rows_[r], parent);
  }
  for (const Row& row : rows_) {
    for (int32_t block : row.blocks) release(block);
  }
  rows_.swap(spare_rows_);
}

KvView KvCache::view(int64_t layer, int64_t row_index) const {
  const Row& row = rows_[static_cast<size_t>(row_index)];
  const int64_t segment = kBlockSize * head_dim_;
  KvView view;
  view.blocks = row.bases.data();
  view.block_size = kBlockSize;
  view.length = row.length;
  view.key_offset = layer * 2 * kv_heads_ * segment;
  view.value_offset = view.key_offset + kv_heads_ * segment;
  view.head_stride = segment;
  view.head_dim = head_dim_;
  return view;
}

int64_t KvCache::blocks_in_use() const { return blocks_allocated() - static_cast<int64_t>(free_.size()); }

}  // namespace xfmr
