#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "tokenize/components.hpp"

namespace xfmr::tok {

// Builds the pre-tokenizer of a tokenizer.json "pre_tokenizer" object.
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& spec);

std::unique_ptr<PreTokenizer> make_bert_pre_tokenizer();
std::unique_ptr<PreTokenizer> make_byte_level_pre_tokenizer(bool add_prefix_space, bool use_regex);

enum class PrependScheme { always, first, never };
std::unique_ptr<PreTokenizer> make_metaspace_pre_tokenizer(const std::string& replacement, PrependScheme scheme,
                                                           bool split);

}  // namespace xfmr::tok
