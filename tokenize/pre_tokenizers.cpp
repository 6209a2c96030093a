#include "tokenize/pre_tokenizers.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "tokenize/pre_tokenizer_util.hpp"
#include "tokenize/regex_split.hpp"
#include "tokenize/unicode.hpp"

namespace xfmr::tok {
namespace {

using json = nlohmann::json;

// Whitespace removed, punctuation isolated.
class BertPreTokenizer : public PreTokenizer {
 public:
  void pre_tokenize(Pieces& pieces) const override {
    split_spans(pieces, [](std::string_view text, Ranges& out) {
      size_t pos = 0, word = 0, len = 0;
      while (pos < text.size()) {
        unsigned char c = static_cast<unsigned char>(text[pos]);
        bool space, punct;
        if (c < 0x80) {
          len = 1;
          space = c == ' ' || (c >= 0x09 && c <= 0x0D);
          punct = !space && ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
                             (c >= 123 && c <= 126));
        } else {
          uint32_t cp = decode_utf8(text, pos, len);
          space = is_white_space(cp);
          punct = !space && is_bert_punctuation(cp);
        }
        if (space || punct) {
          if (pos > word) out.emplace_back(uint32_t(word), uint32_t(pos));
          if (punct) out.emplace_back(uint32_t(pos), uint32_t(pos + len));
          word = pos + len;
        }
        pos += len;
      }
      if (text.size() > word) out.emplace_back(uint32_t(word), uint32_t(text.size()));
    });
  }
};

// \w+|[^\w\s]+
class WhitespacePreTokenizer : public PreTokenizer {
 public:
  void pre_tokenize(Pieces& pieces) const override {
    split_spans(pieces, [](std::string_view text, Ranges& out) {
      size_t pos = 0, len = 0;
      int current = -1;  // 0 word run, 1 symbol run
      uint32_t start = 0;
      while (pos < text.size()) {
        uint32_t cp = decode_utf8(text, pos, len);
        int kind = is_white_space(cp) ? -1 : is_word_char(cp) ? 0 : 1;
        if (kind != current) {
          if (current >= 0) out.emplace_back(start, uint32_t(pos));
          current = kind;
          start = uint32_t(pos);
        }
        pos += len;
      }
      if (current >= 0) out.emplace_back(start, uint32_t(text.size()));
    });
  }
};

class CharSplitPreTokenizer : public PreTokenizer {
 public:
  enum class Kind { whitespace, punctuation, digits, delimiter };
  CharSplitPreTokenizer(Kind kind, SplitBehavior behavior, uint32_t delimiter = 0)
      : kind_(kind), behavior_(behavior), delimiter_(delimiter) {}
  void pre_tokenize(Pieces& pieces) const override {
    split_spans(pieces, [this](std::string_view text, Ranges& out) {
      split_on_chars(text, [this](uint32_t cp) { return is_delimiter(cp); }, behavior_, out);
    });
  }

 private:
  bool is_delimiter(uint32_t cp) const {
    switch (kind_) {
      case Kind::whitespace: return is_white_space(cp);
      case Kind::punctuation: return is_bert_punctuation(cp);
      case Kind::digits: return is_number(cp);
      case Kind::delimiter: return cp == delimiter_;
    }
    return false;
  }
  Kind kind_;
  SplitBehavior behavior_;
  uint32_t delimiter_;
};

// Split with a literal string or a known regex.
class SplitPreTokenizer : public PreTokenizer {
 public:
  SplitPreTokenizer(std::string literal, std::unique_ptr<RegexMatcher> regex, SplitBehavior behavior, bool invert)
      : literal_(std::move(literal)), regex_(std::move(regex)), behavior_(behavior), invert_(invert) {}
  void pre_tokenize(Pieces& pieces) const override {
    split_spans(pieces, [this](std::string_view text, Ranges& out) {
      thread_local std::vector<MatchRange> matches;
      matches.clear();
      if (regex_) {
        regex_->find(text, matches);
        fill_gaps(matches, text.size());
      } else {
        find_literal(text, matches);
      }
      if (invert_) {
        for (auto& m : matches) m.is_match = !m.is_match;
      }
      apply_split_behavior(matches, behavior_, out);
    });
  }

 private:
  static void fill_gaps(std::vector<MatchRange>& matches, size_t size) {
    std::vector<MatchRange> full;
    uint32_t at = 0;
    for (const auto& m : matches) {
      if (m.begin > at) full.push_back({at, m.begin, false});
      full.push_back(m);
      at = m.end;
    }
    if (size > at) full.push_back({at, uint32_t(size), false});
    matches.swap(full);
  }
  void find_literal(std::string_view text, std::vector<MatchRange>& out) const {
    size_t gap = 0;
    if (!literal_.empty()) {
      size_t at = text.find(literal_);
      while (at != std::string_view::npos) {
        if (at > gap) out.push_back({uint32_t(gap), uint32_t(at), false});
        out.push_back({uint32_t(at), uint32_t(at + literal_.size()), true});
        gap = at + literal_.size();
        at = text.find(literal_, gap);
      }
    }
    if (text.size() > gap) out.push_back({uint32_t(gap), uint32_t(text.size()), false});
  }
  std::string literal_;
  std::unique_ptr<RegexMatcher> regex_;
  SplitBehavior behavior_;
  bool invert_;
};

class SequencePreTokenizer : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts) : parts_(std::move(parts)) {}
  void pre_tokenize(Pieces& pieces) const override {
    for (const auto& p : parts_) p->pre_tokenize(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

SplitBehavior parse_behavior(const json& spec, SplitBehavior fallback) {
  if (!spec.contains("behavior")) return fallback;
  const std::string b = spec["behavior"].get<std::string>();
  if (b == "Removed") return SplitBehavior::removed;
  if (b == "Isolated") return SplitBehavior::isolated;
  if (b == "MergedWithPrevious") return SplitBehavior::merged_with_previous;
  if (b == "MergedWithNext") return SplitBehavior::merged_with_next;
  if (b == "Contiguous") return SplitBehavior::contiguous;
  throw ModelError("tokenizer.json: unknown split behavior '" + b + "'");
}

uint32_t single_code_point(const std::string& s, const char* what) {
  size_t len = 0;
  if (s.empty() || !is_valid_utf8(s) || (decode_utf8(s, 0, len), len != s.size())) {
    throw ModelError(std::string("tokenizer.json: ") + what + " must be one character");
  }
  return decode_utf8(s, 0, len);
}

std::unique_ptr<PreTokenizer> make_split(const json& spec) {
  const json& pattern = spec.at("pattern");
  SplitBehavior behavior = parse_behavior(spec, SplitBehavior::isolated);
  bool invert = spec.value("invert", false);
  if (pattern.contains("String")) {
    return std::make_unique<SplitPreTokenizer>(pattern["String"].get<std::string>(), nullptr, behavior, invert);
  }
  const std::string regex = pattern.at("Regex").get<std::string>();
  auto matcher = make_regex_matcher(regex);
  if (!matcher) throw ModelError("tokenizer.json: unsupported Split pattern regex: " + regex);
  return std::make_unique<SplitPreTokenizer>(std::string(), std::move(matcher), behavior, invert);
}

PrependScheme parse_prepend_scheme(const json& spec) {
  if (spec.contains("prepend_scheme")) {
    const std::string s = spec["prepend_scheme"].get<std::string>();
    if (s == "always") return PrependScheme::always;
    if (s == "first") return PrependScheme::first;
    if (s == "never") return PrependScheme::never;
    throw ModelError("tokenizer.json: unknown Metaspace prepend_scheme '" + s + "'");
  }
  return spec.value("add_prefix_space", true) ? PrependScheme::always : PrependScheme::never;
}

}  // namespace

std::unique_ptr<PreTokenizer> make_bert_pre_tokenizer() { return std::make_unique<BertPreTokenizer>(); }

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const json& spec) {
  if (spec.is_null()) return nullptr;
  const std::string type = spec.value("type", std::string());
  if (type == "BertPreTokenizer") return make_bert_pre_tokenizer();
  if (type == "Whitespace") return std::make_unique<WhitespacePreTokenizer>();
  if (type == "WhitespaceSplit") {
    return std::make_unique<CharSplitPreTokenizer>(CharSplitPreTokenizer::Kind::whitespace, SplitBehavior::removed);
  }
  if (type == "Punctuation") {
    return std::make_unique<CharSplitPreTokenizer>(CharSplitPreTokenizer::Kind::punctuation,
                                                   parse_behavior(spec, SplitBehavior::isolated));
  }
  if (type == "Digits") {
    bool individual = spec.value("individual_digits", false);
    return std::make_unique<CharSplitPreTokenizer>(
        CharSplitPreTokenizer::Kind::digits, individual ? SplitBehavior::isolated : SplitBehavior::contiguous);
  }
  if (type == "CharDelimiterSplit") {
    uint32_t delimiter = single_code_point(spec.at("delimiter").get<std::string>(), "CharDelimiterSplit delimiter");
    return std::make_unique<CharSplitPreTokenizer>(CharSplitPreTokenizer::Kind::delimiter, SplitBehavior::removed,
                                                   delimiter);
  }
  if (type == "Split") return make_split(spec);
  if (type == "ByteLevel") {
    return make_byte_level_pre_tokenizer(spec.value("add_prefix_space", true), spec.value("use_regex", true));
  }
  if (type == "Metaspace") {
    std::string replacement = spec.value("replacement", std::string("\xE2\x96\x81"));
    single_code_point(replacement, "Metaspace replacement");
    return make_metaspace_pre_tokenizer(replacement, parse_prepend_scheme(spec), spec.value("split", true));
  }
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    for (const auto& p : spec.at("pretokenizers")) {
      if (auto t = make_pre_tokenizer(p)) parts.push_back(std::move(t));
    }
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
  }
  throw ModelError("tokenizer.json: unsupported pre_tokenizer type '" + type + "'");
}

}  // namespace xfmr::tok
