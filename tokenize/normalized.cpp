#include "tokenize/normalized.hpp"

#include "tokenize/utf8.hpp"

namespace xfmr::tok {

void NormalizedText::append_code_point(uint32_t cp, uint32_t start, uint32_t end) {
  size_t before = text.size();
  append_utf8(text, cp);
  size_t added = text.size() - before;
  orig_start.insert(orig_start.end(), added, start);
  orig_end.insert(orig_end.end(), added, end);
}

void NormalizedText::assign_original(std::string_view original, uint32_t base) {
  text.assign(original);
  orig_start.resize(original.size());
  orig_end.resize(original.size());
  size_t pos = 0;
  while (pos < original.size()) {
    size_t len = utf8_length(static_cast<unsigned char>(original[pos]));
    if (pos + len > original.size()) len = original.size() - pos;
    for (size_t k = 0; k < len; ++k) {
      orig_start[pos + k] = base + static_cast<uint32_t>(pos);
      orig_end[pos + k] = base + static_cast<uint32_t>(pos + len);
    }
    pos += len;
  }
}

void apply_split_behavior(const std::vector<MatchRange>& ranges, SplitBehavior behavior,
                          std::vector<std::pair<uint32_t, uint32_t>>& out) {
  size_t first = out.size();
  switch (behavior) {
    case SplitBehavior::removed:
      for (const auto& r : ranges) {
        if (!r.is_match) out.emplace_back(r.begin, r.end);
      }
      break;
    case SplitBehavior::isolated:
      for (const auto& r : ranges) out.emplace_back(r.begin, r.end);
      break;
    case SplitBehavior::merged_with_previous: {
      bool previous_match = false;
      for (const auto& r : ranges) {
        if (r.is_match && !previous_match && out.size() > first) {
          out.back().second = r.end;
        } else {
          out.emplace_back(r.begin, r.end);
        }
        previous_match = r.is_match;
      }
      break;
    }
    case SplitBehavior::merged_with_next: {
      // Walk backwards: a match joins the piece that follows it.
      bool next_match = false;
      std::vector<std::pair<uint32_t, uint32_t>> reversed;
      for (size_t i = ranges.size(); i-- > 0;) {
        const auto& r = ranges[i];
        if (r.is_match && !next_match && !reversed.empty()) {
          reversed.back().first = r.begin;
        } else {
          reversed.emplace_back(r.begin, r.end);
        }
        next_match = r.is_match;
      }
      out.insert(out.end(), reversed.rbegin(), reversed.rend());
      break;
    }
    case SplitBehavior::contiguous: {
      bool previous_match = false;
      for (const auto& r : ranges) {
        if (r.is_match == previous_match && out.size() > first) {
          out.back().second = r.end;
        } else {
          out.emplace_back(r.begin, r.end);
        }
        previous_match = r.is_match;
      }
      break;
    }
  }
  // Empty pieces are dropped, as tokenizers does.
  size_t keep = first;
  for (size_t i = first; i < out.size(); ++i) {
    if (out[i].second > out[i].first) out[keep++] = out[i];
  }
  out.resize(keep);
}

}  // namespace xfmr::tok
