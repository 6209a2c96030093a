#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "tokenize/components.hpp"

namespace xfmr::tok {

// Builds the model of a tokenizer.json "model" object; 2020-era files have no
// "type", which is then inferred from the keys.
std::unique_ptr<Model> make_model(const nlohmann::json& spec);

struct WordPieceOptions {
  std::string unk_token = "[UNK]";
  std::string continuing_subword_prefix = "##";
  size_t max_input_chars_per_word = 100;
};
// `vocab[i]` is the token of id i.
std::unique_ptr<Model> make_wordpiece(std::vector<std::string> vocab, const WordPieceOptions& options);

struct BpeOptions {
  std::string unk_token;  // empty: none
  std::string continuing_subword_prefix;
  std::string end_of_word_suffix;
  bool fuse_unk = false;
  bool byte_fallback = false;
  bool ignore_merges = false;
  bool byte_level = false;  // for kind() only
};
// `vocab` as (token, id); merges as pairs of tokens in rank order.
std::unique_ptr<Model> make_bpe(std::vector<std::pair<std::string, int32_t>> vocab,
                                const std::vector<std::pair<std::string, std::string>>& merges,
                                const BpeOptions& options);

std::unique_ptr<Model> make_unigram(std::vector<std::pair<std::string, double>> vocab, int32_t unk_id,
                                    bool byte_fallback);

}  // namespace xfmr::tok
