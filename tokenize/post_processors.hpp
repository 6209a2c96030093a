#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "tokenize/components.hpp"

namespace xfmr::tok {

class Model;

// Builds the post-processor of a tokenizer.json "post_processor" object.
std::unique_ptr<PostProcessor> make_post_processor(const nlohmann::json& spec);

// One item of a template: a special token (by its id string) or sequence A/B.
struct TemplatePiece {
  bool is_sequence = false;
  int sequence = 0;         // 0: A, 1: B
  std::string special;      // key into the special token table
  int32_t type_id = 0;
};
struct TemplateSpecial {
  std::string key;
  std::vector<int32_t> ids;
  std::vector<std::string> tokens;
};
std::unique_ptr<PostProcessor> make_template_processor(std::vector<TemplatePiece> single,
                                                       std::vector<TemplatePiece> pair,
                                                       std::vector<TemplateSpecial> specials);
// "[CLS]:0 $A:0 [SEP]:0" style strings, as transformers writes them.
std::vector<TemplatePiece> parse_template(const std::string& text);

// Default behaviour when a tokenizer has no post-processor.
std::unique_ptr<PostProcessor> make_default_post_processor();
std::unique_ptr<PostProcessor> make_roberta_processor(std::pair<std::string, int32_t> sep,
                                                      std::pair<std::string, int32_t> cls, bool trim_offsets,
                                                      bool add_prefix_space);
std::unique_ptr<PostProcessor> make_byte_level_processor(bool trim_offsets, bool add_prefix_space);

}  // namespace xfmr::tok
