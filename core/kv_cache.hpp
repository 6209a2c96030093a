#pragma once
// KvCache: the self-attention keys and values of many rows (prompts, sampled
// copies, beams), each row with its own length, stored in blocks of
// kBlockSize positions that rows share by reference:
//  - a prompt's prefill is written once and shared by its copies (share());
//  - beam search's reorder() only swaps block tables and reference counts;
//  - a row about to write into a block it shares copies that block first
//    (copy on write: at most the filled part of one block per row and step).
// Memory is a pool of blocks that grows by doubling (rare); steady-state
// steps allocate nothing.
//
//   KvCache cache(layers, kv_heads, head_dim);
//   cache.reset(rows, expected_length);        // every row empty
//   cache.extend(row, n);                      // positions length .. length+n-1
//   cache.write(layer, row, position, k, v);   // k, v: [kv_heads * head_dim]
//   cache.share(row_b, row_a);                 // row_b = row_a, no copy
//   attend_cached(q, cache.view(layer, row), ...);   // ops/cached_attention.hpp
//   cache.reorder(parents);                    // row r = old row parents[r]
//
// Block layout: [layer][key | value][kv_head][slot][head_dim], so one head's
// keys of a block are contiguous (KvView's key_offset / head_stride).
// The encoder-decoder decoders reuse it as is for their self-attention;
// their cross-attention keys / values (fixed per input) need no cache.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/ops/cached_attention.hpp"

namespace xfmr {

class KvCache {
 public:
  static constexpr int64_t kBlockSize = 16;

  KvCache(int64_t layers, int64_t kv_heads, int64_t head_dim);

  // Forgets every row; the cache then holds `rows` empty rows. The pool is
  // sized (kept if large enough) for rows * expected_length positions.
  void reset(int64_t rows, int64_t expected_length);

  int64_t rows() const { return static_cast<int64_t>(rows_.size()); }
  int64_t length(int64_t row) const { return rows_[static_cast<size_t>(row)].length; }

  // Grows `row` by `count` positions; write them for every layer before
  // attending to them.
  void extend(int64_t row, int64_t count);
  // Stores the keys and values ([kv_heads * head_dim] each) of one position.
  void write(int64_t layer, int64_t row, int64_t position, const float* key, const float* value);
  // Row `target` becomes a copy of row `source` (block references, no data).
  void share(int64_t target, int64_t source);
  // Row r takes the content row parents[r] had; parents.size() == rows().
  void reorder(std::span<const int32_t> parents);

  KvView view(int64_t layer, int64_t row) const;

  // Blocks in use and allocated, for tests and benchmarks.
  int64_t blocks_in_use() const;
  int64_t blocks_allocated() const { return static_cast<int64_t>(base_.size()); }

 private:
  struct Row {
    std::vector<int32_t> blocks;  // block ids in position order
    std::vector<const float*> bases;
    int64_t length = 0;
  };

  int32_t take_block();
  void release(int32_t block);
  void grow(int64_t blocks);
  void copy_filled(int32_t from, int32_t to, int64_t slots);
  void assign(Row& target, const Row& source);

  int64_t layers_, kv_heads_, head_dim_;
  int64_t block_floats_;
  std::vector<std::unique_ptr<float[]>> chunks_;
  std::vector<float*> base_;     // per block id
  std::vector<int32_t> refs_;    // per block id
  std::vector<int32_t> free_;    // ids of unused blocks
  std::vector<Row> rows_, spare_rows_;
  int64_t blocks_per_row_ = 0;   // capacity reserved in each row's table
};

}  // namespace xfmr
