#pragma once
// Tokenizers built from the files that predate tokenizer.json, with the
// behaviour of transformers' Python ("slow") classes.
#include <filesystem>
#include <memory>
#include <string>

#include "tokenize/hf_config.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::tok {

// vocab.txt (BertTokenizer).
std::unique_ptr<Tokenizer> load_wordpiece_legacy(const std::filesystem::path& dir, const TokenizerConfig& config);
// vocab.json + merges.txt (GPT2Tokenizer, RobertaTokenizer, BartTokenizer).
std::unique_ptr<Tokenizer> load_bpe_legacy(const std::filesystem::path& dir, const TokenizerConfig& config,
                                           const std::string& family);
// spiece.model / tokenizer.model / source.spm + target.spm through
// libsentencepiece (T5, Albert, Llama, Marian).
std::unique_ptr<Tokenizer> load_sentencepiece_legacy(const std::filesystem::path& dir, const TokenizerConfig& config,
                                                     const std::string& family);

// Loads the legacy files of `dir` as the tokenizer class `tokenizer_class`
// (e.g. "AlbertTokenizer") would; empty: decide from the folder.
std::unique_ptr<Tokenizer> load_legacy(const std::filesystem::path& dir, const std::string& tokenizer_class = {});

}  // namespace xfmr::tok
