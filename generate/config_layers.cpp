// Merging the layers of a GenerationConfig (see generation_config.hpp for the order).
#include <string>

#include <fmt/format.h>

#include "core/error.hpp"
#include "generate/config_fields.hpp"
#include "generate/generation_config.hpp"

namespace xfmr::gen {

using nlohmann::json;

namespace {

bool is_model_file(ConfigLayer layer) { return layer != ConfigLayer::call; }

// An unsupported option is harmless at its "off" value; otherwise the call layer fails
// and the model's files get a note (transformers would use it, xfmr cannot).
void handle_unsupported(GenerationConfig& config, const detail::UnsupportedField& option,
                        const json& value, const detail::ValueOrigin& origin) {
  const bool off = value.is_null() || value == option.off_value;
  if (off) return;
  if (!is_model_file(origin.layer)) detail::reject(origin, "is not supported by xfmr");
  config.ignored.push_back(fmt::format("{}: {} = {} (not supported, ignored)", origin.where, option.name, value.dump()));
}

void read_model_facts(GenerationConfig& config, const json& config_json) {
  if (!config_json.is_object()) return;
  if (auto it = config_json.find("is_encoder_decoder"); it != config_json.end() && it->is_boolean())
    config.is_encoder_decoder = it->get<bool>();
  for (const char* key : {"max_position_embeddings", "n_positions"}) {
    auto it = config_json.find(key);
    if (it == config_json.end() || !it->is_number_integer()) continue;
    const auto positions = it->get<int64_t>();
    if (positions > 0 && positions <= INT32_MAX) config.max_position_embeddings = static_cast<int32_t>(positions);
    break;
  }
}

}  // namespace

const char* layer_name(ConfigLayer layer) {
  switch (layer) {
    case ConfigLayer::default_value: return "default";
    case ConfigLayer::model_config: return "config.json";
    case ConfigLayer::generation_config: return "generation_config.json";
    case ConfigLayer::task_params: return "task_specific_params";
    case ConfigLayer::call: return "call";
  }
  return "?";
}

ConfigLayer GenerationConfig::source_of(std::string_view field) const {
  auto it = source.find(field);
  return it == source.end() ? ConfigLayer::default_value : it->second;
}

void apply_layer(GenerationConfig& config, const json& options, ConfigLayer layer, std::string_view where) {
  if (options.is_null()) return;
  if (!options.is_object()) {
    detail::reject({layer, where, "(all)"}, "must come as a JSON object");
  }
  for (const auto& [key, value] : options.items()) {
    const detail::ValueOrigin origin{layer, where, key};
    // transformers builds a generation config from config.json without its None values.
    if (layer == ConfigLayer::model_config && value.is_null()) continue;
    if (layer == ConfigLayer::task_params && key == "prefix") continue;
    if (const detail::Field* field = detail::find_field(key)) {
      field->set(config, value, origin);
      config.source[key] = layer;
      continue;
    }
    bool known = false;
    for (const auto& option : detail::unsupported_fields()) {
      if (key != option.name) continue;
      handle_unsupported(config, option, value, origin);
      known = true;
      break;
    }
    if (known || detail::is_inert_key(key)) continue;
    // config.json holds the model's own settings: only generation keys concern us.
    if (layer == ConfigLayer::model_config) continue;
    if (layer == ConfigLayer::call) detail::reject(origin, "is unknown");
    config.ignored.push_back(fmt::format("{}: {} (unknown generation option, ignored)", where, key));
  }
}

GenerationConfig build_generation_config(const json& config_json, const json* generation_config_json,
                                         const json* task_params, const json* call_options) {
  GenerationConfig config;
  read_model_facts(config, config_json);
  if (generation_config_json != nullptr) {
    apply_layer(config, *generation_config_json, ConfigLayer::generation_config, "generation_config.json");
  } else if (config_json.is_object()) {
    apply_layer(config, config_json, ConfigLayer::model_config, "config.json");
  }
  if (task_params != nullptr) apply_layer(config, *task_params, ConfigLayer::task_params, "task_specific_params");
  if (call_options != nullptr) apply_layer(config, *call_options, ConfigLayer::call, "options");
  validate(config);
  return config;
}

GenerationConfig with_options(const GenerationConfig& base, const json& options, std::string_view where) {
  GenerationConfig config = base;
  apply_layer(config, options, ConfigLayer::call, where);
  validate(config);
  return config;
}

const json* find_task_params(const json& config_json, std::string_view task) {
  if (!config_json.is_object()) return nullptr;
  const auto all = config_json.find("task_specific_params");
  if (all == config_json.end() || !all->is_object()) return nullptr;
  const auto params = all->find(std::string(task));
  if (params == all->end() || !params->is_object()) return nullptr;
  return &*params;
}

}  // namespace xfmr::gen
