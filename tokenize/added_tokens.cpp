#include "tokenize/added_tokens.hpp"

#include "tokenize/normalizers.hpp"
#include "tokenize/unicode.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

// Code point ending at byte `end` (exclusive), for looking left.
uint32_t code_point_before(std::string_view text, size_t end, size_t& start) {
  start = end - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  size_t len = 0;
  return decode_utf8(text, start, len);
}

}  // namespace

void AddedTokenMatcher::add(std::string_view pattern, size_t token_index) {
  if (pattern.empty()) return;
  trie_.insert(pattern, static_cast<int32_t>(token_index));
  first_bytes_.set(static_cast<unsigned char>(pattern[0]));
}

void AddedTokenMatcher::find(std::string_view text, const std::vector<AddedToken>& tokens,
                             std::vector<AddedMatch>& out) const {
  if (empty()) return;
  size_t start_offset = 0;  // end of the previous match
  size_t pos = 0;
  while (pos < text.size()) {
    if (!first_bytes_.test(static_cast<unsigned char>(text[pos]))) {
      ++pos;
      continue;
    }
    // Longest pattern starting here (the trie reports them shortest first).
    int32_t best = -1;
    size_t best_end = 0;
    trie_.prefixes(text.substr(pos), [&](int32_t index, size_t length) {
      best = index;
      best_end = pos + length;
    });
    if (best < 0) {
      ++pos;
      continue;
    }
    const AddedToken& token = tokens[best];
    size_t begin = pos, end = best_end;
    pos = best_end;
    size_t len = 0, before = 0;
    if (token.single_word) {
      bool word_before = begin > 0 && is_word_char(code_point_before(text, begin, before));
      bool word_after = end < text.size() && is_word_char(decode_utf8(text, end, len));
      if (word_before || word_after) continue;
    }
    if (token.lstrip) {
      size_t at = begin;
      while (at > start_offset && is_white_space(code_point_before(text, at, before))) at = before;
      begin = at;
    }
    if (token.rstrip) {
      while (end < text.size() && is_white_space(decode_utf8(text, end, len))) end += len;
      pos = end;
    }
    out.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), token.id});
    start_offset = end;
  }
}

void AddedVocabulary::add(const AddedToken& token) {
  if (token.content.empty()) return;
  auto it = by_content_.find(token.content);
  if (it != by_content_.end()) {
    AddedToken& existing = tokens_[it->second];
    by_id_.erase(existing.id);
    existing = token;
    by_id_[token.id] = it->second;
    return;
  }
  by_content_.emplace(token.content, tokens_.size());
  by_id_[token.id] = tokens_.size();
  tokens_.push_back(token);
}

void AddedVocabulary::build(const Normalizer* normalizer) {
  raw_ = AddedTokenMatcher();
  normalized_ = AddedTokenMatcher();
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& t = tokens_[i];
    if (t.normalized) {
      normalized_.add(normalize_string(normalizer, t.content), i);
    } else {
      raw_.add(t.content, i);
    }
  }
}

const AddedToken* AddedVocabulary::find_id(int32_t id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

const AddedToken* AddedVocabulary::find_content(std::string_view content) const {
  auto it = by_content_.find(std::string(content));
  return it == by_content_.end() ? nullptr : &tokens_[it->second];
}

}  // namespace xfmr::tok
