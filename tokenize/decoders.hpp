#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "tokenize/components.hpp"

namespace xfmr::tok {

// Builds the decoder of a tokenizer.json "decoder" object (null: none).
// allow_cleanup false drops WordPiece's clean-up (" ." -> "."): transformers'
// convert_tokens_to_string, which ner's "word" comes from, joins without it.
std::unique_ptr<Decoder> make_decoder(const nlohmann::json& spec, bool allow_cleanup = true);

std::unique_ptr<Decoder> make_wordpiece_decoder(const std::string& prefix, bool cleanup);
std::unique_ptr<Decoder> make_byte_level_decoder();

// transformers' clean_up_tokenization: " ." -> "." and the like.
std::string clean_up_tokenization(std::string text);

}  // namespace xfmr::tok
