// Validation, per-input length resolution and the provenance dump of GenerationConfig.
#include "generate/generation_config.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "generate/config_fields.hpp"

namespace xfmr::gen {

using nlohmann::json;

namespace {

[[noreturn]] void invalid(const GenerationConfig& config, std::string_view field, const std::string& why) {
  const ConfigLayer layer = config.source_of(field);
  detail::reject({layer, layer == ConfigLayer::call ? "options" : layer_name(layer), field}, why);
}

void check_ids(const GenerationConfig& config, std::string_view field, const std::vector<int32_t>& ids) {
  for (int32_t id : ids)
    if (id < 0) invalid(config, field, fmt::format("holds a negative token id ({})", id));
}

void check_id(const GenerationConfig& config, std::string_view field, const std::optional<int32_t>& id) {
  if (id && *id < 0) invalid(config, field, fmt::format("is a negative token id ({})", *id));
}

void validate_lengths(const GenerationConfig& c) {
  if (c.max_length < 1) invalid(c, "max_length", fmt::format("must be at least 1 (got {})", c.max_length));
  if (c.max_new_tokens && *c.max_new_tokens <= 0)
    invalid(c, "max_new_tokens", fmt::format("must be greater than 0 (got {})", *c.max_new_tokens));
  if (c.min_length < 0) invalid(c, "min_length", fmt::format("must not be negative (got {})", c.min_length));
  if (c.min_new_tokens && *c.min_new_tokens < 0)
    invalid(c, "min_new_tokens", fmt::format("must not be negative (got {})", *c.min_new_tokens));
}

void validate_strategy(const GenerationConfig& c) {
  if (c.num_beams < 1) invalid(c, "num_beams", fmt::format("must be at least 1 (got {})", c.num_beams));
  if (c.num_return_sequences < 1)
    invalid(c, "num_return_sequences", fmt::format("must be at least 1 (got {})", c.num_return_sequences));
  if (c.num_return_sequences != 1 && c.num_beams == 1 && !c.do_sample)
    invalid(c, "num_return_sequences",
            fmt::format("must be 1 for greedy decoding (got {}); sample or use beams", c.num_return_sequences));
  if (c.num_beams > 1 && c.num_return_sequences > c.num_beams)
    invalid(c, "num_return_sequences",
            fmt::format("({}) must not exceed num_beams ({})", c.num_return_sequences, c.num_beams));
  if (!std::isfinite(c.length_penalty)) invalid(c, "length_penalty", "must be a finite number");
}

// Warpers only run when sampling; as in transformers, their values are not checked otherwise.
void validate_sampling(const GenerationConfig& c) {
  if (!c.do_sample) return;
  if (!(c.temperature > 0.0) || !std::isfinite(c.temperature))
    invalid(c, "temperature",
            fmt::format("must be strictly positive when sampling (got {}); for greedy decoding don't sample",
                        c.temperature));
  if (c.top_k < 0) invalid(c, "top_k", fmt::format("must not be negative (got {}); 0 disables it", c.top_k));
  if (!(c.top_p >= 0.0 && c.top_p <= 1.0)) invalid(c, "top_p", fmt::format("must be in [0, 1] (got {})", c.top_p));
  if (!(c.typical_p > 0.0 && c.typical_p <= 1.0))
    invalid(c, "typical_p", fmt::format("must be in (0, 1] (got {})", c.typical_p));
  if (c.min_p && !(*c.min_p >= 0.0 && *c.min_p <= 1.0))
    invalid(c, "min_p", fmt::format("must be in [0, 1] (got {})", *c.min_p));
  if (!(c.epsilon_cutoff >= 0.0 && c.epsilon_cutoff < 1.0))
    invalid(c, "epsilon_cutoff", fmt::format("must be in [0, 1) (got {})", c.epsilon_cutoff));
  if (!(c.eta_cutoff >= 0.0 && c.eta_cutoff < 1.0))
    invalid(c, "eta_cutoff", fmt::format("must be in [0, 1) (got {})", c.eta_cutoff));
}

void validate_processors(const GenerationConfig& c) {
  if (!(c.repetition_penalty > 0.0) || !std::isfinite(c.repetition_penalty))
    invalid(c, "repetition_penalty", fmt::format("must be strictly positive (got {})", c.repetition_penalty));
  if (c.no_repeat_ngram_size < 0)
    invalid(c, "no_repeat_ngram_size", fmt::format("must not be negative (got {})", c.no_repeat_ngram_size));
  if (c.encoder_no_repeat_ngram_size < 0)
    invalid(c, "encoder_no_repeat_ngram_size",
            fmt::format("must not be negative (got {})", c.encoder_no_repeat_ngram_size));
  for (const auto& words : c.bad_words_ids) {
    if (words.empty()) invalid(c, "bad_words_ids", "holds an empty token list");
    check_ids(c, "bad_words_ids", words);
  }
  for (const auto& [ids, bias] : c.sequence_bias) {
    if (ids.empty()) invalid(c, "sequence_bias", "holds an empty token list");
    check_ids(c, "sequence_bias", ids);
    if (std::isnan(bias)) invalid(c, "sequence_bias", "holds a bias that is not a number");
  }
  check_id(c, "forced_bos_token_id", c.forced_bos_token_id);
  check_ids(c, "forced_eos_token_id", c.forced_eos_token_id);
  check_ids(c, "suppress_tokens", c.suppress_tokens);
  check_ids(c, "begin_suppress_tokens", c.begin_suppress_tokens);
  check_ids(c, "eos_token_id", c.eos_token_id);
  check_id(c, "bos_token_id", c.bos_token_id);
  check_id(c, "decoder_start_token_id", c.decoder_start_token_id);
}

}  // namespace

void validate(const GenerationConfig& config) {
  validate_lengths(config);
  validate_strategy(config);
  validate_sampling(config);
  validate_processors(config);
}

LengthLimits resolve_lengths(const GenerationConfig& config, int32_t prompt_length) {
  LengthLimits limits;
  if (config.max_new_tokens) {
    limits.max_length = prompt_length + *config.max_new_tokens;
  } else if (config.source_of("max_length") != ConfigLayer::call && config.max_length == GenerationConfig{}.max_length) {
    // transformers >= 4.47: a max_length nobody changed means 20 new tokens.
    limits.max_length = prompt_length + config.max_length;
    if (config.max_position_embeddings)
      limits.max_length = std::min(limits.max_length, *config.max_position_embeddings);
  } else {
    limits.max_length = config.max_length;
  }
  if (prompt_length >= limits.max_length) {
    throw InputError(fmt::format(
        "the input is {} tokens long but max_length is {}: raise max_length or set max_new_tokens",
        prompt_length, limits.max_length));
  }
  limits.min_length = config.min_new_tokens ? prompt_length + *config.min_new_tokens : config.min_length;
  return limits;
}

std::optional<int32_t> decoder_start_token(const GenerationConfig& config) {
  return config.decoder_start_token_id ? config.decoder_start_token_id : config.bos_token_id;
}

int32_t filler_token(const GenerationConfig& config) {
  if (config.pad_token_id && *config.pad_token_id >= 0) return *config.pad_token_id;
  if (!config.eos_token_id.empty()) return config.eos_token_id.front();
  return 0;
}

json describe(const GenerationConfig& config) {
  json all = json::object();
  for (const detail::Field& field : detail::supported_fields()) {
    all[field.name] = {{"value", field.get(config)}, {"source", layer_name(config.source_of(field.name))}};
  }
  return all;
}

}  // namespace xfmr::gen
