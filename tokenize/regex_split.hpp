#pragma once
// Hand-written matchers for the pre-tokenization regexes that real
// tokenizer.json files use (std::regex is too slow and lacks \p{L}):
//   GPT-2:   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//   Llama 3: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//            ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+   (Qwen 2: \p{N} alone)
// plus a few trivial ones. Anything else is refused by name.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/normalized.hpp"

namespace xfmr::tok {

class RegexMatcher {
 public:
  virtual ~RegexMatcher() = default;
  // Appends the matches in `text` as (begin, end, is_match=true) ranges, with
  // the gaps between them as non-matches, covering the whole text.
  virtual void find(std::string_view text, std::vector<MatchRange>& out) const = 0;
};

// nullptr when the pattern is not one we know.
std::unique_ptr<RegexMatcher> make_regex_matcher(const std::string& pattern);

// The GPT-2 pattern, used by the ByteLevel pre-tokenizer.
const RegexMatcher& gpt2_matcher();

}  // namespace xfmr::tok
