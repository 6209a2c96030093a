#pragma once
// Loading sentencepiece models, including the variant transformers makes for
// non-legacy Llama / T5 tokenizers (no dummy prefix).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <sentencepiece_processor.h>

namespace xfmr::tok {

// The serialized model with normalizer_spec.add_dummy_prefix set to false.
std::string without_dummy_prefix(std::string_view model_proto);

std::unique_ptr<sentencepiece::SentencePieceProcessor> load_sentencepiece(const std::string& serialized,
                                                                          const std::filesystem::path& source);

}  // namespace xfmr::tok
