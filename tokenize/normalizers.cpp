#include "tokenize/normalizers.hpp"

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "tokenize/precompiled.hpp"
#include "tokenize/unicode.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

using json = nlohmann::json;

// Rewrites `text` character by character: `emit(cp, out, start, end)` appends
// what the character becomes, aligned to its original range.
template <class Emit>
void map_chars(NormalizedText& text, Emit emit) {
  thread_local NormalizedText out;
  out.clear();
  out.text.reserve(text.size() + 16);
  size_t pos = 0;
  const std::string_view s(text.text);
  while (pos < s.size()) {
    size_t len = 0;
    uint32_t cp = decode_utf8(s, pos, len);
    emit(cp, out, text.orig_start[pos], text.orig_end[pos]);
    pos += len;
  }
  std::swap(text, out);
}

class BertNormalizer : public Normalizer {
 public:
  explicit BertNormalizer(const BertNormalizerOptions& o) : o_(o) {}
  void normalize(NormalizedText& text) const override {
    thread_local std::vector<uint32_t> decomposed;
    map_chars(text, [&](uint32_t cp, NormalizedText& out, uint32_t start, uint32_t end) {
      if (o_.clean_text) {
        if (cp == 0 || cp == 0xFFFD || is_control(cp)) return;
        if (is_white_space(cp)) cp = ' ';
      }
      if (cp < 0x80) {
        if (o_.lowercase && cp >= 'A' && cp <= 'Z') cp += 32;
        out.text.push_back(static_cast<char>(cp));
        out.orig_start.push_back(start);
        out.orig_end.push_back(end);
        return;
      }
      bool pad = o_.handle_chinese_chars && is_cjk(cp);
      if (pad) out.append(" ", start, end);
      decomposed.clear();
      if (o_.strip_accents) {
        append_decomposition(decomposed, cp, false);
      } else {
        decomposed.push_back(cp);
      }
      for (uint32_t c : decomposed) {
        if (o_.strip_accents && category(c) == Category::Mn) continue;
        if (o_.lowercase) {
          uint32_t lowered[3];
          int n = lower_code_points(c, lowered);
          for (int k = 0; k < n; ++k) out.append_code_point(lowered[k], start, end);
        } else {
          out.append_code_point(c, start, end);
        }
      }
      if (pad) out.append(" ", start, end);
    });
  }

 private:
  static bool is_control(uint32_t cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') return false;
    if (cp < 0x20 || cp == 0x7F) return true;
    if (cp < 0x80) return false;
    return is_other(category(cp));
  }
  BertNormalizerOptions o_;
};

class Lowercase : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override {
    map_chars(text, [](uint32_t cp, NormalizedText& out, uint32_t start, uint32_t end) {
      uint32_t lowered[3];
      int n = lower_code_points(cp, lowered);
      for (int k = 0; k < n; ++k) out.append_code_point(lowered[k], start, end);
    });
  }
};

class StripAccents : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override {
    map_chars(text, [](uint32_t cp, NormalizedText& out, uint32_t start, uint32_t end) {
      if (!is_mark(category(cp))) out.append_code_point(cp, start, end);
    });
  }
};

// NMT normalization of sentencepiece: drops some controls, maps some
// separators to a space.
class Nmt : public Normalizer {
 public:
  void normalize(NormalizedText& text) const override {
    map_chars(text, [](uint32_t cp, NormalizedText& out, uint32_t start, uint32_t end) {
      if ((cp >= 0x1 && cp <= 0x8) || cp == 0xB || (cp >= 0xE && cp <= 0x1F) || cp == 0x7F || cp == 0x8F ||
          cp == 0x9F) {
        return;
      }
      if (cp == 0x9 || cp == 0xA || cp == 0xC || cp == 0xD || cp == 0x1680 || (cp >= 0x200B && cp <= 0x200F) ||
          cp == 0x2028 || cp == 0x2029 || cp == 0x2581 || cp == 0xFEFF || cp == 0xFFFD) {
        cp = ' ';
      }
      out.append_code_point(cp, start, end);
    });
  }
};

// NFC / NFD / NFKC / NFKD. Text is cut where normalization cannot reach
// across; each group's output is aligned to the group's original range.
class UnicodeNormalizer : public Normalizer {
 public:
  explicit UnicodeNormalizer(NormalForm form) : form_(form) {}
  void normalize(NormalizedText& text) const override {
    thread_local NormalizedText out;
    thread_local std::vector<uint32_t> group;
    out.clear();
    const std::string_view s(text.text);
    size_t pos = 0;
    while (pos < s.size()) {
      size_t len = 0;
      uint32_t cp = decode_utf8(s, pos, len);
      if (cp < 0x80 && (pos + len >= s.size() || static_cast<unsigned char>(s[pos + len]) < 0x80)) {
        out.append_from(text, pos, pos + len);
        pos += len;
        continue;
      }
      size_t group_begin = pos;
      group.clear();
      group.push_back(cp);
      pos += len;
      while (pos < s.size()) {
        uint32_t next = decode_utf8(s, pos, len);
        if (is_normalization_boundary(next)) break;
        group.push_back(next);
        pos += len;
      }
      uint32_t start = text.orig_start[group_begin];
      uint32_t end = text.orig_end[pos - 1];
      normalize_code_points(group, form_);
      for (uint32_t c : group) out.append_code_point(c, start, end);
    }
    std::swap(text, out);
  }

 private:
  NormalForm form_;
};

class Prepend : public Normalizer {
 public:
  explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(NormalizedText& text) const override {
    if (text.text.empty()) return;
    NormalizedText out;
    out.append(prefix_, text.orig_start[0], text.orig_end[0]);
    out.append_from(text, 0, text.size());
    std::swap(text, out);
  }

 private:
  std::string prefix_;
};

class Strip : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  void normalize(NormalizedText& text) const override {
    const std::string_view s(text.text);
    size_t begin = 0, end = s.size(), len = 0;
    if (left_) {
      while (begin < end && is_white_space(decode_utf8(s, begin, len))) begin += len;
    }
    if (right_) {
      while (end > begin) {
        size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        if (!is_white_space(decode_utf8(s, start, len))) break;
        end = start;
      }
    }
    if (begin == 0 && end == s.size()) return;
    NormalizedText out;
    out.append_from(text, begin, end);
    std::swap(text, out);
  }

 private:
  bool left_, right_;
};

// Replace with a literal pattern (tokenizer.json "String", or a "Regex" that
// is a plain literal, or the few regexes real files use).
class Replace : public Normalizer {
 public:
  enum class Kind { literal, spaces_2plus, whitespace_run };
  Replace(Kind kind, std::string pattern, std::string content)
      : kind_(kind), pattern_(std::move(pattern)), content_(std::move(content)) {}
  void normalize(NormalizedText& text) const override {
    thread_local NormalizedText out;
    out.clear();
    const std::string_view s(text.text);
    size_t pos = 0;
    while (pos < s.size()) {
      size_t match = match_at(s, pos);
      if (match == 0) {
        size_t len = utf8_length(static_cast<unsigned char>(s[pos]));
        if (pos + len > s.size()) len = s.size() - pos;
        out.append_from(text, pos, pos + len);
        pos += len;
        continue;
      }
      out.append(content_, text.orig_start[pos], text.orig_end[pos + match - 1]);
      pos += match;
    }
    std::swap(text, out);
  }

 private:
  size_t match_at(std::string_view s, size_t pos) const {
    switch (kind_) {
      case Kind::literal:
        if (!pattern_.empty() && s.compare(pos, pattern_.size(), pattern_) == 0) return pattern_.size();
        return 0;
      case Kind::spaces_2plus: {
        size_t end = pos;
        while (end < s.size() && s[end] == ' ') ++end;
        return end - pos >= 2 ? end - pos : 0;
      }
      case Kind::whitespace_run: {
        size_t end = pos, len = 0;
        while (end < s.size() && is_white_space(decode_utf8(s, end, len))) end += len;
        return end - pos;
      }
    }
    return 0;
  }
  Kind kind_;
  std::string pattern_;
  std::string content_;
};

class SequenceNormalizer : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts) : parts_(std::move(parts)) {}
  void normalize(NormalizedText& text) const override {
    for (const auto& p : parts_) p->normalize(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

bool is_regex_literal(const std::string& pattern) {
  for (char c : pattern) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::unique_ptr<Normalizer> make_replace(const json& spec) {
  const json& pattern = spec.at("pattern");
  std::string content = spec.value("content", std::string());
  if (pattern.contains("String")) {
    return std::make_unique<Replace>(Replace::Kind::literal, pattern["String"].get<std::string>(), content);
  }
  std::string regex = pattern.at("Regex").get<std::string>();
  if (is_regex_literal(regex)) return std::make_unique<Replace>(Replace::Kind::literal, regex, content);
  if (regex == " {2,}") return std::make_unique<Replace>(Replace::Kind::spaces_2plus, regex, content);
  if (regex == "\\s+") return std::make_unique<Replace>(Replace::Kind::whitespace_run, regex, content);
  throw ModelError("tokenizer.json: unsupported Replace normalizer regex: " + regex);
}

}  // namespace

std::unique_ptr<Normalizer> make_bert_normalizer(const BertNormalizerOptions& options) {
  return std::make_unique<BertNormalizer>(options);
}

std::unique_ptr<Normalizer> make_normalizer(const json& spec) {
  if (spec.is_null()) return nullptr;
  const std::string type = spec.value("type", std::string());
  if (type == "BertNormalizer") {
    BertNormalizerOptions o;
    o.clean_text = spec.value("clean_text", true);
    o.handle_chinese_chars = spec.value("handle_chinese_chars", true);
    o.lowercase = spec.value("lowercase", true);
    const auto it = spec.find("strip_accents");
    o.strip_accents = (it == spec.end() || it->is_null()) ? o.lowercase : it->get<bool>();
    return make_bert_normalizer(o);
  }
  if (type == "Lowercase") return std::make_unique<Lowercase>();
  if (type == "StripAccents") return std::make_unique<StripAccents>();
  if (type == "NFC") return std::make_unique<UnicodeNormalizer>(NormalForm::NFC);
  if (type == "NFD") return std::make_unique<UnicodeNormalizer>(NormalForm::NFD);
  if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(NormalForm::NFKC);
  if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(NormalForm::NFKD);
  if (type == "Nmt") return std::make_unique<Nmt>();
  if (type == "Prepend") return std::make_unique<Prepend>(spec.at("prepend").get<std::string>());
  if (type == "Strip") return std::make_unique<Strip>(spec.value("strip_left", true), spec.value("strip_right", true));
  if (type == "Replace") return make_replace(spec);
  if (type == "Precompiled") {
    const auto& map = spec.at("precompiled_charsmap");
    if (map.is_null()) return nullptr;
    return make_precompiled(map.get<std::string>());
  }
  if (type == "Sequence") {
    std::vector<std::unique_ptr<Normalizer>> parts;
    for (const auto& p : spec.at("normalizers")) {
      if (auto n = make_normalizer(p)) parts.push_back(std::move(n));
    }
    return std::make_unique<SequenceNormalizer>(std::move(parts));
  }
  throw ModelError("tokenizer.json: unsupported normalizer type '" + type + "'");
}

std::string normalize_string(const Normalizer* normalizer, std::string_view text) {
  if (normalizer == nullptr) return std::string(text);
  NormalizedText n;
  n.assign_original(text, 0);
  normalizer->normalize(n);
  return n.text;
}

}  // namespace xfmr::tok
