#include "cli/commands/encoder_inputs.hpp"

#include <fmt/format.h>

namespace xfmr::cli {

tok::Encoding encode_truncated(const EncoderSession& session, const GlobalOptions& options, OnceWarning& warning,
                               const std::string& text, const std::string* pair) {
  tok::EncodeOptions encode;
  encode.max_length = session.max_tokens;
  tok::Encoding encoding = pair ? session.tokenizer->encode_pair(text, *pair, encode)
                                : session.tokenizer->encode(text, encode);
  // The tokenizer keeps what it cut as overflow; any of it means the input was too long.
  if (!encoding.overflowing.empty() || encoding.size() >= session.max_tokens) {
    tok::EncodeOptions whole;
    size_t full = (pair ? session.tokenizer->encode_pair(text, *pair, whole) : session.tokenizer->encode(text, whole)).size();
    if (full > encoding.size())
      warning.print(options, fmt::format("inputs longer than {} tokens are truncated (one had {})", session.max_tokens, full));
  }
  encoding.overflowing.clear();
  return encoding;
}

void add_to_batch(EncoderBatch& batch, const tok::Encoding& encoding) { batch.add(encoding.ids, encoding.type_ids); }

std::vector<tok::Encoding> add_chunks(EncoderBatch& batch, tok::Encoding encoding) {
  std::vector<tok::Encoding> chunks;
  std::vector<tok::Encoding> overflow = std::move(encoding.overflowing);
  encoding.overflowing.clear();
  chunks.push_back(std::move(encoding));
  for (auto& o : overflow) chunks.push_back(std::move(o));
  for (const auto& c : chunks) add_to_batch(batch, c);
  return chunks;
}

}  // namespace xfmr::cli
