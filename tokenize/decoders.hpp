#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "tokenize/components.hpp"

namespace xfmr::tok {

// Builds the decoder of a tokenizer.json "decoder" object (null: none).
std::unique_ptr<Decoder> make_decoder(const nlohmann::json& spec);

std::unique_ptr<Decoder> make_wordpiece_decoder(const std::string& prefix, bool cleanup);
std::unique_ptr<Decoder> make_byte_level_decoder();

// transformers' clean_up_tokenization: " ." -> "." and the like.
std::string clean_up_tokenization(std::string text);

}  // namespace xfmr::tok
