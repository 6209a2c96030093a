#pragma once
// transformers' sentencepiece ("slow") tokenizers through libsentencepiece:
// T5Tokenizer, AlbertTokenizer, LlamaTokenizer and MarianTokenizer.
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <sentencepiece_processor.h>

#include "tokenize/added_tokens.hpp"
#include "tokenize/components.hpp"
#include "tokenize/string_map.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::tok {

struct SentencePieceOptions {
  std::string family;  // "t5", "albert", "llama", "marian"
  bool legacy = true;
  bool add_prefix_space = true;
  bool add_bos = false;
  bool add_eos = false;
  bool do_lower_case = false;
  bool remove_space = true;
  bool keep_accents = false;
  bool spaces_between_special_tokens = true;
  bool clean_up = false;
  size_t model_max_length = 0;
  PaddingSide padding_side = PaddingSide::right;
  std::string unk_token = "<unk>";
};

class SentencePieceTokenizer : public Tokenizer {
 public:
  SentencePieceTokenizer(SentencePieceOptions options, std::unique_ptr<sentencepiece::SentencePieceProcessor> source,
                         std::unique_ptr<sentencepiece::SentencePieceProcessor> plain,
                         std::unique_ptr<sentencepiece::SentencePieceProcessor> target,
                         std::vector<std::string> marian_vocab);

  // Set up after construction by the loader.
  void set_added_tokens(std::vector<AddedToken> tokens, std::vector<std::string> all_special_tokens,
                        SpecialTokenIds ids);
  void set_post_processor(std::unique_ptr<PostProcessor> post) { post_ = std::move(post); }

  Encoding encode(std::string_view text, const EncodeOptions& options) const override;
  Encoding encode_pair(std::string_view text, std::string_view pair, const EncodeOptions& options) const override;
  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens,
                     std::optional<bool> clean_up) const override;
  std::string tokens_to_string(std::span<const std::string> tokens) const override;
  std::optional<int32_t> token_to_id(std::string_view token) const override;
  std::string id_to_token(int32_t id) const override;
  size_t vocab_size() const override;
  const SpecialTokenIds& special_ids() const override { return ids_; }
  bool is_special(int32_t id) const override { return special_id_set_.count(id) > 0; }
  std::string kind() const override;
  std::optional<std::string> continuing_subword_prefix() const override { return std::nullopt; }
  size_t model_max_length() const override { return o_.model_max_length; }
  PaddingSide padding_side() const override { return o_.padding_side; }

  // Id of a piece of the encoding model (vocab.json for Marian).
  int32_t piece_id(std::string_view piece, int32_t sp_id) const;
  size_t base_vocab_size() const;

 private:
  Encoding encode_sequence(std::string_view text, int32_t sequence) const;
  void tokenize_chunk(const NormalizedText& doc, size_t begin, size_t end, Encoding& e, int32_t& word) const;
  Encoding finish(Encoding& a, Encoding* b, const EncodeOptions& options) const;
  std::string convert_tokens(std::vector<std::string> tokens) const;
  std::string sp_decode(const std::vector<std::string>& pieces) const;
  bool non_legacy() const { return !o_.legacy && (o_.family == "llama" || o_.family == "t5"); }

  SentencePieceOptions o_;
  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;      // encoding model
  std::unique_ptr<sentencepiece::SentencePieceProcessor> plain_;   // without dummy prefix (non-legacy)
  std::unique_ptr<sentencepiece::SentencePieceProcessor> target_;  // Marian decoding model
  std::vector<std::string> marian_vocab_;
  StringIdMap marian_ids_;
  int32_t marian_unk_ = -1;
  std::vector<AddedToken> added_;
  std::vector<AddedToken> added_plain_;  // same tokens without options, for matching
  AddedTokenMatcher matcher_;
  std::unordered_map<int32_t, size_t> added_by_id_;
  std::unordered_map<std::string, int32_t> added_by_content_;
  std::unordered_set<std::string> all_special_tokens_;
  std::unordered_set<int32_t> special_id_set_;
  std::unordered_set<std::string> legacy_added_tokens_;
  SpecialTokenIds ids_;
  std::unique_ptr<PostProcessor> post_;
  size_t unk_token_length_ = 0;
};

}  // namespace xfmr::tok
