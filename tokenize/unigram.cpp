#include <algorithm>
#include <cstdio>
#include <limits>
#include <unordered_map>

#include "core/error.hpp"
#include "tokenize/byte_trie.hpp"
#include "tokenize/models.hpp"
#include "tokenize/string_map.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

// Viterbi segmentation maximising the sum of piece scores; characters no
// piece covers become the unknown token (runs of them fused into one).
class Unigram : public Model {
 public:
  Unigram(std::vector<std::pair<std::string, double>> vocab, int32_t unk_id, bool byte_fallback)
      : unk_id_(unk_id), byte_fallback_(byte_fallback) {
    tokens_.reserve(vocab.size());
    scores_.reserve(vocab.size());
    ids_.reserve(vocab.size());
    double min_score = std::numeric_limits<double>::max();
    for (size_t i = 0; i < vocab.size(); ++i) {
      ids_.set(vocab[i].first, static_cast<int32_t>(i));
      trie_.insert(vocab[i].first, static_cast<int32_t>(i));
      min_score = std::min(min_score, vocab[i].second);
      tokens_.push_back(std::move(vocab[i].first));
      scores_.push_back(vocab[i].second);
    }
    if (unk_id_ < 0 || static_cast<size_t>(unk_id_) >= tokens_.size()) {
      throw ModelError("Unigram model has no valid unk_id");
    }
    unk_score_ = min_score - 10.0;
    if (byte_fallback_) {
      char name[8];
      for (int b = 0; b < 256; ++b) {
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        byte_ids_[b] = ids_.get(name);
      }
    }
  }

  void tokenize(std::string_view word, std::vector<ModelToken>& out) const override {
    if (word.empty()) return;
    struct Node {
      double score;
      int32_t start;  // -1: unreached
      int32_t id;
    };
    thread_local std::vector<Node> best;
    const size_t n = word.size();
    best.assign(n + 1, Node{0.0, -1, -1});
    best[0].start = 0;
    size_t pos = 0;
    while (pos < n) {
      const double base = best[pos].score;
      const size_t char_len = std::min(utf8_length(static_cast<unsigned char>(word[pos])), n - pos);
      bool single_char = false;
      trie_.prefixes(word.substr(pos), [&](int32_t id, size_t len) {
        Node& target = best[pos + len];
        double score = base + scores_[id];
        if (target.start < 0 || score > target.score) target = Node{score, static_cast<int32_t>(pos), id};
        if (len == char_len) single_char = true;
      });
      if (!single_char) {
        Node& target = best[pos + char_len];
        double score = base + unk_score_;
        if (target.start < 0 || score > target.score) target = Node{score, static_cast<int32_t>(pos), unk_id_};
      }
      pos += char_len;
    }
    // Walk back, fusing unknown runs.
    thread_local std::vector<ModelToken> path;
    path.clear();
    size_t end = n;
    while (end > 0) {
      const Node& node = best[end];
      uint32_t start = static_cast<uint32_t>(node.start);
      if (node.id == unk_id_ && !path.empty() && path.back().id == unk_id_ && path.back().begin == end) {
        path.back().begin = start;
      } else {
        path.push_back({node.id, start, static_cast<uint32_t>(end)});
      }
      end = start;
    }
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      if (it->id == unk_id_ && byte_fallback_ && emit_bytes(word, *it, out)) continue;
      out.push_back(*it);
    }
  }

  int32_t token_to_id(std::string_view token) const override { return ids_.get(token); }
  std::string_view id_to_token(int32_t id) const override {
    return id >= 0 && static_cast<size_t>(id) < tokens_.size() ? std::string_view(tokens_[id]) : std::string_view();
  }
  size_t vocab_size() const override { return tokens_.size(); }
  std::string kind() const override { return "unigram"; }

 private:
  bool emit_bytes(std::string_view word, const ModelToken& unk, std::vector<ModelToken>& out) const {
    for (uint32_t i = unk.begin; i < unk.end; ++i) {
      if (byte_ids_[static_cast<unsigned char>(word[i])] < 0) return false;
    }
    for (uint32_t i = unk.begin; i < unk.end; ++i) {
      out.push_back({byte_ids_[static_cast<unsigned char>(word[i])], unk.begin, unk.end});
    }
    return true;
  }

  std::vector<std::string> tokens_;
  std::vector<double> scores_;
  StringIdMap ids_;
  ByteTrie trie_;
  int32_t unk_id_;
  bool byte_fallback_;
  double unk_score_ = 0.0;
  int32_t byte_ids_[256] = {};
};

}  // namespace

std::unique_ptr<Model> make_unigram(std::vector<std::pair<std::string, double>> vocab, int32_t unk_id,
                                    bool byte_fallback) {
  return std::make_unique<Unigram>(std::move(vocab), unk_id, byte_fallback);
}

}  // namespace xfmr::tok
