#pragma once
#include <string>

#include "tokenize/hf_config.hpp"

namespace xfmr::tok {

// Fills the special tokens a configuration leaves out with the defaults of
// the transformers tokenizer class of `family`.
void apply_family_defaults(TokenizerConfig& config, const std::string& family);

// transformers' clean_up_tokenization_spaces default for the family's slow class.
bool family_clean_up_default(const std::string& family);

}  // namespace xfmr::tok
