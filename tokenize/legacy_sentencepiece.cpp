// Sentencepiece folders: which model files, which special tokens, which
// post-processing, per transformers class.
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "tokenize/family_defaults.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/post_processors.hpp"
#include "tokenize/sp_model.hpp"
#include "tokenize/sp_tokenizer.hpp"

namespace xfmr::tok {
namespace {

namespace fs = std::filesystem;

// Guess the class of a bare sentencepiece model from its special pieces.
std::string guess_family(const sentencepiece::SentencePieceProcessor& sp) {
  if (sp.PieceToId("[CLS]") != sp.unk_id() && sp.PieceToId("[SEP]") != sp.unk_id()) return "albert";
  if (sp.bos_id() < 0 && sp.eos_id() >= 0) return "t5";
  return "llama";
}

std::vector<std::string> read_marian_vocab(const fs::path& path) {
  const nlohmann::json j = nlohmann::json::parse(read_file(path), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw ModelError(path.string() + " is not a JSON object");
  std::vector<std::string> vocab;
  for (const auto& [token, id] : j.items()) {
    int64_t i = id.get<int64_t>();
    if (i < 0 || i > 10'000'000) throw ModelError(path.string() + ": id out of range for '" + token + "'");
    if (static_cast<size_t>(i) >= vocab.size()) vocab.resize(static_cast<size_t>(i) + 1);
    vocab[static_cast<size_t>(i)] = token;
  }
  return vocab;
}

std::unique_ptr<PostProcessor> family_post_processor(const std::string& family, const TokenizerConfig& c,
                                                     const SentencePieceTokenizer& tok, const SentencePieceOptions& o) {
  auto special = [&](const std::optional<SpecialTokenSpec>& s, const char* what) -> TemplateSpecial {
    if (!s || s->content.empty()) throw ModelError(std::string("tokenizer has no ") + what + " token");
    auto id = tok.token_to_id(s->content);
    if (!id) throw ModelError(std::string("the ") + what + " token '" + s->content + "' is not in the vocabulary");
    return {s->content, {*id}, {s->content}};
  };
  if (family == "albert") {
    auto cls = special(c.cls, "cls"), sep = special(c.sep, "sep");
    return make_template_processor(parse_template(cls.key + ":0 $A:0 " + sep.key + ":0"),
                                   parse_template(cls.key + ":0 $A:0 " + sep.key + ":0 $B:1 " + sep.key + ":1"),
                                   {cls, sep});
  }
  if (family == "t5") {
    auto eos = special(c.eos, "eos");
    return make_template_processor(parse_template("$A:0 " + eos.key + ":0"),
                                   parse_template("$A:0 " + eos.key + ":0 $B:0 " + eos.key + ":0"), {eos});
  }
  if (family == "marian") {
    auto eos = special(c.eos, "eos");
    return make_template_processor(parse_template("$A:0 " + eos.key + ":0"),
                                   parse_template("$A:0 $B:1 " + eos.key + ":1"), {eos});
  }
  // Llama.
  std::vector<TemplateSpecial> specials;
  std::string single = "$A:0", bos, eos;
  if (o.add_bos) {
    specials.push_back(special(c.bos, "bos"));
    bos = specials.back().key;
  }
  if (o.add_eos) {
    auto e = special(c.eos, "eos");
    eos = e.key;
    if (eos != bos) specials.push_back(e);
  }
  single = (o.add_bos ? bos + ":0 " : "") + "$A:0" + (o.add_eos ? " " + eos + ":0" : "");
  std::string pair = single + (o.add_bos ? " " + bos + ":1" : "") + " $B:1" + (o.add_eos ? " " + eos + ":1" : "");
  return make_template_processor(parse_template(single), parse_template(pair), std::move(specials));
}

}  // namespace

std::unique_ptr<Tokenizer> load_sentencepiece_legacy(const fs::path& dir, const TokenizerConfig& config,
                                                     const std::string& requested_family) {
  auto is_file = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
  };
  std::string family = requested_family;
  fs::path model_path;
  if (family == "marian" || (family.empty() && is_file(dir / "source.spm"))) {
    family = "marian";
    model_path = dir / "source.spm";
  } else if (is_file(dir / "spiece.model")) {
    model_path = dir / "spiece.model";
  } else if (is_file(dir / "tokenizer.model")) {
    model_path = dir / "tokenizer.model";
  } else {
    throw ModelError("no sentencepiece model (spiece.model, tokenizer.model, source.spm) in " + dir.string());
  }
  const std::string proto = read_file(model_path);
  auto sp = load_sentencepiece(proto, model_path);
  if (family.empty()) family = guess_family(*sp);

  TokenizerConfig c = config;
  apply_family_defaults(c, family);
  SentencePieceOptions o;
  o.family = family;
  o.legacy = c.legacy.value_or(true);
  o.add_prefix_space = c.add_prefix_space.value_or(true);
  o.add_bos = c.add_bos_token.value_or(family == "llama");
  o.add_eos = c.add_eos_token.value_or(false);
  o.do_lower_case = c.do_lower_case.value_or(family == "albert");
  o.remove_space = c.remove_space.value_or(true);
  o.keep_accents = c.keep_accents.value_or(false);
  o.spaces_between_special_tokens = c.spaces_between_special_tokens.value_or(true);
  o.clean_up = c.clean_up_tokenization_spaces.value_or(family_clean_up_default(family));
  o.model_max_length = c.model_max_length;
  o.padding_side = c.padding_side;
  if (c.unk && !c.unk->content.empty()) o.unk_token = c.unk->content;

  std::unique_ptr<sentencepiece::SentencePieceProcessor> plain, target;
  if (!o.legacy && (family == "llama" || family == "t5")) plain = load_sentencepiece(without_dummy_prefix(proto), model_path);
  std::vector<std::string> marian_vocab;
  if (family == "marian") {
    target = load_sentencepiece(read_file(dir / "target.spm"), dir / "target.spm");
    marian_vocab = read_marian_vocab(dir / "vocab.json");
  }
  auto tok = std::make_unique<SentencePieceTokenizer>(o, std::move(sp), std::move(plain), std::move(target),
                                                      std::move(marian_vocab));

  // Added tokens: the configuration's, then T5's extra ids, then the special
  // tokens the class names.
  std::vector<AddedToken> added = c.added_tokens_decoder;
  auto has_content = [&](const std::string& content) {
    for (const auto& t : added) {
      if (t.content == content) return true;
    }
    return false;
  };
  if (family == "t5" && c.added_tokens_decoder.empty()) {
    const int extra = c.extra_ids.value_or(100);
    const int sp_size = static_cast<int>(tok->base_vocab_size());
    for (int i = 0; i < extra; ++i) {
      AddedToken t;
      t.content = "<extra_id_" + std::to_string(i) + ">";
      t.id = sp_size - 1 + extra - i;
      t.special = t.lstrip = t.rstrip = true;
      added.push_back(t);
    }
  }
  std::vector<std::string> all_special;
  auto add_special = [&](const SpecialTokenSpec& s) {
    if (s.content.empty()) return;
    all_special.push_back(s.content);
    if (has_content(s.content)) return;
    auto id = tok->token_to_id(s.content);
    if (!id) return;
    AddedToken t;
    t.content = s.content;
    t.id = *id;
    t.special = true;
    t.lstrip = s.lstrip;
    t.rstrip = s.rstrip;
    t.single_word = s.single_word;
    added.push_back(t);
  };
  const std::optional<SpecialTokenSpec>* named[] = {&c.bos, &c.eos, &c.unk, &c.sep, &c.pad, &c.cls, &c.mask};
  for (const auto* s : named) {
    if (s->has_value()) add_special(**s);
  }
  for (const auto& s : c.additional_special) add_special(s);
  for (const auto& [content, id] : c.added_tokens_file) {
    if (has_content(content)) continue;
    AddedToken t;
    t.content = content;
    t.id = id;
    added.push_back(t);
  }
  SpecialTokenIds ids;
  auto id_of = [&](const std::optional<SpecialTokenSpec>& s) -> std::optional<int32_t> {
    for (const auto& t : added) {
      if (s && t.content == s->content) return t.id;
    }
    return s && !s->content.empty() ? tok->token_to_id(s->content) : std::nullopt;
  };
  ids.bos = id_of(c.bos);
  ids.eos = id_of(c.eos);
  ids.unk = id_of(c.unk);
  ids.sep = id_of(c.sep);
  ids.pad = id_of(c.pad);
  ids.cls = id_of(c.cls);
  ids.mask = id_of(c.mask);
  tok->set_added_tokens(std::move(added), std::move(all_special), ids);
  tok->set_post_processor(family_post_processor(family, c, *tok, o));
  return tok;
}

}  // namespace xfmr::tok
