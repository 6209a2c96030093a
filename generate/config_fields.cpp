// The field table: how each generation option is read from JSON and written back.
#include "generate/config_fields.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr::gen::detail {

using nlohmann::json;

void reject(const ValueOrigin& origin, const std::string& why) {
  const std::string message = fmt::format("{}: generation option `{}` {}", origin.where, origin.key, why);
  if (origin.layer == ConfigLayer::call) throw UsageError(message);
  throw ModelError(message);
}

namespace {

int32_t parse_int(const json& value, const ValueOrigin& origin) {
  if (value.is_number_float()) {
    // Files written by hand sometimes say 50.0: accept a float with an integral value.
    const double v = value.get<double>();
    if (std::trunc(v) != v || std::fabs(v) > std::numeric_limits<int32_t>::max())
      reject(origin, fmt::format("must be an integer, not {}", value.dump()));
    return static_cast<int32_t>(v);
  }
  if (!value.is_number_integer()) reject(origin, fmt::format("must be an integer, not {}", value.dump()));
  if (value.is_number_unsigned()) {
    const auto v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) reject(origin, "is too large");
    return static_cast<int32_t>(v);
  }
  const auto v = value.get<int64_t>();
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
    reject(origin, "is out of range");
  return static_cast<int32_t>(v);
}

double parse_double(const json& value, const ValueOrigin& origin) {
  if (!value.is_number()) reject(origin, fmt::format("must be a number, not {}", value.dump()));
  return value.get<double>();
}

bool parse_bool(const json& value, const ValueOrigin& origin) {
  if (!value.is_boolean()) reject(origin, fmt::format("must be true or false, not {}", value.dump()));
  return value.get<bool>();
}

// An id or a list of ids (eos_token_id, forced_eos_token_id, suppress_tokens).
std::vector<int32_t> parse_ids(const json& value, const ValueOrigin& origin) {
  std::vector<int32_t> ids;
  if (value.is_array()) {
    for (const json& item : value) ids.push_back(parse_int(item, origin));
  } else {
    ids.push_back(parse_int(value, origin));
  }
  return ids;
}

std::vector<std::vector<int32_t>> parse_id_lists(const json& value, const ValueOrigin& origin) {
  if (!value.is_array()) reject(origin, "must be a list of lists of token ids");
  std::vector<std::vector<int32_t>> lists;
  for (const json& item : value) {
    if (!item.is_array()) reject(origin, "must be a list of lists of token ids");
    lists.push_back(parse_ids(item, origin));
  }
  return lists;
}

EarlyStopping parse_early_stopping(const json& value, const ValueOrigin& origin) {
  if (value.is_boolean()) return value.get<bool>() ? EarlyStopping::on : EarlyStopping::off;
  if (value.is_string() && value.get<std::string>() == "never") return EarlyStopping::never;
  reject(origin, fmt::format("must be true, false or \"never\", not {}", value.dump()));
}

// transformers 4.48 form: [[[ids...], bias], ...].
std::vector<std::pair<std::vector<int32_t>, double>> parse_sequence_bias(const json& value,
                                                                         const ValueOrigin& origin) {
  if (!value.is_array()) reject(origin, "must be a list of [[token ids], bias] pairs");
  std::vector<std::pair<std::vector<int32_t>, double>> entries;
  for (const json& item : value) {
    if (!item.is_array() || item.size() != 2 || !item[0].is_array())
      reject(origin, "must be a list of [[token ids], bias] pairs");
    entries.emplace_back(parse_ids(item[0], origin), parse_double(item[1], origin));
  }
  return entries;
}

std::vector<std::string> parse_strings(const json& value, const ValueOrigin& origin) {
  std::vector<std::string> strings;
  if (value.is_string()) {
    strings.push_back(value.get<std::string>());
    return strings;
  }
  if (!value.is_array()) reject(origin, "must be a string or a list of strings");
  for (const json& item : value) {
    if (!item.is_string()) reject(origin, "must be a string or a list of strings");
    strings.push_back(item.get<std::string>());
  }
  return strings;
}

template <typename T>
T parse_value(const json& value, const ValueOrigin& origin) {
  if constexpr (std::is_same_v<T, int32_t>) {
    return parse_int(value, origin);
  } else if constexpr (std::is_same_v<T, double>) {
    return parse_double(value, origin);
  } else if constexpr (std::is_same_v<T, bool>) {
    return parse_bool(value, origin);
  } else if constexpr (std::is_same_v<T, std::optional<int32_t>>) {
    return parse_int(value, origin);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    return parse_double(value, origin);
  } else if constexpr (std::is_same_v<T, std::vector<int32_t>>) {
    return parse_ids(value, origin);
  } else if constexpr (std::is_same_v<T, std::vector<std::vector<int32_t>>>) {
    return parse_id_lists(value, origin);
  } else if constexpr (std::is_same_v<T, EarlyStopping>) {
    return parse_early_stopping(value, origin);
  } else if constexpr (std::is_same_v<T, std::vector<std::pair<std::vector<int32_t>, double>>>) {
    return parse_sequence_bias(value, origin);
  } else {
    static_assert(std::is_same_v<T, std::vector<std::string>>);
    return parse_strings(value, origin);
  }
}

template <typename T>
json to_json(const T& value) {
  if constexpr (std::is_same_v<T, EarlyStopping>) {
    if (value == EarlyStopping::never) return "never";
    return value == EarlyStopping::on;
  } else if constexpr (std::is_same_v<T, std::optional<int32_t>> || std::is_same_v<T, std::optional<double>>) {
    return value ? json(*value) : json(nullptr);
  } else if constexpr (std::is_same_v<T, std::vector<std::pair<std::vector<int32_t>, double>>>) {
    json list = json::array();
    for (const auto& [ids, bias] : value) list.push_back(json::array({ids, bias}));
    return list;
  } else {
    return json(value);
  }
}

template <auto Member>
constexpr Field field(const char* name) {
  using T = std::remove_cvref_t<decltype(std::declval<GenerationConfig&>().*Member)>;
  return Field{
      name,
      [](GenerationConfig& config, const json& value, const ValueOrigin& origin) {
        config.*Member = value.is_null() ? GenerationConfig{}.*Member : parse_value<T>(value, origin);
      },
      [](const GenerationConfig& config) { return to_json(config.*Member); },
  };
}

using C = GenerationConfig;
const std::array kFields = {
    field<&C::max_length>("max_length"),
    field<&C::max_new_tokens>("max_new_tokens"),
    field<&C::min_length>("min_length"),
    field<&C::min_new_tokens>("min_new_tokens"),
    field<&C::do_sample>("do_sample"),
    field<&C::num_beams>("num_beams"),
    field<&C::num_return_sequences>("num_return_sequences"),
    field<&C::length_penalty>("length_penalty"),
    field<&C::early_stopping>("early_stopping"),
    field<&C::temperature>("temperature"),
    field<&C::top_k>("top_k"),
    field<&C::top_p>("top_p"),
    field<&C::typical_p>("typical_p"),
    field<&C::min_p>("min_p"),
    field<&C::epsilon_cutoff>("epsilon_cutoff"),
    field<&C::eta_cutoff>("eta_cutoff"),
    field<&C::repetition_penalty>("repetition_penalty"),
    field<&C::no_repeat_ngram_size>("no_repeat_ngram_size"),
    field<&C::encoder_no_repeat_ngram_size>("encoder_no_repeat_ngram_size"),
    field<&C::bad_words_ids>("bad_words_ids"),
    field<&C::sequence_bias>("sequence_bias"),
    field<&C::forced_bos_token_id>("forced_bos_token_id"),
    field<&C::forced_eos_token_id>("forced_eos_token_id"),
    field<&C::suppress_tokens>("suppress_tokens"),
    field<&C::begin_suppress_tokens>("begin_suppress_tokens"),
    field<&C::remove_invalid_values>("remove_invalid_values"),
    field<&C::renormalize_logits>("renormalize_logits"),
    field<&C::bos_token_id>("bos_token_id"),
    field<&C::eos_token_id>("eos_token_id"),
    field<&C::pad_token_id>("pad_token_id"),
    field<&C::decoder_start_token_id>("decoder_start_token_id"),
    field<&C::stop_strings>("stop_strings"),
};

const std::array<UnsupportedField, 15> kUnsupported = {{
    {"num_beam_groups", 1},
    {"diversity_penalty", 0.0},
    {"penalty_alpha", nullptr},
    {"constraints", nullptr},
    {"force_words_ids", nullptr},
    {"guidance_scale", nullptr},
    {"exponential_decay_length_penalty", nullptr},
    {"encoder_repetition_penalty", 1.0},
    {"dola_layers", nullptr},
    {"prompt_lookup_num_tokens", nullptr},
    {"assistant_early_exit", nullptr},
    {"max_time", nullptr},
    {"watermarking_config", nullptr},
    {"forced_decoder_ids", nullptr},
    {"token_healing", false},
}};

constexpr std::array<std::string_view, 25> kInert = {
    "transformers_version", "_from_model_config", "_commit_hash", "_original_object_hash",
    "use_cache", "output_attentions", "output_hidden_states", "output_scores", "output_logits",
    "return_dict_in_generate", "cache_implementation", "cache_config", "return_legacy_cache",
    "compile_config", "disable_compile", "is_assistant", "num_assistant_tokens",
    "num_assistant_tokens_schedule", "assistant_confidence_threshold", "max_matching_ngram_size",
    "assistant_lookbehind", "target_lookbehind", "low_memory", "generation_kwargs", "trust_remote_code",
};

}  // namespace

std::span<const Field> supported_fields() { return kFields; }

const Field* find_field(std::string_view name) {
  for (const Field& f : kFields)
    if (name == f.name) return &f;
  return nullptr;
}

std::span<const UnsupportedField> unsupported_fields() { return kUnsupported; }

bool is_inert_key(std::string_view name) {
  for (std::string_view key : kInert)
    if (key == name) return true;
  return false;
}

}  // namespace xfmr::gen::detail
