#pragma once
// Text on its way through normalizers and pre-tokenizers: the current bytes,
// and for every byte the range of original bytes its character came from, so
// that token offsets can be mapped back to the input.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xfmr::tok {

struct NormalizedText {
  std::string text;
  std::vector<uint32_t> orig_start;  // per byte of text
  std::vector<uint32_t> orig_end;    // per byte of text

  size_t size() const { return text.size(); }
  void clear() {
    text.clear();
    orig_start.clear();
    orig_end.clear();
  }
  // Appends the bytes of one or more characters, all aligned to [start, end).
  void append(std::string_view bytes, uint32_t start, uint32_t end) {
    text.append(bytes);
    orig_start.insert(orig_start.end(), bytes.size(), start);
    orig_end.insert(orig_end.end(), bytes.size(), end);
  }
  void append_code_point(uint32_t cp, uint32_t start, uint32_t end);
  // Copies bytes [begin, end) of `from` with their alignment.
  void append_from(const NormalizedText& from, size_t begin, size_t end) {
    text.append(from.text, begin, end - begin);
    orig_start.insert(orig_start.end(), from.orig_start.begin() + begin, from.orig_start.begin() + end);
    orig_end.insert(orig_end.end(), from.orig_end.begin() + begin, from.orig_end.begin() + end);
  }
  // The original text itself, byte offsets shifted by `base`.
  void assign_original(std::string_view original, uint32_t base);
};

// A run of text to tokenize, or an added token already recognised.
struct Span {
  uint32_t begin = 0;  // bytes in Pieces::buffer
  uint32_t end = 0;
  int32_t added_id = -1;
};

// The pre-tokenized form of one sequence: every span refers to `buffer`.
struct Pieces {
  NormalizedText buffer;
  std::vector<Span> spans;
  void clear() {
    buffer.clear();
    spans.clear();
  }
  std::string_view text(const Span& s) const {
    return std::string_view(buffer.text).substr(s.begin, s.end - s.begin);
  }
};

// How a matched delimiter is kept when splitting (tokenizers'
// SplitDelimiterBehavior).
enum class SplitBehavior { removed, isolated, merged_with_previous, merged_with_next, contiguous };

// One piece of a split: [begin, end) with whether it matched the pattern.
struct MatchRange {
  uint32_t begin;
  uint32_t end;
  bool is_match;
};

// Turns a covering list of ranges into the resulting pieces (non-empty,
// in order), appended to `out` as [begin, end) pairs.
void apply_split_behavior(const std::vector<MatchRange>& ranges, SplitBehavior behavior,
                          std::vector<std::pair<uint32_t, uint32_t>>& out);

}  // namespace xfmr::tok
