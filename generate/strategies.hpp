#pragma once
// Internal: the state shared by the decoding strategies (greedy.cpp, beam_search.cpp) and
// their entry points, called by decode.cpp and directly by the tests.
#include <cstdint>
#include <span>
#include <vector>

#include "core/step_model.hpp"
#include "generate/decode.hpp"
#include "generate/generation_config.hpp"
#include "generate/processors.hpp"
#include "generate/rng.hpp"

namespace xfmr::gen::detail {

// One input, resolved for decoding.
struct PreparedInput {
  std::span<const int32_t> prompt;
  const GenerationConfig* config = nullptr;
  LengthLimits limits;
  ProcessorChain chain;
  Rng rng;
  int32_t filler = 0;  // fed to its finished rows
};

// Builds the prepared inputs after checking prompts and token ids against the vocabulary.
std::vector<PreparedInput> prepare_inputs(std::span<const DecodeInput> inputs, int32_t vocab_size);

// The token sequence of every model row (input i owns rows [i * copies, (i + 1) * copies)),
// with capacity for the input's max_length reserved up front: appending and beam
// reordering never allocate.
class RowSequences {
 public:
  RowSequences(std::span<const PreparedInput> inputs, int32_t copies);
  std::span<const int32_t> row(size_t r) const { return current_[r]; }
  size_t length(size_t r) const { return current_[r].size(); }
  void append(size_t r, int32_t token) { current_[r].push_back(token); }
  // Row r takes the sequence row parents[r] had.
  void reorder(std::span<const int32_t> parents);
  // The prompts, one per input, for StepModel::start.
  std::vector<std::vector<int32_t>> prompts(int32_t copies) const;

 private:
  std::vector<std::vector<int32_t>> current_;
  std::vector<std::vector<int32_t>> spare_;
};

// num_beams == 1: greedy or multinomial sampling, num_return_sequences rows per input.
std::vector<DecodedInput> run_token_by_token(StepModel& model, std::vector<PreparedInput>& inputs,
                                             const TokenCallback& on_token);

// Beam search / beam sampling with config->num_beams rows per input (1 is allowed here).
std::vector<DecodedInput> run_beam_search(StepModel& model, std::vector<PreparedInput>& inputs);

}  // namespace xfmr::gen::detail
