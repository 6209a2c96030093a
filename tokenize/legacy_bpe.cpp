#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "tokenize/decoders.hpp"
#include "tokenize/family_defaults.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/models.hpp"
#include "tokenize/pipeline.hpp"
#include "tokenize/post_processors.hpp"
#include "tokenize/pre_tokenizers.hpp"

namespace xfmr::tok {

std::unique_ptr<Tokenizer> load_bpe_legacy(const std::filesystem::path& dir, const TokenizerConfig& config,
                                           const std::string& family) {
  TokenizerConfig c = config;
  apply_family_defaults(c, family);
  const nlohmann::json vocab_json = nlohmann::json::parse(read_file(dir / "vocab.json"), nullptr, false);
  if (vocab_json.is_discarded() || !vocab_json.is_object()) throw ModelError(dir.string() + "/vocab.json is not a JSON object");
  std::vector<std::pair<std::string, int32_t>> vocab;
  vocab.reserve(vocab_json.size());
  for (const auto& [token, id] : vocab_json.items()) {
    if (!id.is_number_integer()) throw ModelError(dir.string() + "/vocab.json: id of '" + token + "' is not an integer");
    vocab.emplace_back(token, id.get<int32_t>());
  }
  const std::string merges_text = read_file(dir / "merges.txt");
  std::vector<std::pair<std::string, std::string>> merges;
  size_t pos = 0;
  bool first = true;
  while (pos < merges_text.size()) {
    size_t end = merges_text.find('\n', pos);
    if (end == std::string::npos) end = merges_text.size();
    std::string_view line(merges_text.data() + pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first && line.starts_with("#version")) {
      first = false;
      continue;
    }
    first = false;
    if (line.empty()) continue;
    size_t space = line.find(' ');
    if (space == std::string_view::npos) throw ModelError(dir.string() + "/merges.txt: bad line '" + std::string(line) + "'");
    merges.emplace_back(std::string(line.substr(0, space)), std::string(line.substr(space + 1)));
  }
  PipelineParts p;
  BpeOptions o;
  o.byte_level = true;
  p.model = make_bpe(std::move(vocab), merges, o);
  const bool add_prefix_space = c.add_prefix_space.value_or(false);
  p.pre_tokenizer = make_byte_level_pre_tokenizer(add_prefix_space, true);
  p.decoder = make_byte_level_decoder();
  apply_config_tokens(p, c);
  if (family == "roberta" || family == "bart") {
    if (!p.special_ids.cls || !p.special_ids.sep) throw ModelError(dir.string() + "/vocab.json lacks <s> or </s>");
    p.post_processor = make_roberta_processor({c.sep->content, *p.special_ids.sep}, {c.cls->content, *p.special_ids.cls},
                                              true, add_prefix_space);
  } else if (c.add_bos_token.value_or(false) && p.special_ids.bos) {
    const std::string bos = c.bos->content;
    p.post_processor = make_template_processor(parse_template(bos + ":0 $A:0"),
                                               parse_template(bos + ":0 $A:0 " + bos + ":1 $B:1"),
                                               {{bos, {*p.special_ids.bos}, {bos}}});
  } else {
    p.post_processor = make_byte_level_processor(false, add_prefix_space);
  }
  p.added.build(nullptr);
  p.kind = "byte-level-bpe";
  p.model_max_length = c.model_max_length;
  p.padding_side = c.padding_side;
  p.clean_up_default = c.clean_up_tokenization_spaces.value_or(false);
  p.strict_truncation = false;
  return make_pipeline_tokenizer(std::move(p));
}

}  // namespace xfmr::tok
