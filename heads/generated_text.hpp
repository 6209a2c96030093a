#pragma once
// Generated ids → text, as the text-generation and text2text pipelines do it.
#include <span>
#include <string>

#include "tokenize/tokenizer.hpp"

namespace xfmr::heads {

// What a decoder-only model added after its prompt: the pipeline decodes the
// whole sequence and cuts off as many characters as the decoded prompt has.
std::string continuation_text(const tok::Tokenizer& tokenizer, std::span<const int32_t> prompt_ids,
                              std::span<const int32_t> sequence);

// An encoder-decoder's output: the decoded sequence without special tokens and
// without clean-up of spaces (the text2text pipelines' defaults).
std::string seq2seq_text(const tok::Tokenizer& tokenizer, std::span<const int32_t> sequence);

// Text that is final: drops a trailing U+FFFD (a character whose bytes are
// still coming in later tokens) so a stream never prints half a character.
std::string_view complete_prefix(std::string_view text);

// Feeds a growing sequence, returns the text that became final since the last call.
class TextStream {
 public:
  // continuation: decoder-only text after the prompt; otherwise seq2seq text.
  TextStream(const tok::Tokenizer& tokenizer, std::span<const int32_t> prompt_ids, bool continuation)
      : tokenizer_(tokenizer), prompt_(prompt_ids.begin(), prompt_ids.end()), continuation_(continuation) {}
  std::string push(std::span<const int32_t> sequence);
  // The whole text so far (final or not).
  const std::string& text() const { return text_; }

 private:
  const tok::Tokenizer& tokenizer_;
  std::vector<int32_t> prompt_;
  bool continuation_;
  std::string text_;
  size_t emitted_ = 0;
};

}  // namespace xfmr::heads
