#include "tokenize/hf_config.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace xfmr::tok {
namespace {

using json = nlohmann::json;

json parse_or_null(std::string_view text, const char* name) {
  if (text.empty()) return json();
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) throw ModelError(std::string(name) + " is not valid JSON");
  return j;
}

std::optional<bool> optional_bool(const json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::optional<SpecialTokenSpec> special_spec(const json& value) {
  if (value.is_string()) return SpecialTokenSpec{value.get<std::string>()};
  if (value.is_object() && value.contains("content")) {
    SpecialTokenSpec s;
    s.content = value["content"].get<std::string>();
    s.lstrip = value.value("lstrip", false);
    s.rstrip = value.value("rstrip", false);
    s.normalized = value.value("normalized", false);
    s.single_word = value.value("single_word", false);
    return s;
  }
  return std::nullopt;
}

void read_specials(const json& j, TokenizerConfig& c, bool fill_only) {
  if (!j.is_object()) return;
  struct Field {
    const char* key;
    std::optional<SpecialTokenSpec>* slot;
  };
  const Field fields[] = {{"bos_token", &c.bos}, {"eos_token", &c.eos}, {"unk_token", &c.unk}, {"sep_token", &c.sep},
                          {"pad_token", &c.pad}, {"cls_token", &c.cls}, {"mask_token", &c.mask}};
  for (const auto& f : fields) {
    auto it = j.find(f.key);
    if (it == j.end()) continue;
    if (fill_only && f.slot->has_value()) continue;
    if (it->is_null()) {
      if (!fill_only) *f.slot = SpecialTokenSpec{};  // explicitly none: empty content
      continue;
    }
    if (auto s = special_spec(*it)) *f.slot = s;
  }
  auto extra = j.find("additional_special_tokens");
  if (extra != j.end() && extra->is_array() && !(fill_only && !c.additional_special.empty())) {
    c.additional_special.clear();
    for (const auto& v : *extra) {
      if (auto s = special_spec(v)) c.additional_special.push_back(*s);
    }
  }
}

size_t parse_max_length(const json& j) {
  for (const char* key : {"model_max_length", "max_len"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) continue;
    double v = it->get<double>();
    if (v <= 0 || v > 1e9) return 0;
    return static_cast<size_t>(v);
  }
  return 0;
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw ModelError("cannot read " + path.string());
  std::string data;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) data.append(buffer, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw ModelError("cannot read " + path.string());
  return data;
}

TokenizerConfig parse_tokenizer_config(std::string_view tokenizer_config, std::string_view special_tokens_map,
                                       std::string_view added_tokens, std::string_view config) {
  TokenizerConfig c;
  const json tc = parse_or_null(tokenizer_config, "tokenizer_config.json");
  const json sm = parse_or_null(special_tokens_map, "special_tokens_map.json");
  const json at = parse_or_null(added_tokens, "added_tokens.json");
  const json mc = parse_or_null(config, "config.json");
  try {
    if (mc.is_object()) {
      c.model_type = mc.value("model_type", std::string());
      if (c.tokenizer_class.empty()) c.tokenizer_class = mc.value("tokenizer_class", std::string());
    }
    if (tc.is_object()) {
      auto cls = tc.find("tokenizer_class");
      if (cls != tc.end() && cls->is_string()) c.tokenizer_class = cls->get<std::string>();
      read_specials(tc, c, false);
      c.model_max_length = parse_max_length(tc);
      if (tc.value("padding_side", std::string("right")) == "left") c.padding_side = PaddingSide::left;
      c.clean_up_tokenization_spaces = optional_bool(tc, "clean_up_tokenization_spaces");
      c.do_lower_case = optional_bool(tc, "do_lower_case");
      c.strip_accents = optional_bool(tc, "strip_accents");
      c.tokenize_chinese_chars = optional_bool(tc, "tokenize_chinese_chars");
      c.keep_accents = optional_bool(tc, "keep_accents");
      c.remove_space = optional_bool(tc, "remove_space");
      c.add_prefix_space = optional_bool(tc, "add_prefix_space");
      c.add_bos_token = optional_bool(tc, "add_bos_token");
      c.add_eos_token = optional_bool(tc, "add_eos_token");
      c.legacy = optional_bool(tc, "legacy");
      c.spaces_between_special_tokens = optional_bool(tc, "spaces_between_special_tokens");
      auto extra = tc.find("extra_ids");
      if (extra != tc.end() && extra->is_number_integer()) c.extra_ids = extra->get<int>();
      auto decoder = tc.find("added_tokens_decoder");
      if (decoder != tc.end() && decoder->is_object()) {
        for (const auto& [id, t] : decoder->items()) {
          AddedToken a;
          a.id = std::stoi(id);
          a.content = t.at("content").get<std::string>();
          a.special = t.value("special", false);
          a.lstrip = t.value("lstrip", false);
          a.rstrip = t.value("rstrip", false);
          a.single_word = t.value("single_word", false);
          a.normalized = t.value("normalized", !a.special);
          c.added_tokens_decoder.push_back(std::move(a));
        }
      }
    }
    read_specials(sm, c, true);
    if (at.is_object()) {
      for (const auto& [token, id] : at.items()) c.added_tokens_file.emplace_back(token, id.get<int32_t>());
    }
  } catch (const json::exception& e) {
    throw ModelError(std::string("bad tokenizer configuration: ") + e.what());
  }
  const std::string fast = "Fast";
  if (c.tokenizer_class.size() > fast.size() &&
      c.tokenizer_class.compare(c.tokenizer_class.size() - fast.size(), fast.size(), fast) == 0) {
    c.tokenizer_class.resize(c.tokenizer_class.size() - fast.size());
  }
  return c;
}

TokenizerConfig read_tokenizer_config(const std::filesystem::path& dir) {
  auto optional_file = [&](const char* name) -> std::string {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(dir / name, ec)) return {};
    return read_file(dir / name);
  };
  try {
    return parse_tokenizer_config(optional_file("tokenizer_config.json"), optional_file("special_tokens_map.json"),
                                  optional_file("added_tokens.json"), optional_file("config.json"));
  } catch (const ModelError& e) {
    throw ModelError(dir.string() + ": " + e.what());
  }
}

std::string tokenizer_family(const TokenizerConfig& c) {
  const std::string& cls = c.tokenizer_class;
  if (!cls.empty()) {
    if (cls == "BertTokenizer" || cls == "DistilBertTokenizer" || cls == "ElectraTokenizer" ||
        cls == "MobileBertTokenizer" || cls == "SqueezeBertTokenizer" || cls == "LayoutLMTokenizer" ||
        cls == "FunnelTokenizer" || cls == "RetriBertTokenizer" || cls == "MPNetTokenizer") {
      return "bert";
    }
    if (cls == "GPT2Tokenizer" || cls == "CodeGenTokenizer" || cls == "GPTNeoXTokenizer") return "gpt2";
    if (cls == "RobertaTokenizer" || cls == "LongformerTokenizer") return "roberta";
    if (cls == "BartTokenizer" || cls == "LEDTokenizer") return "bart";
    if (cls == "T5Tokenizer" || cls == "MT5Tokenizer") return "t5";
    if (cls == "AlbertTokenizer") return "albert";
    if (cls == "LlamaTokenizer" || cls == "CodeLlamaTokenizer" || cls == "MistralTokenizer") return "llama";
    if (cls == "MarianTokenizer") return "marian";
  }
  const std::string& t = c.model_type;
  if (t == "bert" || t == "distilbert" || t == "electra" || t == "mobilebert" || t == "squeezebert") return "bert";
  if (t == "gpt2" || t == "gpt_neo" || t == "codegen") return "gpt2";
  if (t == "roberta" || t == "longformer") return "roberta";
  if (t == "bart" || t == "led") return "bart";
  if (t == "t5" || t == "mt5") return "t5";
  if (t == "albert") return "albert";
  if (t == "llama" || t == "mistral") return "llama";
  if (t == "marian") return "marian";
  return {};
}

}  // namespace xfmr::tok
