// Builds a pipeline tokenizer from tokenizer.json and the folder's
// configuration files.
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "tokenize/decoders.hpp"
#include "tokenize/family_defaults.hpp"
#include "tokenize/models.hpp"
#include "tokenize/normalizers.hpp"
#include "tokenize/pipeline.hpp"
#include "tokenize/post_processors.hpp"
#include "tokenize/pre_tokenizers.hpp"

namespace xfmr::tok {
namespace {

using json = nlohmann::json;

const json& member(const json& j, const char* key) {
  static const json null_value;
  auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

int32_t lookup(const PipelineParts& p, const std::string& content) {
  if (content.empty()) return -1;
  if (const AddedToken* t = p.added.find_content(content)) return t->id;
  return p.model->token_to_id(content);
}

// transformers' Llama-family fast tokenizers rebuild their post-processor
// from add_bos_token / add_eos_token.
void apply_bos_eos_template(PipelineParts& p, const TokenizerConfig& c) {
  bool add_bos = c.add_bos_token.value_or(true);
  bool add_eos = c.add_eos_token.value_or(false);
  std::vector<TemplateSpecial> specials;
  std::string single, pair;
  std::string bos = c.bos ? c.bos->content : "", eos = c.eos ? c.eos->content : "";
  if (add_bos) {
    if (lookup(p, bos) < 0) return;
    specials.push_back({bos, {lookup(p, bos)}, {bos}});
  }
  if (add_eos) {
    if (lookup(p, eos) < 0) return;
    if (eos != bos) specials.push_back({eos, {lookup(p, eos)}, {eos}});
  }
  single = (add_bos ? bos + ":0 " : "") + "$A:0" + (add_eos ? " " + eos + ":0" : "");
  pair = single + (add_bos ? " " + bos + ":1" : "") + " $B:1" + (add_eos ? " " + eos + ":1" : "");
  p.post_processor = make_template_processor(parse_template(single), parse_template(pair), std::move(specials));
}

}  // namespace

void apply_config_tokens(PipelineParts& p, const TokenizerConfig& c) {
  // Tokens already defined keep their options: tokenizers matches special
  // tokens with the options they were first added with.
  for (const AddedToken& t : c.added_tokens_decoder) {
    if (t.id < 0 || p.added.find_content(t.content)) continue;
    p.added.add(t);
  }
  for (const auto& [content, id] : c.added_tokens_file) {
    if (p.added.find_content(content)) continue;
    AddedToken t;
    t.content = content;
    t.id = id;
    t.normalized = true;
    p.added.add(t);
  }
  auto add_special = [&](const SpecialTokenSpec& s) {
    if (s.content.empty() || p.added.find_content(s.content)) return;
    int32_t id = p.model->token_to_id(s.content);
    if (id < 0) return;
    AddedToken t;
    t.content = s.content;
    t.id = id;
    t.special = true;
    t.lstrip = s.lstrip;
    t.rstrip = s.rstrip;
    t.single_word = s.single_word;
    t.normalized = s.normalized;
    p.added.add(t);
  };
  const std::optional<SpecialTokenSpec>* named[] = {&c.bos, &c.eos, &c.unk, &c.sep, &c.pad, &c.cls, &c.mask};
  for (const auto* s : named) {
    if (s->has_value()) add_special(**s);
  }
  for (const auto& s : c.additional_special) add_special(s);
  auto id_of = [&](const std::optional<SpecialTokenSpec>& s) -> std::optional<int32_t> {
    if (!s || s->content.empty()) return std::nullopt;
    int32_t id = lookup(p, s->content);
    if (id < 0) return std::nullopt;
    return id;
  };
  p.special_ids.bos = id_of(c.bos);
  p.special_ids.eos = id_of(c.eos);
  p.special_ids.unk = id_of(c.unk);
  p.special_ids.sep = id_of(c.sep);
  p.special_ids.pad = id_of(c.pad);
  p.special_ids.cls = id_of(c.cls);
  p.special_ids.mask = id_of(c.mask);
}

std::unique_ptr<Tokenizer> build_from_tokenizer_json(std::string_view tokenizer_json, const TokenizerConfig& config) {
  json j = json::parse(tokenizer_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw ModelError("tokenizer.json is not valid JSON");
  TokenizerConfig c = config;
  const std::string family = tokenizer_family(c);
  apply_family_defaults(c, family);
  PipelineParts p;
  try {
    p.model = make_model(j.at("model"));
    p.normalizer = make_normalizer(member(j, "normalizer"));
    p.pre_tokenizer = make_pre_tokenizer(member(j, "pre_tokenizer"));
    p.post_processor = make_post_processor(member(j, "post_processor"));
    p.decoder = make_decoder(member(j, "decoder"));
    p.tokens_decoder = make_decoder(member(j, "decoder"), /*allow_cleanup=*/false);
    for (const auto& t : member(j, "added_tokens")) {
      AddedToken a;
      a.id = t.at("id").get<int32_t>();
      a.content = t.at("content").get<std::string>();
      a.special = t.value("special", false);
      a.lstrip = t.value("lstrip", false);
      a.rstrip = t.value("rstrip", false);
      a.single_word = t.value("single_word", false);
      a.normalized = t.value("normalized", !a.special);
      p.added.add(a);
    }
  } catch (const json::exception& e) {
    throw ModelError(std::string("tokenizer.json: ") + e.what());
  }
  apply_config_tokens(p, c);
  if (family == "llama" && (c.add_bos_token || c.add_eos_token)) apply_bos_eos_template(p, c);
  p.added.build(p.normalizer.get());
  p.kind = p.model->kind();
  if (p.kind == "bpe" && (member(j, "pre_tokenizer").dump().find("\"ByteLevel\"") != std::string::npos ||
                          member(j, "decoder").dump().find("\"ByteLevel\"") != std::string::npos)) {
    p.kind = "byte-level-bpe";
  }
  p.model_max_length = c.model_max_length;
  p.padding_side = c.padding_side;
  // Without a setting, decode cleans up spaces, as tokenizers.js does (the
  // reference for tokenizer.json behaviour in the fixtures).
  p.clean_up_default = c.clean_up_tokenization_spaces.value_or(true);
  p.strict_truncation = true;
  return make_pipeline_tokenizer(std::move(p));
}

}  // namespace xfmr::tok
