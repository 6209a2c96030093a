#pragma once
// The stages of the tokenizer.json pipeline, one interface each, as in
// Hugging Face tokenizers: normalizer, pre-tokenizer, model, post-processor,
// decoder. Implementations live in one file per stage.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenize/normalized.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::tok {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedText& text) const = 0;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Splits (and may rewrite) every span whose added_id < 0.
  virtual void pre_tokenize(Pieces& pieces) const = 0;
};

// One token of a word: id and byte range within the word.
struct ModelToken {
  int32_t id;
  uint32_t begin;
  uint32_t end;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual void tokenize(std::string_view word, std::vector<ModelToken>& out) const = 0;
  virtual int32_t token_to_id(std::string_view token) const = 0;   // -1 when absent
  virtual std::string_view id_to_token(int32_t id) const = 0;      // empty when absent
  virtual size_t vocab_size() const = 0;
  virtual std::string kind() const = 0;
  virtual std::string continuing_subword_prefix() const { return {}; }
};

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // Special tokens it adds to a single sequence or a pair.
  virtual size_t added_tokens(bool pair) const = 0;
  // `parts` holds the encoded sequence(s); on return, the parts to merge in
  // order (special tokens become parts of their own).
  virtual void process(std::vector<Encoding>& parts, bool add_special_tokens) const = 0;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Rewrites the token strings; joining the result gives the text.
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};

}  // namespace xfmr::tok
