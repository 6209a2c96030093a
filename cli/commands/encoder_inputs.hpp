#pragma once
// Tokenizing inputs for the encoder subcommands, with the run's length limit.
#include <string>

#include "cli/global_options.hpp"
#include "cli/model_session.hpp"
#include "core/encoder.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::cli {

// Encodes text (and pair) cut to the session's limit, warning once when it cuts.
tok::Encoding encode_truncated(const EncoderSession& session, const GlobalOptions& options, OnceWarning& warning,
                               const std::string& text, const std::string* pair = nullptr);

// Adds an encoding's ids and type ids to a packed model batch.
void add_to_batch(EncoderBatch& batch, const tok::Encoding& encoding);

// An encoding and its overflowing chunks (ner and qa over long texts) as a
// list of chunks, each added to the batch in order.
std::vector<tok::Encoding> add_chunks(EncoderBatch& batch, tok::Encoding encoding);

}  // namespace xfmr::cli
