#pragma once
// GenerationConfig: the decoding parameters of Hugging Face transformers (4.48) that xfmr
// supports, merged from layers, each overriding the previous where it sets a value:
//
//   1. transformers' defaults (max_length 20, top_k 50, top_p 1.0, num_beams 1, ...)
//   2. config.json's generation fields, only when the model has no generation_config.json
//      (transformers builds the model's generation config from config.json only then)
//   3. generation_config.json
//   4. task_specific_params[task] of config.json (summarization, translation_X_to_Y); the
//      "prefix" key is the caller's business and is skipped here
//   5. per-call overrides: CLI flags, then per-record JSON options (generate() kwargs)
//
//   GenerationConfig cfg = build_generation_config(config_json, &generation_config_json,
//                                                  &task_params, &call_options);
//   LengthLimits lim = resolve_lengths(cfg, prompt.size());   // per input
//
// Each field remembers the layer that set it (`source`), for --print-config.
// JSON null resets a field to its transformers default (None). Errors: a value of the wrong
// type or out of range throws ModelError for the model's files, UsageError for call layers,
// naming the key and the layer.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace xfmr::gen {

// transformers' early_stopping: False, True or "never" (see BeamHypotheses::is_done).
enum class EarlyStopping { off, on, never };

enum class ConfigLayer : uint8_t {
  default_value,      // transformers' GenerationConfig defaults
  model_config,       // config.json
  generation_config,  // generation_config.json
  task_params,        // config.json task_specific_params[task]
  call,               // flags and per-record options
};
const char* layer_name(ConfigLayer layer);

struct GenerationConfig {
  // Length. max_length counts the prompt (decoder-only) or the decoder start token
  // (encoder-decoder); max_new_tokens, when set, wins over it. Same for min_*.
  int32_t max_length = 20;
  std::optional<int32_t> max_new_tokens;
  int32_t min_length = 0;
  std::optional<int32_t> min_new_tokens;

  // Strategy.
  bool do_sample = false;
  int32_t num_beams = 1;
  int32_t num_return_sequences = 1;
  double length_penalty = 1.0;
  EarlyStopping early_stopping = EarlyStopping::off;

  // Sampling warpers (used only when do_sample).
  double temperature = 1.0;
  int32_t top_k = 50;
  double top_p = 1.0;
  double typical_p = 1.0;
  std::optional<double> min_p;
  double epsilon_cutoff = 0.0;
  double eta_cutoff = 0.0;

  // Processors.
  double repetition_penalty = 1.0;
  int32_t no_repeat_ngram_size = 0;
  int32_t encoder_no_repeat_ngram_size = 0;
  std::vector<std::vector<int32_t>> bad_words_ids;
  std::vector<std::pair<std::vector<int32_t>, double>> sequence_bias;
  std::optional<int32_t> forced_bos_token_id;
  std::vector<int32_t> forced_eos_token_id;  // empty: none
  std::vector<int32_t> suppress_tokens;
  std::vector<int32_t> begin_suppress_tokens;
  bool remove_invalid_values = false;
  bool renormalize_logits = false;

  // Special tokens.
  std::optional<int32_t> bos_token_id;
  std::vector<int32_t> eos_token_id;  // any of them ends a sequence; empty: none
  std::optional<int32_t> pad_token_id;
  std::optional<int32_t> decoder_start_token_id;

  // Applied by the caller, who has the tokenizer, through the token callback.
  std::vector<std::string> stop_strings;

  // Model facts from config.json (not generation parameters).
  std::optional<int32_t> max_position_embeddings;  // max_position_embeddings or n_positions
  bool is_encoder_decoder = false;

  // Provenance: the layer that last set each field (absent: transformers' default).
  std::map<std::string, ConfigLayer, std::less<>> source;
  // Keys of the model's files that xfmr ignores (unsupported non-default values).
  std::vector<std::string> ignored;

  ConfigLayer source_of(std::string_view field) const;
};

// Sets every key of `options` (a JSON object) on `config`, recording `layer` as its source.
// `where` names the origin in error messages (e.g. "generation_config.json", "--top-p").
// Model-file layers skip keys they don't know; the call layer rejects them.
void apply_layer(GenerationConfig& config, const nlohmann::json& options, ConfigLayer layer,
                 std::string_view where);

// The whole merge (layers 1-5) followed by validate(). Any pointer may be null.
// `config_json` is config.json (null json when absent); task_params is the object
// task_specific_params[task] (the caller picks the task).
GenerationConfig build_generation_config(const nlohmann::json& config_json,
                                         const nlohmann::json* generation_config_json,
                                         const nlohmann::json* task_params,
                                         const nlohmann::json* call_options);

// `base` with per-call options on top (e.g. one JSONL record's options), validated.
GenerationConfig with_options(const GenerationConfig& base, const nlohmann::json& options, std::string_view where);

// config.json's task_specific_params[task] ("summarization", "translation_en_to_de", ...),
// or null when the model has none for the task.
const nlohmann::json* find_task_params(const nlohmann::json& config_json, std::string_view task);

// Throws UsageError (call layer) or ModelError (model files) for values transformers
// rejects or that make no sense (temperature <= 0 when sampling, top_p outside [0, 1],
// num_return_sequences > num_beams, ...).
void validate(const GenerationConfig& config);

// Lengths of one input, counted in tokens of the whole sequence (prompt included), as
// transformers' generate() resolves them for a prompt of `prompt_length` tokens:
// max_new_tokens wins; else a max_length left at its default 20 means 20 new tokens
// (capped at max_position_embeddings); else max_length as given. Throws InputError when
// the prompt already fills max_length.
struct LengthLimits {
  int32_t max_length = 0;
  int32_t min_length = 0;
};
LengthLimits resolve_lengths(const GenerationConfig& config, int32_t prompt_length);

// The token an encoder-decoder decoder starts from: decoder_start_token_id, else bos.
std::optional<int32_t> decoder_start_token(const GenerationConfig& config);

// The token fed to rows that have finished while others go on: pad, else eos[0], else 0.
int32_t filler_token(const GenerationConfig& config);

// Every field with its value and source: {"top_k": {"value": 50, "source": "default"}, ...}.
nlohmann::json describe(const GenerationConfig& config);

}  // namespace xfmr::gen
