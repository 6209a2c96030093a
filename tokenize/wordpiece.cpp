#include <algorithm>

#include "core/error.hpp"
#include "tokenize/models.hpp"
#include "tokenize/string_map.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

// Greedy longest-match-first over each word, continuing pieces carrying a
// prefix ("##"); a word with any unmatchable part becomes one unknown token.
class WordPiece : public Model {
 public:
  WordPiece(std::vector<std::string> vocab, const WordPieceOptions& o) : tokens_(std::move(vocab)), options_(o) {
    ids_.reserve(tokens_.size());
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (!tokens_[i].empty() || i == 0) ids_.set(tokens_[i], static_cast<int32_t>(i));
      max_token_bytes_ = std::max(max_token_bytes_, tokens_[i].size());
    }
    unk_id_ = ids_.get(options_.unk_token);
    if (unk_id_ < 0) throw ModelError("WordPiece vocabulary lacks its unknown token '" + options_.unk_token + "'");
  }

  void tokenize(std::string_view word, std::vector<ModelToken>& out) const override {
    if (count_code_points(word) > options_.max_input_chars_per_word) {
      out.push_back({unk_id_, 0, static_cast<uint32_t>(word.size())});
      return;
    }
    thread_local std::string key;
    const size_t first = out.size();
    const std::string& prefix = options_.continuing_subword_prefix;
    size_t start = 0;
    while (start < word.size()) {
      const size_t prefix_len = start > 0 ? prefix.size() : 0;
      size_t end = word.size();
      if (end - start + prefix_len > max_token_bytes_) end = start + (max_token_bytes_ - std::min(max_token_bytes_, prefix_len));
      while (end > start && end < word.size() && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
      int32_t found = -1;
      while (end > start) {
        if (prefix_len > 0) {
          key.assign(prefix);
          key.append(word.substr(start, end - start));
          found = ids_.get(key);
        } else {
          found = ids_.get(word.substr(start, end - start));
        }
        if (found >= 0) break;
        --end;
        while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
      }
      if (found < 0) {
        out.resize(first);
        out.push_back({unk_id_, 0, static_cast<uint32_t>(word.size())});
        return;
      }
      out.push_back({found, static_cast<uint32_t>(start), static_cast<uint32_t>(end)});
      start = end;
    }
  }

  int32_t token_to_id(std::string_view token) const override { return ids_.get(token); }
  std::string_view id_to_token(int32_t id) const override {
    return id >= 0 && static_cast<size_t>(id) < tokens_.size() ? std::string_view(tokens_[id]) : std::string_view();
  }
  size_t vocab_size() const override { return tokens_.size(); }
  std::string kind() const override { return "wordpiece"; }
  std::string continuing_subword_prefix() const override { return options_.continuing_subword_prefix; }

 private:
  std::vector<std::string> tokens_;
  StringIdMap ids_;
  WordPieceOptions options_;
  int32_t unk_id_ = -1;
  size_t max_token_bytes_ = 0;
};

}  // namespace

std::unique_ptr<Model> make_wordpiece(std::vector<std::string> vocab, const WordPieceOptions& options) {
  return std::make_unique<WordPiece>(std::move(vocab), options);
}

}  // namespace xfmr::tok
