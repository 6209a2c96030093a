#pragma once
// Operations on encodings shared by every tokenizer: truncation with
// overflowing chunks, merging parts, as Hugging Face tokenizers does them.
#include <vector>

#include "tokenize/tokenizer.hpp"

namespace xfmr::tok {

// Keeps the first `max_len` tokens; the rest go to `overflowing` in windows of
// `max_len` that overlap by `stride` tokens.
void truncate_encoding(Encoding& e, size_t max_len, size_t stride);

// Truncates a sequence (and its pair) to `max_length` tokens in total with the
// given strategy (tokenizers' truncate_encodings). `strict` throws InputError
// when only_first / only_second cannot remove enough; otherwise the encodings
// are left as they are (transformers' slow tokenizers only log it).
void truncate_pair(Encoding& first, Encoding* second, size_t max_length, Truncation strategy, size_t stride,
                   bool strict);

// Appends `other` to `into`, combining their overflowing chunks.
void merge_into(Encoding& into, const Encoding& other);

// Concatenates parts in order.
Encoding merge_parts(std::vector<Encoding>& parts);

// An encoding of special tokens only.
Encoding special_tokens_encoding(const std::vector<int32_t>& ids, const std::vector<std::string>& tokens,
                                 int32_t type_id);

void set_type_ids(Encoding& e, int32_t type_id);
void set_sequence_id(Encoding& e, int32_t sequence_id);

}  // namespace xfmr::tok
