#include "core/config.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/registry.hpp"

namespace xfmr {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const json* find_value(const json& raw, std::string_view key) {
  auto it = raw.find(key);
  if (it == raw.end() || it->is_null()) return nullptr;
  return &*it;
}

void read_labels(const ConfigReader& reader, const json& raw, ModelConfig& cfg) {
  if (const json* id2label = find_value(raw, "id2label")) {
    if (!id2label->is_object()) reader.fail("id2label", "must be an object");
    cfg.id2label.assign(id2label->size(), std::string());
    std::vector<bool> seen(id2label->size(), false);
    for (const auto& [key, value] : id2label->items()) {
      size_t used = 0;
      long long index = -1;
      try {
        index = std::stoll(key, &used);
      } catch (const std::exception&) {
      }
      if (used != key.size() || index < 0 || index >= static_cast<long long>(cfg.id2label.size()) ||
          seen[static_cast<size_t>(index)]) {
        reader.fail("id2label", fmt::format("key '{}' is not one of 0..{}", key, cfg.id2label.size() - 1));
      }
      if (!value.is_string()) reader.fail("id2label", fmt::format("label of '{}' is not a string", key));
      cfg.id2label[static_cast<size_t>(index)] = value.get<std::string>();
      seen[static_cast<size_t>(index)] = true;
    }
  } else {
    // transformers' default: num_labels (2 when absent) labels named LABEL_i.
    int64_t count = reader.optional_int("num_labels", 2);
    if (count < 0 || count > 1'000'000) reader.fail("num_labels", "out of range");
    for (int64_t i = 0; i < count; ++i) cfg.id2label.push_back(fmt::format("LABEL_{}", i));
  }

  if (const json* label2id = find_value(raw, "label2id")) {
    if (!label2id->is_object()) reader.fail("label2id", "must be an object");
    for (const auto& [key, value] : label2id->items()) {
      if (!value.is_number_integer()) reader.fail("label2id", fmt::format("id of '{}' is not an integer", key));
      cfg.label2id.emplace_back(key, value.get<int32_t>());
    }
  } else {
    for (size_t i = 0; i < cfg.id2label.size(); ++i) cfg.label2id.emplace_back(cfg.id2label[i], static_cast<int32_t>(i));
  }
}

void read_common(const ConfigReader& reader, const json& raw, ModelConfig& cfg) {
  if (const json* arch = find_value(raw, "architectures")) {
    if (!arch->is_array()) reader.fail("architectures", "must be a list of strings");
    for (const auto& name : *arch) {
      if (!name.is_string()) reader.fail("architectures", "must be a list of strings");
      cfg.architectures.push_back(name.get<std::string>());
    }
  }
  read_labels(reader, raw, cfg);
  cfg.problem_type = reader.optional_string("problem_type", "");
  if (const json* params = find_value(raw, "task_specific_params")) {
    if (!params->is_object()) reader.fail("task_specific_params", "must be an object");
    cfg.task_specific_params = *params;
  }
  cfg.pad_token_id = reader.optional_token_id("pad_token_id");
  cfg.bos_token_id = reader.optional_token_id("bos_token_id");
  cfg.decoder_start_token_id = reader.optional_token_id("decoder_start_token_id");
  if (const json* eos = find_value(raw, "eos_token_id"); eos && eos->is_array()) {
    for (const auto& id : *eos) {
      if (!id.is_number_integer()) reader.fail("eos_token_id", "must be an integer or a list of integers");
      cfg.eos_token_ids.push_back(id.get<int32_t>());
    }
  } else if (auto id = reader.optional_token_id("eos_token_id")) {
    cfg.eos_token_ids.push_back(*id);
  }
  cfg.tie_word_embeddings = reader.optional_bool("tie_word_embeddings", true);
  cfg.is_encoder_decoder = reader.optional_bool("is_encoder_decoder", false);
  cfg.torch_dtype = reader.optional_string("torch_dtype", "");
}

void check_sizes(const ConfigReader& reader, ModelConfig& cfg) {
  auto positive = [&](std::string_view field, int64_t value) {
    // Bounds keep every product of sizes far from overflow.
    if (value <= 0 || value > (int64_t{1} << 24)) {
      reader.fail(field, fmt::format("must be between 1 and {}, got {}", int64_t{1} << 24, value));
    }
  };
  positive("vocab_size", cfg.vocab_size);
  positive("hidden_size", cfg.hidden_size);
  positive("num_hidden_layers", cfg.num_hidden_layers);
  positive("num_attention_heads", cfg.num_attention_heads);
  // 0: no learned positions to bound the length (relative-position models).
  if (cfg.max_position_embeddings != 0) positive("max_position_embeddings", cfg.max_position_embeddings);
  if (cfg.intermediate_size != 0) positive("intermediate_size", cfg.intermediate_size);
  if (cfg.embedding_size == 0) cfg.embedding_size = cfg.hidden_size;
  positive("embedding_size", cfg.embedding_size);
  if (cfg.num_key_value_heads == 0) cfg.num_key_value_heads = cfg.num_attention_heads;
  positive("num_key_value_heads", cfg.num_key_value_heads);
  if (cfg.num_attention_heads % cfg.num_key_value_heads != 0) {
    reader.fail("num_key_value_heads", "must divide num_attention_heads");
  }
  if (cfg.head_dim == 0) {
    if (cfg.hidden_size % cfg.num_attention_heads != 0) {
      reader.fail("num_attention_heads", fmt::format("{} heads do not divide hidden size {}",
                                                     cfg.num_attention_heads, cfg.hidden_size));
    }
    cfg.head_dim = cfg.hidden_size / cfg.num_attention_heads;
  }
  positive("head_dim", cfg.head_dim);
  if (cfg.type_vocab_size < 0 || cfg.type_vocab_size > (int64_t{1} << 24)) reader.fail("type_vocab_size", "out of range");
  positive("num_hidden_groups", cfg.num_hidden_groups);
  positive("inner_group_num", cfg.inner_group_num);
  if (cfg.num_hidden_layers % cfg.num_hidden_groups != 0) {
    reader.fail("num_hidden_groups", "must divide num_hidden_layers");
  }
  if (!(cfg.layer_norm_eps >= 0.0f) || !std::isfinite(cfg.layer_norm_eps)) reader.fail("layer_norm_eps", "must be >= 0");
}

}  // namespace

bool ConfigReader::has(std::string_view key) const { return find_value(raw_, key) != nullptr; }

void ConfigReader::fail(std::string_view key, std::string_view why) const {
  throw ModelError(fmt::format("{}: field '{}': {}", label_, key, why));
}

int64_t ConfigReader::required_int(std::initializer_list<std::string_view> keys) const {
  for (std::string_view key : keys) {
    if (has(key)) return optional_int(key, 0);
  }
  std::vector<std::string> names(keys.begin(), keys.end());
  throw ModelError(fmt::format("{}: missing field '{}'", label_, fmt::join(names, "' or '")));
}

int64_t ConfigReader::optional_int(std::string_view key, int64_t fallback) const {
  const json* value = find_value(raw_, key);
  if (!value) return fallback;
  if (value->is_number_unsigned()) {
    if (value->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) fail(key, "too large");
    return static_cast<int64_t>(value->get<uint64_t>());
  }
  if (!value->is_number_integer()) fail(key, fmt::format("must be an integer, got {}", value->dump()));
  return value->get<int64_t>();
}

double ConfigReader::optional_float(std::string_view key, double fallback) const {
  const json* value = find_value(raw_, key);
  if (!value) return fallback;
  if (!value->is_number()) fail(key, fmt::format("must be a number, got {}", value->dump()));
  return value->get<double>();
}

bool ConfigReader::optional_bool(std::string_view key, bool fallback) const {
  const json* value = find_value(raw_, key);
  if (!value) return fallback;
  if (!value->is_boolean()) fail(key, fmt::format("must be true or false, got {}", value->dump()));
  return value->get<bool>();
}

std::string ConfigReader::optional_string(std::string_view key, std::string fallback) const {
  const json* value = find_value(raw_, key);
  if (!value) return fallback;
  if (!value->is_string()) fail(key, fmt::format("must be a string, got {}", value->dump()));
  return value->get<std::string>();
}

std::optional<int32_t> ConfigReader::optional_token_id(std::string_view key) const {
  const json* value = find_value(raw_, key);
  if (!value) return std::nullopt;
  if (!value->is_number_integer()) fail(key, fmt::format("must be an integer, got {}", value->dump()));
  const int64_t id = value->get<int64_t>();
  if (id < std::numeric_limits<int32_t>::min() || id > std::numeric_limits<int32_t>::max()) fail(key, "out of range");
  return static_cast<int32_t>(id);
}

Activation ConfigReader::activation(std::string_view key, std::string_view fallback) const {
  const std::string name = optional_string(key, std::string(fallback));
  auto act = activation_from_name(name);
  if (!act) fail(key, fmt::format("unsupported activation '{}'", name));
  return *act;
}

ModelConfig parse_model_config(const json& raw, const std::string& label) {
  if (!raw.is_object()) throw ModelError(fmt::format("{}: not a JSON object", label));
  ConfigReader reader(raw, label);
  ModelConfig cfg;
  cfg.path = label;
  cfg.raw = raw;
  if (!reader.has("model_type")) throw ModelError(fmt::format("{}: missing field 'model_type'", label));
  cfg.model_type = reader.optional_string("model_type", "");
  const ModelTypeInfo& info = find_model_type(cfg.model_type, label);
  cfg.family = info.family;
  read_common(reader, raw, cfg);
  info.read_config(reader, cfg);
  check_sizes(reader, cfg);
  return cfg;
}

ModelConfig load_model_config(const fs::path& path) {
  const fs::path file = fs::is_directory(path) ? path / "config.json" : path;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ModelError(fmt::format("{}: cannot open (not a model folder?)", file.string()));
  std::stringstream text;
  text << in.rdbuf();
  json raw;
  try {
    raw = json::parse(text.str());
  } catch (const json::exception& e) {
    throw ModelError(fmt::format("{}: not valid JSON ({})", file.string(), e.what()));
  }
  return parse_model_config(raw, file.string());
}

}  // namespace xfmr
