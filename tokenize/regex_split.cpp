#include "tokenize/regex_split.hpp"

#include "tokenize/unicode.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

enum class CharClass : uint8_t { letter, number, space, other };

struct Char {
  uint32_t cp;
  uint32_t pos;  // byte offset
  CharClass cls;
};

CharClass classify(uint32_t cp) {
  if (cp < 0x80) {
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return CharClass::letter;
    if (cp >= '0' && cp <= '9') return CharClass::number;
    if (is_white_space(cp)) return CharClass::space;
    return CharClass::other;
  }
  if (is_white_space(cp)) return CharClass::space;
  Category c = category(cp);
  if (is_letter(c)) return CharClass::letter;
  if (is_number(c)) return CharClass::number;
  return CharClass::other;
}

void decode_chars(std::string_view text, std::vector<Char>& chars) {
  chars.clear();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t len = 0;
    uint32_t cp = decode_utf8(text, pos, len);
    chars.push_back({cp, static_cast<uint32_t>(pos), classify(cp)});
    pos += len;
  }
  chars.push_back({0, static_cast<uint32_t>(text.size()), CharClass::other});  // sentinel
}

struct Style {
  bool case_insensitive_contractions;
  bool llama3;         // [^\r\n\p{L}\p{N}]?\p{L}+ and the newline rules
  size_t max_digits;   // 0: unbounded (GPT-2 " ?\p{N}+")
};

// Length (in chars) of a contraction at i, or 0.
size_t contraction(const std::vector<Char>& c, size_t i, size_t n, bool fold) {
  if (c[i].cp != '\'' || i + 1 >= n) return 0;
  auto lower = [&](size_t k) -> uint32_t {
    uint32_t cp = c[k].cp;
    return (fold && cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
  };
  uint32_t a = lower(i + 1);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if (i + 2 < n) {
    uint32_t b = lower(i + 2);
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  }
  return 0;
}

bool is_newline(uint32_t cp) { return cp == '\r' || cp == '\n'; }

class TiktokenStyleMatcher : public RegexMatcher {
 public:
  explicit TiktokenStyleMatcher(Style style) : style_(style) {}
  void find(std::string_view text, std::vector<MatchRange>& out) const override {
    thread_local std::vector<Char> chars;
    decode_chars(text, chars);
    const size_t n = chars.size() - 1;
    size_t i = 0;
    while (i < n) {
      size_t end = match_at(chars, i, n);
      out.push_back({chars[i].pos, chars[end].pos, true});
      i = end;
    }
  }

 private:
  size_t run(const std::vector<Char>& c, size_t i, size_t n, CharClass cls) const {
    while (i < n && c[i].cls == cls) ++i;
    return i;
  }

  // End (char index) of the match starting at i; always > i.
  size_t match_at(const std::vector<Char>& c, size_t i, size_t n) const {
    if (size_t k = contraction(c, i, n, style_.case_insensitive_contractions)) return i + k;
    const CharClass cls = c[i].cls;
    // Letters, with one optional leading char.
    if (cls == CharClass::letter) return run(c, i, n, CharClass::letter);
    if (i + 1 < n && c[i + 1].cls == CharClass::letter) {
      bool prefix_ok = style_.llama3 ? (cls != CharClass::number && !is_newline(c[i].cp)) : c[i].cp == ' ';
      if (prefix_ok) return run(c, i + 1, n, CharClass::letter);
    }
    // Numbers.
    if (cls == CharClass::number) {
      size_t end = run(c, i, n, CharClass::number);
      if (style_.max_digits != 0 && end - i > style_.max_digits) end = i + style_.max_digits;
      return end;
    }
    if (!style_.llama3 && c[i].cp == ' ' && i + 1 < n && c[i + 1].cls == CharClass::number) {
      return run(c, i + 1, n, CharClass::number);
    }
    // Other symbols, with one optional leading space.
    size_t other_start = (c[i].cp == ' ' && i + 1 < n && c[i + 1].cls == CharClass::other) ? i + 1 : i;
    if (c[other_start].cls == CharClass::other && other_start < n) {
      size_t end = run(c, other_start, n, CharClass::other);
      if (style_.llama3) {
        while (end < n && is_newline(c[end].cp)) ++end;
      }
      return end;
    }
    // Whitespace.
    size_t end = run(c, i, n, CharClass::space);
    if (style_.llama3) {
      // \s*[\r\n]+ : up to the last newline of the run.
      for (size_t k = end; k > i; --k) {
        if (is_newline(c[k - 1].cp)) return k;
      }
    }
    if (end == n) return end;             // \s+(?!\S) at the end of the text
    if (end - i >= 2) return end - 1;     // leave one space for the next word
    return end;                           // \s+
  }

  Style style_;
};

// A pattern matching each whitespace run (\s+).
class WhitespaceRunMatcher : public RegexMatcher {
 public:
  void find(std::string_view text, std::vector<MatchRange>& out) const override {
    size_t pos = 0, len = 0;
    size_t gap = 0;
    while (pos < text.size()) {
      uint32_t cp = decode_utf8(text, pos, len);
      if (!is_white_space(cp)) {
        pos += len;
        continue;
      }
      size_t start = pos;
      while (pos < text.size() && is_white_space(decode_utf8(text, pos, len))) pos += len;
      if (start > gap) out.push_back({uint32_t(gap), uint32_t(start), false});
      out.push_back({uint32_t(start), uint32_t(pos), true});
      gap = pos;
    }
    if (text.size() > gap) out.push_back({uint32_t(gap), uint32_t(text.size()), false});
  }
};

// Each single character of a class (\p{N}, \d, \s, \p{P}).
class CharClassMatcher : public RegexMatcher {
 public:
  enum class Kind { number, digit, space, punctuation };
  explicit CharClassMatcher(Kind kind) : kind_(kind) {}
  void find(std::string_view text, std::vector<MatchRange>& out) const override {
    size_t pos = 0, len = 0, gap = 0;
    while (pos < text.size()) {
      uint32_t cp = decode_utf8(text, pos, len);
      if (matches(cp)) {
        if (pos > gap) out.push_back({uint32_t(gap), uint32_t(pos), false});
        out.push_back({uint32_t(pos), uint32_t(pos + len), true});
        gap = pos + len;
      }
      pos += len;
    }
    if (text.size() > gap) out.push_back({uint32_t(gap), uint32_t(text.size()), false});
  }

 private:
  bool matches(uint32_t cp) const {
    switch (kind_) {
      case Kind::number: return is_number(cp);
      case Kind::digit: return category(cp) == Category::Nd;
      case Kind::space: return is_white_space(cp);
      case Kind::punctuation: return is_punctuation(category(cp));
    }
    return false;
  }
  Kind kind_;
};

const char* const kGpt2Pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
const char* const kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

}  // namespace

const RegexMatcher& gpt2_matcher() {
  static const TiktokenStyleMatcher matcher(Style{false, false, 0});
  return matcher;
}

std::unique_ptr<RegexMatcher> make_regex_matcher(const std::string& pattern) {
  if (pattern == kGpt2Pattern) return std::make_unique<TiktokenStyleMatcher>(Style{false, false, 0});
  if (pattern == kLlama3Pattern) return std::make_unique<TiktokenStyleMatcher>(Style{true, true, 3});
  if (pattern == kQwen2Pattern) return std::make_unique<TiktokenStyleMatcher>(Style{true, true, 1});
  if (pattern == "\\s+") return std::make_unique<WhitespaceRunMatcher>();
  if (pattern == "\\p{N}") return std::make_unique<CharClassMatcher>(CharClassMatcher::Kind::number);
  if (pattern == "\\d") return std::make_unique<CharClassMatcher>(CharClassMatcher::Kind::digit);
  if (pattern == "\\s") return std::make_unique<CharClassMatcher>(CharClassMatcher::Kind::space);
  if (pattern == "\\p{P}") return std::make_unique<CharClassMatcher>(CharClassMatcher::Kind::punctuation);
  return nullptr;
}

}  // namespace xfmr::tok
