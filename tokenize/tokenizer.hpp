#pragma once
// The one tokenizer interface every subcommand uses. Built from tokenizer.json
// (the "fast" pipeline: normalizer, pre-tokenizer, model, post-processor,
// decoder, added tokens) or from the legacy files (vocab.txt, vocab.json +
// merges.txt, spiece.model, Marian source/target.spm + vocab.json).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xfmr::tok {

// Offsets are Unicode code points into the text of the sequence the token came
// from (the first text or the pair), as Python's str indices; {0, 0} for
// special tokens.
struct Offset {
  uint32_t start = 0;
  uint32_t end = 0;
  bool operator==(const Offset&) const = default;
};

struct Encoding {
  std::vector<int32_t> ids;
  std::vector<std::string> tokens;
  std::vector<Offset> offsets;
  std::vector<int32_t> word_ids;      // word index within its sequence; -1 for special tokens
  std::vector<int32_t> sequence_ids;  // 0 first text, 1 pair, -1 special tokens
  std::vector<int32_t> type_ids;
  std::vector<uint8_t> special_tokens_mask;
  std::vector<uint8_t> attention_mask;
  // Further chunks when truncation with return_overflowing was asked for
  // (qa's doc stride, ner on long inputs). Each chunk is a complete encoding
  // with special tokens, as transformers' return_overflowing_tokens gives them.
  std::vector<Encoding> overflowing;

  size_t size() const { return ids.size(); }
};

enum class Truncation { longest_first, only_first, only_second };
enum class PaddingSide { right, left };

struct EncodeOptions {
  bool add_special_tokens = true;
  size_t max_length = 0;  // 0: no truncation
  Truncation truncation = Truncation::longest_first;
  size_t stride = 0;      // tokens shared by consecutive overflowing chunks
  bool return_overflowing = false;
};

struct SpecialTokenIds {
  std::optional<int32_t> pad, unk, cls, sep, mask, bos, eos;
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // tokenizer.json when the folder has one, else the legacy files; which
  // family comes from config.json model_type / tokenizer_config.json
  // tokenizer_class, as transformers decides. Throws ModelError naming what is missing.
  static std::unique_ptr<Tokenizer> from_folder(const std::filesystem::path& dir);
  // Ignores tokenizer.json: the legacy ("slow") files only.
  static std::unique_ptr<Tokenizer> from_legacy_files(const std::filesystem::path& dir);
  // bert-base-uncased, linked into the binary.
  static std::unique_ptr<Tokenizer> embedded_default();

  virtual Encoding encode(std::string_view text, const EncodeOptions& options = {}) const = 0;
  virtual Encoding encode_pair(std::string_view text, std::string_view pair,
                               const EncodeOptions& options = {}) const = 0;

  // clean_up: transformers' clean_up_tokenization_spaces; unset = the
  // tokenizer's own default, as tokenizer.decode(ids) does.
  virtual std::string decode(std::span<const int32_t> ids, bool skip_special_tokens,
                             std::optional<bool> clean_up = std::nullopt) const = 0;
  // transformers' convert_tokens_to_string (ner's "word" field).
  virtual std::string tokens_to_string(std::span<const std::string> tokens) const = 0;

  virtual std::optional<int32_t> token_to_id(std::string_view token) const = 0;
  virtual std::string id_to_token(int32_t id) const = 0;
  virtual size_t vocab_size() const = 0;  // including added tokens
  virtual const SpecialTokenIds& special_ids() const = 0;
  virtual bool is_special(int32_t id) const = 0;

  // "wordpiece", "bpe", "byte-level-bpe", "unigram", "sentencepiece", "marian": for `xfmr info`.
  virtual std::string kind() const = 0;
  // WordPiece's "##": ner tells subwords by it, as the pipeline does.
  virtual std::optional<std::string> continuing_subword_prefix() const = 0;
  // tokenizer_config.json model_max_length (0 when absent or absurdly large).
  virtual size_t model_max_length() const = 0;
  virtual PaddingSide padding_side() const = 0;
};

// Pads every encoding to the longest (or to `length` if larger) with pad_id.
void pad(std::vector<Encoding>& batch, int32_t pad_id, PaddingSide side, size_t length = 0);

}  // namespace xfmr::tok
