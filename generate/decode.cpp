// decode(): checks a batch of inputs, prepares each and runs the strategy.
#include "generate/decode.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "generate/strategies.hpp"

namespace xfmr::gen {

namespace {

void check_id_in_vocab(int32_t id, std::string_view field, int32_t vocab_size) {
  if (id < 0 || id >= vocab_size) {
    throw UsageError(fmt::format("generation option `{}` holds token id {}, outside the model's vocabulary of {}",
                                 field, id, vocab_size));
  }
}

void check_ids_in_vocab(const std::vector<int32_t>& ids, std::string_view field, int32_t vocab_size) {
  for (int32_t id : ids) check_id_in_vocab(id, field, vocab_size);
}

void check_config_ids(const GenerationConfig& config, int32_t vocab_size) {
  check_ids_in_vocab(config.eos_token_id, "eos_token_id", vocab_size);
  check_ids_in_vocab(config.forced_eos_token_id, "forced_eos_token_id", vocab_size);
  if (config.forced_bos_token_id) check_id_in_vocab(*config.forced_bos_token_id, "forced_bos_token_id", vocab_size);
  check_ids_in_vocab(config.suppress_tokens, "suppress_tokens", vocab_size);
  check_ids_in_vocab(config.begin_suppress_tokens, "begin_suppress_tokens", vocab_size);
  for (const auto& words : config.bad_words_ids) check_ids_in_vocab(words, "bad_words_ids", vocab_size);
  for (const auto& entry : config.sequence_bias) check_ids_in_vocab(entry.first, "sequence_bias", vocab_size);
}

void check_prompt(std::span<const int32_t> prompt, size_t index, int32_t vocab_size) {
  if (prompt.empty()) throw InputError(fmt::format("input {}: the prompt is empty", index));
  for (int32_t id : prompt) {
    if (id < 0 || id >= vocab_size)
      throw InputError(fmt::format("input {}: token id {} is outside the model's vocabulary of {}", index, id, vocab_size));
  }
}

}  // namespace

const char* finish_reason_name(FinishReason reason) {
  switch (reason) {
    case FinishReason::eos: return "eos";
    case FinishReason::max_length: return "length";
    case FinishReason::stopped: return "stop";
  }
  return "?";
}

bool uses_beams(const GenerationConfig& config) { return config.num_beams > 1; }

int32_t rows_per_input(const GenerationConfig& config) {
  return uses_beams(config) ? config.num_beams : config.num_return_sequences;
}

bool can_share_batch(const GenerationConfig& a, const GenerationConfig& b) {
  return uses_beams(a) == uses_beams(b) && rows_per_input(a) == rows_per_input(b);
}

namespace detail {

std::vector<PreparedInput> prepare_inputs(std::span<const DecodeInput> inputs, int32_t vocab_size) {
  std::vector<PreparedInput> prepared;
  prepared.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const DecodeInput& input = inputs[i];
    if (input.config == nullptr) throw UsageError(fmt::format("input {}: no generation config", i));
    const GenerationConfig& config = *input.config;
    if (!can_share_batch(config, *inputs[0].config)) {
      throw UsageError(fmt::format(
          "input {}: num_beams / num_return_sequences differ from input 0's; decode them in separate batches", i));
    }
    check_config_ids(config, vocab_size);
    check_prompt(input.prompt, i, vocab_size);
    PreparedInput p;
    p.prompt = input.prompt;
    p.config = &config;
    try {
      p.limits = resolve_lengths(config, static_cast<int32_t>(input.prompt.size()));
    } catch (const InputError& e) {
      throw InputError(fmt::format("input {}: {}", i, e.what()));
    }
    const auto encoder_tokens = input.encoder_tokens.empty() ? input.prompt : input.encoder_tokens;
    p.chain = build_chain(config, p.limits, static_cast<int32_t>(input.prompt.size()), encoder_tokens);
    p.rng = Rng(input.seed, input.stream);
    p.filler = filler_token(config);
    if (p.filler < 0 || p.filler >= vocab_size) p.filler = 0;
    prepared.push_back(std::move(p));
  }
  return prepared;
}

}  // namespace detail

std::vector<DecodedInput> decode(StepModel& model, std::span<const DecodeInput> inputs, const TokenCallback& on_token) {
  if (inputs.empty()) return {};
  const int32_t vocab_size = model.vocab_size();
  if (vocab_size <= 0) throw ModelError("the model reports an empty vocabulary");
  auto prepared = detail::prepare_inputs(inputs, vocab_size);
  if (uses_beams(*inputs[0].config)) return detail::run_beam_search(model, prepared);
  return detail::run_token_by_token(model, prepared, on_token);
}

std::vector<DecodedInput> decode(StepModel& model, const std::vector<std::vector<int32_t>>& prompts,
                                 const GenerationConfig& config, uint64_t seed, uint64_t first_stream,
                                 const TokenCallback& on_token) {
  std::vector<DecodeInput> inputs(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    inputs[i].prompt = prompts[i];
    inputs[i].config = &config;
    inputs[i].seed = seed;
    inputs[i].stream = first_stream + i;
  }
  return decode(model, inputs, on_token);
}

}  // namespace xfmr::gen
