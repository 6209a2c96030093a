#pragma once
// The tokenizer.json pipeline as one Tokenizer: added tokens, normalizer,
// pre-tokenizer, model, truncation, post-processor; decoder for the way back.
// Legacy BERT and byte-level BPE folders are built into the same pipeline.
#include <memory>
#include <string>

#include "tokenize/added_tokens.hpp"
#include "tokenize/components.hpp"
#include "tokenize/hf_config.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::tok {

struct PipelineParts {
  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> pre_tokenizer;
  std::unique_ptr<Model> model;
  std::unique_ptr<PostProcessor> post_processor;
  std::unique_ptr<Decoder> decoder;
  // convert_tokens_to_string's decoder, when it differs from `decoder` (WordPiece without clean-up).
  std::unique_ptr<Decoder> tokens_decoder;
  AddedVocabulary added;
  SpecialTokenIds special_ids;
  std::string kind;
  size_t model_max_length = 0;
  PaddingSide padding_side = PaddingSide::right;
  bool clean_up_default = false;
  // Overflow truncation that cannot remove enough throws (fast tokenizers) or
  // leaves the sequence whole (slow ones).
  bool strict_truncation = true;
};

std::unique_ptr<Tokenizer> make_pipeline_tokenizer(PipelineParts parts);

// Adds the special tokens a configuration names (and its added_tokens_decoder
// and added_tokens.json entries) to `parts.added`, and fills special_ids;
// tokens missing from the vocabulary are skipped.
void apply_config_tokens(PipelineParts& parts, const TokenizerConfig& config);

// tokenizer.json text + configuration -> tokenizer.
std::unique_ptr<Tokenizer> build_from_tokenizer_json(std::string_view tokenizer_json, const TokenizerConfig& config);

}  // namespace xfmr::tok
