#pragma once
// Internal: the table of GenerationConfig fields known by name, shared by the layer
// merge (config_layers.cpp), validation and describe() (generation_config.cpp).
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/generation_config.hpp"

namespace xfmr::gen::detail {

// Where a value came from, for error messages.
struct ValueOrigin {
  ConfigLayer layer;
  std::string_view where;  // e.g. "generation_config.json"
  std::string_view key;
};

// Throws UsageError for the call layer, ModelError for the model's files.
[[noreturn]] void reject(const ValueOrigin& origin, const std::string& why);

struct Field {
  const char* name;
  // Parses `value` into the field; JSON null resets it to transformers' default.
  void (*set)(GenerationConfig& config, const nlohmann::json& value, const ValueOrigin& origin);
  nlohmann::json (*get)(const GenerationConfig& config);
};

std::span<const Field> supported_fields();
const Field* find_field(std::string_view name);

// transformers options xfmr does not implement, with the value that means "off".
struct UnsupportedField {
  const char* name;
  nlohmann::json off_value;
};
std::span<const UnsupportedField> unsupported_fields();

// Keys that do not change the generated tokens (output flags, cache settings, metadata).
bool is_inert_key(std::string_view name);

}  // namespace xfmr::gen::detail
