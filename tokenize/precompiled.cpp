#include "tokenize/precompiled.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "tokenize/unicode.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

std::string decode_base64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(in.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) continue;  // padding and whitespace
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

class Precompiled : public Normalizer {
 public:
  explicit Precompiled(std::string blob) : blob_(std::move(blob)) {
    if (blob_.size() < 4) throw ModelError("tokenizer.json: precompiled_charsmap is too short");
    uint32_t trie_bytes;
    std::memcpy(&trie_bytes, blob_.data(), 4);
    if (trie_bytes % 4 != 0 || 4 + size_t(trie_bytes) > blob_.size()) {
      throw ModelError("tokenizer.json: precompiled_charsmap has a bad trie size");
    }
    units_.resize(trie_bytes / 4);
    std::memcpy(units_.data(), blob_.data() + 4, trie_bytes);
    normalized_ = std::string_view(blob_).substr(4 + trie_bytes);
  }

  void normalize(NormalizedText& text) const override {
    thread_local NormalizedText out;
    out.clear();
    const std::string_view s(text.text);
    size_t pos = 0;
    while (pos < s.size()) {
      size_t cluster = cluster_length(s, pos);
      // Rules are looked up for the whole grapheme (when short), then per
      // character, taking the first (shortest) rule that matches a prefix,
      // as tokenizers' Precompiled does.
      std::string_view replacement;
      if (cluster < 6 && lookup(s.substr(pos, cluster), replacement)) {
        out.append(replacement, text.orig_start[pos], text.orig_end[pos + cluster - 1]);
        pos += cluster;
        continue;
      }
      size_t end = pos + cluster;
      while (pos < end) {
        size_t len = utf8_length(static_cast<unsigned char>(s[pos]));
        if (pos + len > end) len = end - pos;
        if (lookup(s.substr(pos, len), replacement)) {
          out.append(replacement, text.orig_start[pos], text.orig_end[pos + len - 1]);
        } else {
          out.append_from(text, pos, pos + len);
        }
        pos += len;
      }
    }
    std::swap(text, out);
  }

 private:
  // Darts-clone unit accessors.
  static bool has_leaf(uint32_t unit) { return (unit >> 8) & 1; }
  static uint32_t value(uint32_t unit) { return unit & ((1u << 31) - 1); }
  static uint32_t label(uint32_t unit) { return unit & ((1u << 31) | 0xFF); }
  static uint32_t offset(uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

  // First (shortest) rule matching a prefix of `key`.
  bool lookup(std::string_view key, std::string_view& replacement) const {
    if (units_.empty()) return false;
    size_t node = 0;
    uint32_t unit = units_[node];
    node ^= offset(unit);
    for (size_t i = 0; i < key.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(key[i]);
      node ^= c;
      if (node >= units_.size()) return false;
      unit = units_[node];
      if (label(unit) != c) return false;
      node ^= offset(unit);
      if (node >= units_.size()) return false;
      if (has_leaf(unit)) {
        uint32_t at = value(units_[node]);
        if (at >= normalized_.size()) return false;
        size_t stop = normalized_.find('\0', at);
        if (stop == std::string_view::npos) stop = normalized_.size();
        replacement = normalized_.substr(at, stop - at);
        return true;
      }
    }
    return false;
  }

  // An extended grapheme cluster, approximated: a character with the marks,
  // joiners, variation selectors and Hangul jamo that follow it.
  static size_t cluster_length(std::string_view s, size_t pos) {
    size_t len = 0;
    uint32_t first = decode_utf8(s, pos, len);
    size_t end = pos + len;
    if (first == '\r' && end < s.size() && s[end] == '\n') return 2;
    if (first < 0x80 && (end >= s.size() || static_cast<unsigned char>(s[end]) < 0x80)) return len;
    bool joined = false;
    while (end < s.size()) {
      uint32_t next = decode_utf8(s, end, len);
      Category c = category(next);
      bool extend = c == Category::Mn || c == Category::Me || c == Category::Mc || next == 0x200D ||
                    next == 0x200C || (next >= 0xFE00 && next <= 0xFE0F) || (next >= 0x1F3FB && next <= 0x1F3FF) ||
                    (next >= 0xE0020 && next <= 0xE007F) || (next >= 0x1160 && next <= 0x11FF && first >= 0x1100);
      if (!extend && !joined) break;
      joined = next == 0x200D;
      end += len;
    }
    return end - pos;
  }

  std::string blob_;
  std::vector<uint32_t> units_;
  std::string_view normalized_;
};

}  // namespace

std::unique_ptr<Normalizer> make_precompiled(std::string_view base64_charsmap) {
  return std::make_unique<Precompiled>(decode_base64(base64_charsmap));
}

}  // namespace xfmr::tok
