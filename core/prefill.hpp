#pragma once
// How the token rows of one pass of a cached decoder (DecoderSession,
// Seq2SeqSession) map onto cache rows: at start() every prompt's tokens once,
// in one batch, whose copies (beams, samples) then share the prompt's cache
// blocks and logits; at step() one token per row.
#include <cstdint>
#include <span>
#include <vector>

#include "core/kv_cache.hpp"

namespace xfmr {

// Token rows [begin, begin + count) of a pass go to cache row `row`, at
// positions position .. position + count - 1.
struct CacheSegment {
  int64_t row;
  int64_t begin;
  int64_t count;
  int64_t position;
};

struct PassLayout {
  std::vector<int32_t> tokens;         // every prompt once, one after the other
  std::vector<CacheSegment> segments;  // prompt p → cache row p * copies
  std::vector<int64_t> last_rows;      // each prompt's last token row: its logits

  // Lays the prompts out and extends their first rows in `cache` (already reset).
  void prompts(const std::vector<std::vector<int32_t>>& prompts, int64_t copies, KvCache& cache);
  // One new token for each of the cache's rows, which are extended by one.
  void one_token_per_row(KvCache& cache);
};

// After the pass wrote each prompt's logits at row p * copies of `logits`
// ([rows, vocab]): the other copies get the same logits and share the cache.
void share_prompt_copies(KvCache& cache, int64_t prompts, int64_t copies, std::span<float> logits, int64_t vocab);

}  // namespace xfmr
