#pragma once
// What a model folder says about its tokenizer besides the vocabulary:
// tokenizer_config.json, special_tokens_map.json, added_tokens.json and
// config.json, merged the way transformers reads them.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/added_tokens.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::tok {

struct SpecialTokenSpec {
  std::string content;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = false;
  bool single_word = false;
};

struct TokenizerConfig {
  std::string tokenizer_class;  // without a "Fast" suffix
  std::string model_type;       // config.json
  std::optional<SpecialTokenSpec> bos, eos, unk, sep, pad, cls, mask;
  std::vector<SpecialTokenSpec> additional_special;
  std::vector<AddedToken> added_tokens_decoder;   // tokenizer_config.json
  std::vector<std::pair<std::string, int32_t>> added_tokens_file;  // added_tokens.json
  size_t model_max_length = 0;
  PaddingSide padding_side = PaddingSide::right;
  std::optional<bool> clean_up_tokenization_spaces;
  std::optional<bool> do_lower_case, strip_accents, tokenize_chinese_chars, keep_accents, remove_space;
  std::optional<bool> add_prefix_space, add_bos_token, add_eos_token, legacy, spaces_between_special_tokens;
  std::optional<int> extra_ids;
};

// Reads the optional files of `dir` (a missing file is fine, a corrupt one
// throws ModelError naming it).
TokenizerConfig read_tokenizer_config(const std::filesystem::path& dir);

// The same from file contents ("" for a missing file).
TokenizerConfig parse_tokenizer_config(std::string_view tokenizer_config, std::string_view special_tokens_map,
                                       std::string_view added_tokens, std::string_view config);

// The tokenizer family transformers would pick: "bert", "gpt2", "roberta",
// "bart", "t5", "albert", "llama", "marian", or "" when unknown.
std::string tokenizer_family(const TokenizerConfig& config);

// Whole file as a string; ModelError naming the file when unreadable.
std::string read_file(const std::filesystem::path& path);

}  // namespace xfmr::tok
