#include "heads/generated_text.hpp"

#include "heads/code_points.hpp"

namespace xfmr::heads {

std::string continuation_text(const tok::Tokenizer& tokenizer, std::span<const int32_t> prompt_ids,
                              std::span<const int32_t> sequence) {
  std::string prompt = tokenizer.decode(prompt_ids, true);
  std::string full = tokenizer.decode(sequence, true);
  CodePointIndex index(full);
  return std::string(index.slice(count_code_points(prompt), index.size()));
}

std::string seq2seq_text(const tok::Tokenizer& tokenizer, std::span<const int32_t> sequence) {
  return tokenizer.decode(sequence, true, false);
}

std::string_view complete_prefix(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  while (text.size() >= kReplacement.size() && text.substr(text.size() - kReplacement.size()) == kReplacement)
    text.remove_suffix(kReplacement.size());
  return text;
}

std::string TextStream::push(std::span<const int32_t> sequence) {
  text_ = continuation_ ? continuation_text(tokenizer_, prompt_, sequence) : seq2seq_text(tokenizer_, sequence);
  std::string_view final_text = complete_prefix(text_);
  // Decoding more tokens can change earlier text (e.g. a space that a later
  // token absorbs); what was printed stays printed.
  if (final_text.size() <= emitted_) return {};
  std::string fresh(final_text.substr(emitted_));
  emitted_ = final_text.size();
  return fresh;
}

}  // namespace xfmr::heads
