// KvCache: per-row lengths, shared blocks, copy on write and reorder, checked
// against a plain per-row copy of everything written.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <vector>

#include "core/kv_cache.hpp"

using namespace xfmr;

namespace {

constexpr int64_t kLayers = 2, kKvHeads = 3, kHeadDim = 4;
constexpr int64_t kWidth = kKvHeads * kHeadDim;

// What the cache must hold: per row, per position, per layer, key and value.
using Position = std::vector<std::vector<float>>;  // [layer] -> k | v  (2 * width)
using RowContent = std::vector<Position>;

void append(KvCache& cache, std::vector<RowContent>& model, int64_t row, int64_t count, std::mt19937& rng) {
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  const int64_t first = cache.length(row);
  cache.extend(row, count);
  for (int64_t p = first; p < first + count; ++p) {
    Position position(kLayers, std::vector<float>(2 * kWidth));
    for (int64_t layer = 0; layer < kLayers; ++layer) {
      for (float& v : position[static_cast<size_t>(layer)]) v = value(rng);
      const float* kv = position[static_cast<size_t>(layer)].data();
      cache.write(layer, row, p, kv, kv + kWidth);
    }
    model[static_cast<size_t>(row)].push_back(position);
  }
}

void check_equal(const KvCache& cache, const std::vector<RowContent>& model) {
  for (int64_t row = 0; row < cache.rows(); ++row) {
    const RowContent& expected = model[static_cast<size_t>(row)];
    REQUIRE(cache.length(row) == static_cast<int64_t>(expected.size()));
    for (int64_t layer = 0; layer < kLayers; ++layer) {
      const KvView view = cache.view(layer, row);
      for (int64_t p = 0; p < view.length; ++p) {
        const float* block = view.blocks[p / view.block_size];
        for (int64_t g = 0; g < kKvHeads; ++g) {
          const float* k = block + view.key_offset + g * view.head_stride + (p % view.block_size) * kHeadDim;
          const float* v = block + view.value_offset + g * view.head_stride + (p % view.block_size) * kHeadDim;
          const auto& kv = expected[static_cast<size_t>(p)][static_cast<size_t>(layer)];
          for (int64_t i = 0; i < kHeadDim; ++i) {
            REQUIRE(k[i] == kv[static_cast<size_t>(g * kHeadDim + i)]);
            REQUIRE(v[i] == kv[static_cast<size_t>(kWidth + g * kHeadDim + i)]);
          }
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("KvCache: shared prompts, copy on write and random reorders keep every row's content") {
  std::mt19937 rng(3);
  KvCache cache(kLayers, kKvHeads, kHeadDim);
  for (int round = 0; round < 3; ++round) {
    const int64_t prompts = 2, copies = 4, rows = prompts * copies;
    cache.reset(rows, 8);
    std::vector<RowContent> model(static_cast<size_t>(rows));
    // Prompts of lengths across a block boundary, shared by their copies.
    for (int64_t p = 0; p < prompts; ++p) {
      append(cache, model, p * copies, 5 + 13 * p + round, rng);
      for (int64_t c = 1; c < copies; ++c) {
        cache.share(p * copies + c, p * copies);
        model[static_cast<size_t>(p * copies + c)] = model[static_cast<size_t>(p * copies)];
      }
    }
    check_equal(cache, model);
    for (int step = 0; step < 40; ++step) {
      for (int64_t r = 0; r < rows; ++r) append(cache, model, r, 1, rng);
      // Beams: each row continues a row of its own prompt.
      std::vector<int32_t> parents(static_cast<size_t>(rows));
      for (int64_t r = 0; r < rows; ++r) {
        std::uniform_int_distribution<int32_t> pick(0, static_cast<int32_t>(copies - 1));
        parents[static_cast<size_t>(r)] = static_cast<int32_t>(r / copies * copies) + pick(rng);
      }
      cache.reorder(parents);
      std::vector<RowContent> moved;
      for (int32_t p : parents) moved.push_back(model[static_cast<size_t>(p)]);
      model = std::move(moved);
      check_equal(cache, model);
      // Rows hold at most their own blocks; shared ones count once.
      int64_t most = 0;
      for (int64_t r = 0; r < rows; ++r) most += (cache.length(r) + KvCache::kBlockSize - 1) / KvCache::kBlockSize;
      CHECK(cache.blocks_in_use() <= most);
    }
  }
}

TEST_CASE("KvCache: a prompt shared by its copies is stored once") {
  KvCache cache(kLayers, kKvHeads, kHeadDim);
  std::mt19937 rng(5);
  cache.reset(4, 64);
  std::vector<RowContent> model(4);
  append(cache, model, 0, 40, rng);  // 3 blocks, the last one partly filled
  for (int64_t r = 1; r < 4; ++r) {
    cache.share(r, 0);
    model[static_cast<size_t>(r)] = model[0];
  }
  CHECK(cache.blocks_in_use() == 3);
  // Each row's first new token copies only the shared tail block.
  for (int64_t r = 0; r < 4; ++r) append(cache, model, r, 1, rng);
  CHECK(cache.blocks_in_use() == 2 + 4);  // 2 full blocks still shared; 3 tail copies + the original tail
  check_equal(cache, model);
  const int64_t allocated = cache.blocks_allocated();
  cache.reset(4, 64);
  CHECK(cache.blocks_in_use() == 0);
  CHECK(cache.blocks_allocated() == allocated);
}
