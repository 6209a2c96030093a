#pragma once
// Shared plumbing of the pre-tokenizers: splitting spans in place, and
// rebuilding the buffer when a pre-tokenizer rewrites text.
#include <utility>
#include <vector>

#include "tokenize/normalized.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {

using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;

// Replaces each text span by the pieces `split(text, ranges)` finds in it
// (ranges relative to the span); the buffer is left as it is.
template <class Split>
void split_spans(Pieces& pieces, Split split) {
  thread_local std::vector<Span> spans;
  thread_local Ranges ranges;
  spans.clear();
  for (const Span& s : pieces.spans) {
    if (s.added_id >= 0) {
      spans.push_back(s);
      continue;
    }
    ranges.clear();
    split(pieces.text(s), ranges);
    for (const auto& [b, e] : ranges) spans.push_back({s.begin + b, s.begin + e, -1});
  }
  pieces.spans.swap(spans);
}

// Splits on single characters for which `is_delimiter(cp)` holds.
template <class Pred>
void split_on_chars(std::string_view text, Pred is_delimiter, SplitBehavior behavior, Ranges& out) {
  thread_local std::vector<MatchRange> matches;
  matches.clear();
  size_t pos = 0, gap = 0, len = 0;
  while (pos < text.size()) {
    uint32_t cp = decode_utf8(text, pos, len);
    if (is_delimiter(cp)) {
      if (pos > gap) matches.push_back({uint32_t(gap), uint32_t(pos), false});
      matches.push_back({uint32_t(pos), uint32_t(pos + len), true});
      gap = pos + len;
    }
    pos += len;
  }
  if (text.size() > gap) matches.push_back({uint32_t(gap), uint32_t(text.size()), false});
  apply_split_behavior(matches, behavior, out);
}

}  // namespace xfmr::tok
