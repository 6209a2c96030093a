#pragma once
// A byte trie from strings to ids: the Viterbi pass of Unigram and the added
// tokens' matcher both look up every key that is a prefix of a text.
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace xfmr::tok {

class ByteTrie {
 public:
  void insert(std::string_view key, int32_t value) {
    uint32_t node = 0;
    for (unsigned char c : key) {
      auto [it, added] = children_.try_emplace(edge(node, c), static_cast<uint32_t>(values_.size()));
      if (added) values_.push_back(-1);
      node = it->second;
    }
    values_[node] = value;
  }
  bool empty() const { return values_.size() <= 1; }

  // Calls found(value, length) for every key that is a prefix of `text`, shortest first.
  template <class Found>
  void prefixes(std::string_view text, Found found) const {
    uint32_t node = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      auto it = children_.find(edge(node, static_cast<unsigned char>(text[i])));
      if (it == children_.end()) return;
      node = it->second;
      if (values_[node] >= 0) found(values_[node], i + 1);
    }
  }

 private:
  static uint64_t edge(uint32_t node, unsigned char c) { return (static_cast<uint64_t>(node) << 8) | c; }
  std::unordered_map<uint64_t, uint32_t> children_;
  std::vector<int32_t> values_{-1};  // per node: the id of the key ending there, or -1
};

}  // namespace xfmr::tok
