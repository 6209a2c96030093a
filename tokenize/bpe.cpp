#include <algorithm>
#include <mutex>
#include <queue>
#include <unordered_map>

#include "core/error.hpp"
#include "tokenize/models.hpp"
#include "tokenize/string_map.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return hash_bytes(s); }
};

// Words seen before, with their tokens: (id, byte length) pairs. Sharded so
// that threads encoding at once rarely wait on each other.
class WordCache {
 public:
  using Tokens = std::vector<std::pair<int32_t, uint32_t>>;
  bool get(std::string_view word, Tokens& tokens) const {
    const Shard& shard = shards_[hash_bytes(word) % kShards];
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.map.find(word);
    if (it == shard.map.end()) return false;
    tokens = it->second;
    return true;
  }
  void put(std::string_view word, const Tokens& tokens) {
    Shard& shard = shards_[hash_bytes(word) % kShards];
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (shard.map.size() >= kCapacityPerShard) return;
    shard.map.emplace(std::string(word), tokens);
  }

 private:
  static constexpr size_t kShards = 16;
  static constexpr size_t kCapacityPerShard = 8192;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Tokens, StringHash, std::equal_to<>> map;
  };
  Shard shards_[kShards];
};

class Bpe : public Model {
 public:
  Bpe(std::vector<std::pair<std::string, int32_t>> vocab, const std::vector<std::pair<std::string, std::string>>& merges,
      const BpeOptions& o)
      : options_(o) {
    ids_.reserve(vocab.size());
    int32_t max_id = -1;
    for (const auto& [token, id] : vocab) max_id = std::max(max_id, id);
    tokens_.resize(static_cast<size_t>(max_id + 1));
    for (auto& [token, id] : vocab) {
      if (id < 0) throw ModelError("BPE vocabulary has a negative id for '" + token + "'");
      ids_.set(token, id);
      tokens_[id] = std::move(token);
    }
    merges_.reserve(merges.size() * 2);
    const size_t prefix_len = options_.continuing_subword_prefix.size();
    for (size_t rank = 0; rank < merges.size(); ++rank) {
      const auto& [a, b] = merges[rank];
      int32_t left = ids_.get(a), right = ids_.get(b);
      if (left < 0 || right < 0) {
        throw ModelError("BPE merge '" + a + " " + b + "' uses a token missing from the vocabulary");
      }
      std::string merged = a + (prefix_len > 0 && b.compare(0, prefix_len, options_.continuing_subword_prefix) == 0
                                    ? b.substr(prefix_len)
                                    : b);
      int32_t result = ids_.get(merged);
      if (result < 0) throw ModelError("BPE merge result '" + merged + "' is missing from the vocabulary");
      merges_.emplace(pair_key(left, right), Merge{static_cast<uint32_t>(rank), result});
    }
    if (!options_.unk_token.empty()) unk_id_ = ids_.get(options_.unk_token);
    if (options_.byte_fallback) {
      char name[8];
      for (int b = 0; b < 256; ++b) {
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        byte_ids_[b] = ids_.get(name);
      }
    }
  }

  void tokenize(std::string_view word, std::vector<ModelToken>& out) const override {
    if (word.empty()) return;
    if (options_.ignore_merges) {
      int32_t id = ids_.get(word);
      if (id >= 0) {
        out.push_back({id, 0, static_cast<uint32_t>(word.size())});
        return;
      }
    }
    thread_local WordCache::Tokens tokens;
    const bool cacheable = word.size() < 256;
    if (!(cacheable && cache_.get(word, tokens))) {
      merge_word(word, tokens);
      if (cacheable) cache_.put(word, tokens);
    }
    uint32_t pos = 0;
    for (const auto& [id, len] : tokens) {
      out.push_back({id, pos, pos + len});
      pos += len;
    }
  }

  int32_t token_to_id(std::string_view token) const override { return ids_.get(token); }
  std::string_view id_to_token(int32_t id) const override {
    return id >= 0 && static_cast<size_t>(id) < tokens_.size() ? std::string_view(tokens_[id]) : std::string_view();
  }
  size_t vocab_size() const override { return ids_.size(); }
  std::string kind() const override { return options_.byte_level ? "byte-level-bpe" : "bpe"; }
  std::string continuing_subword_prefix() const override { return options_.continuing_subword_prefix; }

 private:
  struct Merge {
    uint32_t rank;
    int32_t result;
  };
  struct Symbol {
    int32_t id;
    uint32_t len;  // bytes; 0 once merged into its left neighbour
    int32_t prev;
    int32_t next;
  };
  struct Candidate {
    uint32_t rank;
    int32_t pos;
    int32_t result;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };

  static uint64_t pair_key(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }

  // Initial symbols: one per character (prefix / suffix applied), byte
  // fallback or unknown for characters outside the vocabulary.
  void initial_symbols(std::string_view word, std::vector<Symbol>& symbols) const {
    thread_local std::string key;
    symbols.clear();
    int32_t unk_len = 0;  // pending unknown run (bytes), fused or not
    auto flush_unk = [&] {
      if (unk_len > 0) symbols.push_back({unk_id_, static_cast<uint32_t>(unk_len), -1, -1});
      unk_len = 0;
    };
    size_t pos = 0;
    while (pos < word.size()) {
      size_t len = utf8_length(static_cast<unsigned char>(word[pos]));
      if (pos + len > word.size()) len = word.size() - pos;
      std::string_view ch = word.substr(pos, len);
      int32_t id;
      const bool has_affix = (pos > 0 && !options_.continuing_subword_prefix.empty()) ||
                             (pos + len == word.size() && !options_.end_of_word_suffix.empty());
      if (has_affix) {
        key.clear();
        if (pos > 0) key += options_.continuing_subword_prefix;
        key.append(ch);
        if (pos + len == word.size()) key += options_.end_of_word_suffix;
        id = ids_.get(key);
      } else {
        id = ids_.get(ch);
      }
      if (id >= 0) {
        flush_unk();
        symbols.push_back({id, static_cast<uint32_t>(len), -1, -1});
      } else if (options_.byte_fallback && all_bytes_known(ch)) {
        flush_unk();
        for (unsigned char b : ch) symbols.push_back({byte_ids_[b], 1, -1, -1});
      } else if (unk_id_ >= 0) {
        if (unk_len > 0 && !options_.fuse_unk) flush_unk();
        unk_len += static_cast<int32_t>(len);
      }
      pos += len;
    }
    flush_unk();
  }

  bool all_bytes_known(std::string_view ch) const {
    for (unsigned char b : ch) {
      if (byte_ids_[b] < 0) return false;
    }
    return true;
  }

  void merge_word(std::string_view word, WordCache::Tokens& tokens) const {
    thread_local std::vector<Symbol> symbols;
    thread_local std::vector<Candidate> heap_storage;
    initial_symbols(word, symbols);
    const int32_t n = static_cast<int32_t>(symbols.size());
    for (int32_t i = 0; i < n; ++i) {
      symbols[i].prev = i - 1;
      symbols[i].next = i + 1 < n ? i + 1 : -1;
    }
    heap_storage.clear();
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap(std::greater<Candidate>(),
                                                                                         std::move(heap_storage));
    auto consider = [&](int32_t pos) {
      int32_t next = symbols[pos].next;
      if (next < 0) return;
      auto it = merges_.find(pair_key(symbols[pos].id, symbols[next].id));
      if (it != merges_.end()) heap.push({it->second.rank, pos, it->second.result});
    };
    for (int32_t i = 0; i + 1 < n; ++i) consider(i);
    while (!heap.empty()) {
      Candidate top = heap.top();
      heap.pop();
      Symbol& left = symbols[top.pos];
      if (left.len == 0 || left.next < 0) continue;
      Symbol& right = symbols[left.next];
      auto it = merges_.find(pair_key(left.id, right.id));
      if (it == merges_.end() || it->second.result != top.result) continue;
      left.id = top.result;
      left.len += right.len;
      right.len = 0;
      left.next = right.next;
      if (left.next >= 0) symbols[left.next].prev = top.pos;
      if (left.prev >= 0) consider(left.prev);
      consider(top.pos);
    }
    tokens.clear();
    for (int32_t i = 0; i < n; ++i) {
      if (symbols[i].len > 0) tokens.emplace_back(symbols[i].id, symbols[i].len);
    }
  }

  std::vector<std::string> tokens_;
  StringIdMap ids_;
  std::unordered_map<uint64_t, Merge> merges_;
  BpeOptions options_;
  int32_t unk_id_ = -1;
  int32_t byte_ids_[256] = {};
  mutable WordCache cache_;
};

}  // namespace

std::unique_ptr<Model> make_bpe(std::vector<std::pair<std::string, int32_t>> vocab,
                                const std::vector<std::pair<std::string, std::string>>& merges,
                                const BpeOptions& options) {
  return std::make_unique<Bpe>(std::move(vocab), merges, options);
}

}  // namespace xfmr::tok
