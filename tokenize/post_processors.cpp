#include "tokenize/post_processors.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "tokenize/encoding_ops.hpp"
#include "tokenize/unicode.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

using json = nlohmann::json;

class TemplateProcessor : public PostProcessor {
 public:
  TemplateProcessor(std::vector<TemplatePiece> single, std::vector<TemplatePiece> pair,
                    std::vector<TemplateSpecial> specials)
      : single_(std::move(single)), pair_(std::move(pair)) {
    for (auto& s : specials) specials_.emplace(s.key, std::move(s));
    for (const auto* t : {&single_, &pair_}) {
      for (const auto& piece : *t) {
        if (!piece.is_sequence && !specials_.count(piece.special)) {
          throw ModelError("post_processor template uses unknown special token '" + piece.special + "'");
        }
      }
    }
  }
  size_t added_tokens(bool pair) const override {
    size_t n = 0;
    for (const auto& piece : pair ? pair_ : single_) {
      if (!piece.is_sequence) n += specials_.at(piece.special).ids.size();
    }
    return n;
  }
  void process(std::vector<Encoding>& parts, bool add_special_tokens) const override {
    const auto& tmpl = parts.size() == 2 ? pair_ : single_;
    std::vector<Encoding> out;
    for (const auto& piece : tmpl) {
      if (piece.is_sequence) {
        if (static_cast<size_t>(piece.sequence) >= parts.size()) continue;
        Encoding e = parts[piece.sequence];
        set_type_ids(e, piece.type_id);
        out.push_back(std::move(e));
      } else if (add_special_tokens) {
        const TemplateSpecial& s = specials_.at(piece.special);
        out.push_back(special_tokens_encoding(s.ids, s.tokens, piece.type_id));
      }
    }
    parts.swap(out);
  }

 private:
  std::vector<TemplatePiece> single_, pair_;
  std::map<std::string, TemplateSpecial> specials_;
};

// Offsets exclude the spaces (Ġ or whitespace) a byte-level token starts or
// ends with.
void trim_offsets(Encoding& e, bool add_prefix_space) {
  for (size_t i = 0; i < e.ids.size(); ++i) {
    const std::string& token = e.tokens[i];
    auto is_space = [](uint32_t cp) { return cp == 0x120 || is_white_space(cp); };
    size_t leading = 0, trailing = 0, pos = 0, len = 0, chars = 0;
    bool in_leading = true;
    size_t run = 0;
    while (pos < token.size()) {
      uint32_t cp = decode_utf8(token, pos, len);
      bool space = is_space(cp);
      if (in_leading && space) {
        ++leading;
      } else {
        in_leading = false;
      }
      run = space ? run + 1 : 0;
      ++chars;
      pos += len;
    }
    trailing = run;
    if (leading == chars) trailing = chars;
    Offset& o = e.offsets[i];
    if (leading > 0) {
      bool is_first = i == 0 || o.start == 0;
      if (is_first && add_prefix_space && leading == 1) leading = 0;
      o.start = std::min<uint32_t>(o.start + static_cast<uint32_t>(leading), o.end);
    }
    if (trailing > 0 && o.end >= trailing) o.end = std::max<uint32_t>(o.end - static_cast<uint32_t>(trailing), o.start);
  }
  for (Encoding& o : e.overflowing) trim_offsets(o, add_prefix_space);
}

class ByteLevelProcessor : public PostProcessor {
 public:
  ByteLevelProcessor(bool trim, bool add_prefix_space) : trim_(trim), add_prefix_space_(add_prefix_space) {}
  size_t added_tokens(bool) const override { return 0; }
  void process(std::vector<Encoding>& parts, bool) const override {
    if (!trim_) return;
    for (Encoding& e : parts) trim_offsets(e, add_prefix_space_);
  }

 private:
  bool trim_, add_prefix_space_;
};

class RobertaProcessor : public PostProcessor {
 public:
  RobertaProcessor(std::pair<std::string, int32_t> sep, std::pair<std::string, int32_t> cls, bool trim,
                   bool add_prefix_space)
      : sep_(std::move(sep)), cls_(std::move(cls)), trim_(trim), add_prefix_space_(add_prefix_space) {}
  size_t added_tokens(bool pair) const override { return pair ? 4 : 2; }
  void process(std::vector<Encoding>& parts, bool add_special_tokens) const override {
    for (Encoding& e : parts) {
      if (trim_) trim_offsets(e, add_prefix_space_);
      set_type_ids(e, 0);
    }
    if (!add_special_tokens) return;
    std::vector<Encoding> out;
    auto special = [](const std::pair<std::string, int32_t>& t) {
      return special_tokens_encoding({t.second}, {t.first}, 0);
    };
    out.push_back(special(cls_));
    out.push_back(std::move(parts[0]));
    out.push_back(special(sep_));
    if (parts.size() == 2) {
      out.push_back(special(sep_));
      out.push_back(std::move(parts[1]));
      out.push_back(special(sep_));
    }
    parts.swap(out);
  }

 private:
  std::pair<std::string, int32_t> sep_, cls_;
  bool trim_, add_prefix_space_;
};

class DefaultProcessor : public PostProcessor {
 public:
  size_t added_tokens(bool) const override { return 0; }
  void process(std::vector<Encoding>&, bool) const override {}
};

class SequenceProcessor : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<std::unique_ptr<PostProcessor>> parts) : parts_(std::move(parts)) {}
  size_t added_tokens(bool pair) const override {
    size_t n = 0;
    for (const auto& p : parts_) n += p->added_tokens(pair);
    return n;
  }
  void process(std::vector<Encoding>& encodings, bool add_special_tokens) const override {
    for (const auto& p : parts_) p->process(encodings, add_special_tokens);
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> parts_;
};

std::pair<std::string, int32_t> token_pair(const json& j) {
  return {j.at(0).get<std::string>(), j.at(1).get<int32_t>()};
}

std::vector<TemplatePiece> parse_template_json(const json& items) {
  if (items.is_string()) return parse_template(items.get<std::string>());
  std::vector<TemplatePiece> pieces;
  for (const auto& item : items) {
    TemplatePiece p;
    if (item.contains("Sequence")) {
      const json& s = item["Sequence"];
      p.is_sequence = true;
      p.sequence = s.at("id").get<std::string>() == "B" ? 1 : 0;
      p.type_id = s.value("type_id", 0);
    } else {
      const json& s = item.at("SpecialToken");
      p.special = s.at("id").get<std::string>();
      p.type_id = s.value("type_id", 0);
    }
    pieces.push_back(std::move(p));
  }
  return pieces;
}

}  // namespace

std::vector<TemplatePiece> parse_template(const std::string& text) {
  std::vector<TemplatePiece> pieces;
  std::istringstream in(text);
  std::string item;
  while (in >> item) {
    TemplatePiece p;
    std::string name = item;
    size_t colon = item.rfind(':');
    if (colon != std::string::npos && colon + 1 < item.size() &&
        item.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
      name = item.substr(0, colon);
      p.type_id = std::stoi(item.substr(colon + 1));
    }
    if (name == "$A" || name == "$" || name == "$0") {
      p.is_sequence = true;
    } else if (name == "$B" || name == "$1") {
      p.is_sequence = true;
      p.sequence = 1;
    } else {
      p.special = name;
    }
    pieces.push_back(std::move(p));
  }
  return pieces;
}

std::unique_ptr<PostProcessor> make_template_processor(std::vector<TemplatePiece> single,
                                                       std::vector<TemplatePiece> pair,
                                                       std::vector<TemplateSpecial> specials) {
  return std::make_unique<TemplateProcessor>(std::move(single), std::move(pair), std::move(specials));
}

std::unique_ptr<PostProcessor> make_default_post_processor() { return std::make_unique<DefaultProcessor>(); }

std::unique_ptr<PostProcessor> make_roberta_processor(std::pair<std::string, int32_t> sep,
                                                      std::pair<std::string, int32_t> cls, bool trim_offsets,
                                                      bool add_prefix_space) {
  return std::make_unique<RobertaProcessor>(std::move(sep), std::move(cls), trim_offsets, add_prefix_space);
}

std::unique_ptr<PostProcessor> make_byte_level_processor(bool trim_offsets, bool add_prefix_space) {
  return std::make_unique<ByteLevelProcessor>(trim_offsets, add_prefix_space);
}

std::unique_ptr<PostProcessor> make_post_processor(const json& spec) {
  if (spec.is_null()) return make_default_post_processor();
  const std::string type = spec.value("type", std::string());
  if (type == "TemplateProcessing") {
    std::vector<TemplateSpecial> specials;
    for (const auto& [key, value] : spec.at("special_tokens").items()) {
      TemplateSpecial s;
      s.key = key;
      s.ids = value.at("ids").get<std::vector<int32_t>>();
      s.tokens = value.at("tokens").get<std::vector<std::string>>();
      specials.push_back(std::move(s));
    }
    return make_template_processor(parse_template_json(spec.at("single")), parse_template_json(spec.at("pair")),
                                   std::move(specials));
  }
  if (type == "BertProcessing") {
    auto sep = token_pair(spec.at("sep"));
    auto cls = token_pair(spec.at("cls"));
    std::vector<TemplateSpecial> specials = {{cls.first, {cls.second}, {cls.first}},
                                             {sep.first, {sep.second}, {sep.first}}};
    return make_template_processor(parse_template(cls.first + ":0 $A:0 " + sep.first + ":0"),
                                   parse_template(cls.first + ":0 $A:0 " + sep.first + ":0 $B:1 " + sep.first + ":1"),
                                   std::move(specials));
  }
  if (type == "RobertaProcessing") {
    return make_roberta_processor(token_pair(spec.at("sep")), token_pair(spec.at("cls")),
                                  spec.value("trim_offsets", true), spec.value("add_prefix_space", true));
  }
  if (type == "ByteLevel") {
    return make_byte_level_processor(spec.value("trim_offsets", true), spec.value("add_prefix_space", true));
  }
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PostProcessor>> parts;
    for (const auto& p : spec.at("processors")) parts.push_back(make_post_processor(p));
    return std::make_unique<SequenceProcessor>(std::move(parts));
  }
  throw ModelError("tokenizer.json: unsupported post_processor type '" + type + "'");
}

}  // namespace xfmr::tok
