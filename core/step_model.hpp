#pragma once
// The contract between the model core and the decoding module (generate/):
// decoding sees a model only as "append one token to every row, get the
// next-token logits", with a cache behind it. GPT-2, the Llama family and
// the decoders of T5 / BART / Marian all implement it.
#include <cstdint>
#include <span>
#include <vector>

namespace xfmr {

class StepModel {
 public:
  virtual ~StepModel() = default;

  virtual int32_t vocab_size() const = 0;

  // Starts prompts.size() * copies rows: row r continues prompt r / copies.
  // A prompt is the whole token prefix of its rows: the prompt of a decoder-only
  // model, the decoder start token(s) of an encoder-decoder (whose encoder input
  // was given when the session was created). Prompts may differ in length.
  // Writes the logits of the next token of every row: [rows, vocab_size()].
  virtual void start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies,
                     std::span<float> logits) = 0;

  // Appends tokens[r] to row r and writes the next logits [rows, vocab_size()].
  virtual void step(std::span<const int32_t> tokens, std::span<float> logits) = 0;

  // Beam search: from now on row r continues the sequence that row parents[r]
  // held (several rows may share a parent). parents.size() equals the row count.
  virtual void reorder(std::span<const int32_t> parents) = 0;
};

}  // namespace xfmr
