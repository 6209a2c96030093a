#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>

#include "tokenize/components.hpp"

namespace xfmr::tok {

// Builds the normalizer of a tokenizer.json "normalizer" object (null: none).
std::unique_ptr<Normalizer> make_normalizer(const nlohmann::json& spec);

struct BertNormalizerOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;
  bool lowercase = true;
};
std::unique_ptr<Normalizer> make_bert_normalizer(const BertNormalizerOptions& options);

// Applies `normalizer` (may be null) to a plain string.
std::string normalize_string(const Normalizer* normalizer, std::string_view text);

}  // namespace xfmr::tok
