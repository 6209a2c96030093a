#pragma once
// Decoding: greedy search, multinomial sampling, beam search and beam sampling with the
// semantics of Hugging Face transformers 4.48 `generate()`, for any model that implements
// core/step_model.hpp (GPT-2, Llama, and the decoders of T5 / BART / Marian alike).
//
// Typical use (the CLI and the heads' generate / translate / summarize glue):
//
//   GenerationConfig cfg = build_generation_config(config_json, &gen_json, task, &options);
//   std::vector<DecodedInput> out = decode(model, prompts, cfg, seed, first_index, on_token);
//   out[i].sequences[j].tokens   // prompt + generated ids, as transformers' `sequences`
//   out[i].sequences[j].score    // beams: sequences_scores; else sum of token log-probs
//
// Prompts. Decoder-only models: the prompt ids. Encoder-decoder models: the decoder start
// token (decoder_start_token(cfg)); the encoder input went to the model when its session was
// created, and may be passed as `encoder_tokens` for encoder_no_repeat_ngram_size.
//
// Strategy: num_beams == 1 decodes token by token (greedy, or sampling when do_sample; with
// num_return_sequences independent samples per input); num_beams > 1 runs transformers'
// BeamSearchScorer algorithm (beam sampling when do_sample). The model is started once with
// copies = num_return_sequences (token by token) or num_beams (beams), then stepped one
// token per row; beams reorder the model's cache only when the parents are not the identity.
//
// Batching. Inputs decoded together give exactly what each gives alone: every input has its
// own lengths (max_new_tokens counts from its own prompt), counters, processors and random
// stream. Unlike transformers, no shared padded max_length is emulated: a left-padded
// transformers batch can differ from its inputs run one by one, xfmr cannot. Rows that have
// finished are fed filler_token(cfg) until the whole batch is done (a StepModel cannot drop
// rows). All inputs of one call must agree on num_beams > 1 and on the rows per input
// (can_share_batch); other options (temperature, lengths, ...) may differ per input.
//
// Sampling is reproducible: input i draws from the stream Rng(seed, stream) alone, where the
// caller passes as `stream` the input's index in the whole run. The same seed gives the same
// ids on every run, at any thread count, alone or in any batch. Draws are exact
// (inverse-CDF on the processed distribution, in double).
//
// Output, per input: `num_return_sequences` sequences (beams: best first). A beam hypothesis
// that ended with EOS gets eos_token_id[0] appended, as transformers does. Sequences are not
// padded to a common length.
//
// Streaming and stop strings: `on_token` is called after every token chosen by greedy or
// sampling decoding (not for beams, whose tokens are not final until the end). Returning
// false stops that sequence now, the token kept (transformers' StopStringCriteria does the
// same); stop strings are the caller's business since it has the tokenizer.
//
// Errors: UsageError for configurations the model cannot run (a token id outside the
// vocabulary, inputs that cannot share a batch); InputError for a bad prompt (empty, ids
// outside the vocabulary, already as long as max_length).
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/step_model.hpp"
#include "generate/generation_config.hpp"

namespace xfmr::gen {

enum class FinishReason {
  eos,         // an EOS token was generated (it is the last token)
  max_length,  // the length limit was reached
  stopped,     // on_token asked to stop (stop string, interruption)
};
const char* finish_reason_name(FinishReason reason);

struct DecodedSequence {
  std::vector<int32_t> tokens;  // prompt (or decoder start) followed by the generated tokens
  int32_t prompt_length = 0;
  int32_t generated = 0;        // tokens.size() - prompt_length
  // Beams: transformers' sequences_scores (sum of log-probs / generated ** length_penalty).
  // Greedy / sampling: sum of the log-probabilities of the generated tokens under the
  // processed distribution (after every processor and warper).
  double score = 0.0;
  FinishReason finish = FinishReason::max_length;
};

struct DecodedInput {
  std::vector<DecodedSequence> sequences;  // num_return_sequences of them
};

struct DecodeInput {
  DecodeInput() = default;
  DecodeInput(std::span<const int32_t> prompt_ids, const GenerationConfig* generation_config, uint64_t seed_value = 0,
              uint64_t stream_index = 0, std::span<const int32_t> encoder_ids = {})
      : prompt(prompt_ids), config(generation_config), seed(seed_value), stream(stream_index),
        encoder_tokens(encoder_ids) {}

  std::span<const int32_t> prompt;          // must outlive decode()
  const GenerationConfig* config = nullptr;  // validated (build_generation_config does it)
  uint64_t seed = 0;
  uint64_t stream = 0;                      // the input's index in the whole run
  std::span<const int32_t> encoder_tokens;  // encoder-decoder: the encoder input ids
};

struct TokenEvent {
  int32_t input;      // index into the inputs of this decode() call
  int32_t sequence;   // 0 .. num_return_sequences - 1
  int32_t token;
  int32_t generated;  // tokens generated so far in this sequence, this one included
  bool last;          // the sequence ends with this token (EOS or length limit)
};
// Returns false to stop this sequence after this token.
using TokenCallback = std::function<bool(const TokenEvent&)>;

std::vector<DecodedInput> decode(StepModel& model, std::span<const DecodeInput> inputs,
                                 const TokenCallback& on_token = {});

// One configuration for every prompt; prompt i uses the random stream first_stream + i.
std::vector<DecodedInput> decode(StepModel& model, const std::vector<std::vector<int32_t>>& prompts,
                                 const GenerationConfig& config, uint64_t seed = 0, uint64_t first_stream = 0,
                                 const TokenCallback& on_token = {});

// Model rows one input occupies: num_beams for beam search, else num_return_sequences.
int32_t rows_per_input(const GenerationConfig& config);
bool uses_beams(const GenerationConfig& config);
// Whether inputs with these configurations may be decoded in one call.
bool can_share_batch(const GenerationConfig& a, const GenerationConfig& b);

}  // namespace xfmr::gen
