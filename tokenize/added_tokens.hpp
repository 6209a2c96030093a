#pragma once
// Tokens added on top of a model's vocabulary (special tokens and user
// tokens), found in the text before the model sees it, with their lstrip /
// rstrip / single_word / normalized options as tokenizers applies them.
#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenize/byte_trie.hpp"
#include "tokenize/components.hpp"

namespace xfmr::tok {

struct AddedToken {
  std::string content;
  int32_t id = -1;
  bool special = false;
  bool lstrip = false;
  bool rstrip = false;
  bool single_word = false;
  bool normalized = false;
};

// A match of an added token: byte range (whitespace taken by lstrip/rstrip
// included) and the token's id.
struct AddedMatch {
  uint32_t begin;
  uint32_t end;
  int32_t id;
};

class AddedTokenMatcher {
 public:
  void add(std::string_view pattern, size_t token_index);
  bool empty() const { return trie_.empty(); }
  // Leftmost-longest, non-overlapping matches, filtered and extended by the
  // tokens' options.
  void find(std::string_view text, const std::vector<AddedToken>& tokens, std::vector<AddedMatch>& out) const;

 private:
  ByteTrie trie_;  // pattern → token index
  std::bitset<256> first_bytes_;
};

class AddedVocabulary {
 public:
  // Adds a token, or updates the options of one with the same content.
  void add(const AddedToken& token);
  // Builds the matchers; normalized tokens are matched in normalized text, so
  // their content is normalized with `normalizer` first.
  void build(const Normalizer* normalizer);

  const std::vector<AddedToken>& tokens() const { return tokens_; }
  const AddedToken* find_id(int32_t id) const;
  const AddedToken* find_content(std::string_view content) const;
  bool is_special(int32_t id) const {
    const AddedToken* t = find_id(id);
    return t != nullptr && t->special;
  }
  const AddedTokenMatcher& raw_matcher() const { return raw_; }
  const AddedTokenMatcher& normalized_matcher() const { return normalized_; }

 private:
  std::vector<AddedToken> tokens_;
  std::unordered_map<int32_t, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_content_;
  AddedTokenMatcher raw_;
  AddedTokenMatcher normalized_;
};

}  // namespace xfmr::tok
