#include "core/error.hpp"
#include "tokenize/decoders.hpp"
#include "tokenize/family_defaults.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/models.hpp"
#include "tokenize/normalizers.hpp"
#include "tokenize/pipeline.hpp"
#include "tokenize/post_processors.hpp"
#include "tokenize/pre_tokenizers.hpp"

namespace xfmr::tok {

std::unique_ptr<Tokenizer> load_wordpiece_legacy(const std::filesystem::path& dir, const TokenizerConfig& config) {
  TokenizerConfig c = config;
  apply_family_defaults(c, "bert");
  const std::string text = read_file(dir / "vocab.txt");
  std::vector<std::string> vocab;
  vocab.reserve(text.size() / 7);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    vocab.emplace_back(text, pos, end - pos);
    pos = end + 1;
  }
  PipelineParts p;
  BertNormalizerOptions n;
  n.lowercase = c.do_lower_case.value_or(true);
  n.strip_accents = c.strip_accents.value_or(n.lowercase);
  n.handle_chinese_chars = c.tokenize_chinese_chars.value_or(true);
  p.normalizer = make_bert_normalizer(n);
  p.pre_tokenizer = make_bert_pre_tokenizer();
  WordPieceOptions w;
  if (c.unk && !c.unk->content.empty()) w.unk_token = c.unk->content;
  p.model = make_wordpiece(std::move(vocab), w);
  p.decoder = make_wordpiece_decoder("##", true);
  p.tokens_decoder = make_wordpiece_decoder("##", false);
  apply_config_tokens(p, c);
  if (!p.special_ids.cls || !p.special_ids.sep) throw ModelError(dir.string() + "/vocab.txt lacks [CLS] or [SEP]");
  const std::string cls = c.cls->content, sep = c.sep->content;
  std::vector<TemplateSpecial> specials = {{cls, {*p.special_ids.cls}, {cls}}, {sep, {*p.special_ids.sep}, {sep}}};
  p.post_processor = make_template_processor(parse_template(cls + ":0 $A:0 " + sep + ":0"),
                                             parse_template(cls + ":0 $A:0 " + sep + ":0 $B:1 " + sep + ":1"),
                                             std::move(specials));
  p.added.build(p.normalizer.get());
  p.kind = "wordpiece";
  p.model_max_length = c.model_max_length;
  p.padding_side = c.padding_side;
  p.clean_up_default = c.clean_up_tokenization_spaces.value_or(true);
  p.strict_truncation = false;
  return make_pipeline_tokenizer(std::move(p));
}

}  // namespace xfmr::tok
