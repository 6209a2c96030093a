// Token-by-token decoding (transformers' `_sample`): greedy search, or multinomial
// sampling when do_sample, with num_return_sequences independent rows per input.
#include <algorithm>

#include "generate/processors/row_math.hpp"
#include "generate/sampling.hpp"
#include "generate/strategies.hpp"

namespace xfmr::gen::detail {

namespace {

bool is_eos(int32_t token, const std::vector<int32_t>& eos) {
  return std::find(eos.begin(), eos.end(), token) != eos.end();
}

struct RowState {
  bool running = true;
  double score = 0.0;
  FinishReason finish = FinishReason::max_length;
};

}  // namespace

std::vector<DecodedInput> run_token_by_token(StepModel& model, std::vector<PreparedInput>& inputs,
                                             const TokenCallback& on_token) {
  const int32_t copies = inputs.front().config->num_return_sequences;
  const auto vocab = static_cast<size_t>(model.vocab_size());
  const size_t rows = inputs.size() * static_cast<size_t>(copies);

  RowSequences sequences(inputs, copies);
  std::vector<float> logits(rows * vocab);
  std::vector<int32_t> next(rows, 0);
  std::vector<RowState> state(rows);
  Scratch scratch(static_cast<int32_t>(vocab));

  model.start(sequences.prompts(copies), copies, logits);
  while (true) {
    bool any_running = false;
    for (size_t r = 0; r < rows; ++r) {
      PreparedInput& input = inputs[r / static_cast<size_t>(copies)];
      RowState& row = state[r];
      if (!row.running) {
        next[r] = input.filler;
        continue;
      }
      const std::span<float> scores(logits.data() + r * vocab, vocab);
      input.chain.apply(scores, sequences.row(r), scratch);

      int32_t token = 0;
      double log_probability = 0.0;
      if (input.config->do_sample) {
        token = sample_one(scores, scratch.weights, input.rng, log_probability);
      } else {
        token = argmax(scores);
        log_probability = static_cast<double>(scores[static_cast<size_t>(token)]) - log_sum_exp(scores);
      }
      sequences.append(r, token);
      row.score += log_probability;
      next[r] = token;

      const auto length = static_cast<int32_t>(sequences.length(r));
      if (is_eos(token, input.config->eos_token_id)) {
        row.running = false;
        row.finish = FinishReason::eos;
      } else if (length >= input.limits.max_length) {
        row.running = false;
        row.finish = FinishReason::max_length;
      }
      if (on_token) {
        const TokenEvent event{static_cast<int32_t>(r / static_cast<size_t>(copies)),
                               static_cast<int32_t>(r % static_cast<size_t>(copies)), token,
                               length - static_cast<int32_t>(input.prompt.size()), !row.running};
        if (!on_token(event) && row.running) {
          row.running = false;
          row.finish = FinishReason::stopped;
        }
      }
      any_running = any_running || row.running;
    }
    if (!any_running) break;
    model.step(next, logits);
  }

  std::vector<DecodedInput> results(inputs.size());
  for (size_t r = 0; r < rows; ++r) {
    const PreparedInput& input = inputs[r / static_cast<size_t>(copies)];
    DecodedSequence sequence;
    const auto tokens = sequences.row(r);
    sequence.tokens.assign(tokens.begin(), tokens.end());
    sequence.prompt_length = static_cast<int32_t>(input.prompt.size());
    sequence.generated = static_cast<int32_t>(tokens.size()) - sequence.prompt_length;
    sequence.score = state[r].score;
    sequence.finish = state[r].finish;
    results[r / static_cast<size_t>(copies)].sequences.push_back(std::move(sequence));
  }
  return results;
}

}  // namespace xfmr::gen::detail
