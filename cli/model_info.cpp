#include "cli/model_info.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/safetensors.hpp"
#include "generate/generation_config.hpp"
#include "tokenize/tokenizer.hpp"

namespace fs = std::filesystem;

namespace xfmr::cli {

namespace {

// The files xfmr reads from a model folder (besides the weight shards).
constexpr const char* kKnownFiles[] = {
    "config.json",         "generation_config.json", "model.safetensors", "model.safetensors.index.json",
    "tokenizer.json",      "tokenizer_config.json",  "special_tokens_map.json", "added_tokens.json",
    "vocab.txt",           "vocab.json",             "merges.txt",        "spiece.model",
    "sentencepiece.bpe.model", "tokenizer.model",    "source.spm",        "target.spm",
};

nlohmann::json read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw ModelError(fmt::format("{}: cannot read", file.string()));
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw ModelError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
}

// The first of `keys` that config.json holds as an integer (key names differ per model type).
Record first_int(const nlohmann::json& config, std::initializer_list<const char*> keys) {
  for (const char* key : keys)
    if (auto it = config.find(key); it != config.end() && it->is_number_integer()) return it->get<int64_t>();
  return nullptr;
}

std::string architecture_of(const nlohmann::json& config) {
  auto it = config.find("architectures");
  if (it != config.end() && it->is_array() && !it->empty() && (*it)[0].is_string()) return (*it)[0].get<std::string>();
  return "";
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// encoder, decoder or encoder-decoder, as transformers' auto classes tell them apart.
std::string family_of(const nlohmann::json& config, const std::string& architecture) {
  if (config.value("is_encoder_decoder", false) || contains(architecture, "ForConditionalGeneration") ||
      contains(architecture, "MTModel") || contains(architecture, "Seq2SeqLM"))
    return "encoder-decoder";
  if (contains(architecture, "ForCausalLM") || contains(architecture, "LMHeadModel")) return "decoder";
  return "encoder";
}

// id2label as a list in id order, or null for none. transformers writes
// LABEL_0, LABEL_1... for models without labels: those count only on a
// classification head.
Record labels_of(const nlohmann::json& config, const std::string& architecture, const fs::path& file) {
  auto it = config.find("id2label");
  if (it == config.end() || !it->is_object() || it->empty()) return nullptr;
  std::map<long, std::string> by_id;
  for (const auto& [key, value] : it->items()) {
    char* end = nullptr;
    long id = std::strtol(key.c_str(), &end, 10);
    if (end == key.c_str() || *end != '\0' || id < 0 || id > 1000000 || !value.is_string())
      throw ModelError(fmt::format("{}: id2label holds {}: {}, not id: label", file.string(), key, value.dump()));
    by_id[id] = value.get<std::string>();
  }
  bool defaults = true;
  for (const auto& [id, label] : by_id) defaults = defaults && label == fmt::format("LABEL_{}", id);
  if (defaults && !contains(architecture, "Classification")) return nullptr;
  Record labels = Record::array();
  for (const auto& [id, label] : by_id) {
    while (static_cast<long>(labels.size()) < id) labels.push_back(nullptr);
    labels.push_back(label);
  }
  return labels;
}

struct WeightsSummary {
  std::vector<std::string> files;
  uint64_t parameters = 0;
  size_t tensors = 0;
  std::map<std::string, uint64_t> by_dtype;  // parameters per dtype
};

WeightsSummary summarize_weights(const fs::path& folder) {
  WeightsSummary summary;
  std::error_code ec;
  if (fs::exists(folder / "model.safetensors", ec)) {
    summary.files.push_back("model.safetensors");
  } else if (fs::exists(folder / "model.safetensors.index.json", ec)) {
    nlohmann::json index = read_json(folder / "model.safetensors.index.json");
    std::set<std::string> shards;
    if (auto map = index.find("weight_map"); map != index.end() && map->is_object())
      for (const auto& [tensor, file] : map->items())
        if (file.is_string()) shards.insert(file.get<std::string>());
    for (const auto& shard : shards) {
      if (shard.find('/') != std::string::npos || shard.find("..") != std::string::npos)
        throw ModelError(fmt::format("model.safetensors.index.json: shard {} is not a file of the folder", shard));
      summary.files.push_back(shard);
    }
  }
  for (const auto& name : summary.files) {
    auto file = SafetensorsFile::open(folder / name);
    for (const TensorInfo& tensor : file->tensors()) {
      uint64_t count = 1;
      for (int64_t dim : tensor.shape) count *= static_cast<uint64_t>(dim);
      summary.parameters += count;
      summary.by_dtype[std::string(dtype_name(tensor.dtype))] += count;
      ++summary.tensors;
    }
  }
  return summary;
}

Record generation_defaults(const fs::path& folder, const nlohmann::json& config, Record& notes) {
  try {
    nlohmann::json generation;
    const bool has_file = fs::exists(folder / "generation_config.json");
    if (has_file) generation = read_json(folder / "generation_config.json");
    gen::GenerationConfig merged = gen::build_generation_config(config, has_file ? &generation : nullptr, nullptr, nullptr);
    const nlohmann::json described = gen::describe(merged);
    Record out = Record::object();
    for (const auto& [field, value] : described.items())
      out[field] = Record{{"value", value.value("value", nlohmann::json())}, {"source", value.value("source", "")}};
    return out;
  } catch (const Error& e) {
    notes.push_back(fmt::format("generation config: {}", e.what()));
    return nullptr;
  }
}

}  // namespace

Record model_info(const std::string& model, const fs::path& folder) {
  Record info = Record::object();
  Record notes = Record::array();
  info["model"] = model;
  info["folder"] = fs::absolute(folder).lexically_normal().string();

  nlohmann::json config = nlohmann::json::object();
  const bool has_config = fs::exists(folder / "config.json");
  if (has_config) config = read_json(folder / "config.json");
  if (!config.is_object()) throw ModelError(fmt::format("{}: not a JSON object", (folder / "config.json").string()));
  const std::string architecture = architecture_of(config);
  const std::string family = family_of(config, architecture);
  info["architecture"] = architecture.empty() ? Record(nullptr) : Record(architecture);
  info["model_type"] = config.contains("model_type") ? Record(config["model_type"]) : Record(nullptr);
  info["family"] = has_config ? Record(family) : Record(nullptr);

  WeightsSummary weights = summarize_weights(folder);
  if (weights.files.empty()) {
    info["parameters"] = nullptr;
    info["tensors"] = nullptr;
    info["dtype"] = nullptr;
    info["dtypes"] = Record::object();
    notes.push_back(fs::exists(folder / "pytorch_model.bin")
                        ? "weights only in pytorch_model.bin: xfmr reads safetensors (convert the checkpoint)"
                        : "no weights (model.safetensors) in the folder");
  } else {
    info["parameters"] = weights.parameters;
    info["tensors"] = weights.tensors;
    auto largest = std::max_element(weights.by_dtype.begin(), weights.by_dtype.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; });
    info["dtype"] = largest == weights.by_dtype.end() ? Record(nullptr) : Record(largest->first);
    Record dtypes = Record::object();
    for (const auto& [dtype, count] : weights.by_dtype) dtypes[dtype] = count;
    info["dtypes"] = std::move(dtypes);
  }
  info["torch_dtype"] = config.contains("torch_dtype") ? Record(config["torch_dtype"]) : Record(nullptr);
  info["hidden_size"] = first_int(config, {"hidden_size", "d_model", "n_embd", "dim"});
  info["num_hidden_layers"] = first_int(config, {"num_hidden_layers", "n_layer", "num_layers", "n_layers", "encoder_layers"});
  info["num_attention_heads"] = first_int(config, {"num_attention_heads", "n_head", "num_heads", "n_heads", "encoder_attention_heads"});
  info["max_position_embeddings"] = first_int(config, {"max_position_embeddings", "n_positions", "n_ctx"});
  info["vocab_size"] = first_int(config, {"vocab_size"});

  try {
    auto tokenizer = tok::Tokenizer::from_folder(folder);
    Record t = Record::object();
    t["kind"] = tokenizer->kind();
    t["vocab_size"] = tokenizer->vocab_size();
    t["model_max_length"] = tokenizer->model_max_length() ? Record(tokenizer->model_max_length()) : Record(nullptr);
    info["tokenizer"] = std::move(t);
  } catch (const Error& e) {
    info["tokenizer"] = nullptr;
    notes.push_back(fmt::format("tokenizer: {}", e.what()));
  }

  info["labels"] = labels_of(config, architecture, folder / "config.json");
  info["generation"] = has_config && family != "encoder" ? generation_defaults(folder, config, notes) : Record(nullptr);
  auto params = config.find("task_specific_params");
  info["task_specific_params"] = params != config.end() && params->is_object() ? Record(*params) : Record(nullptr);

  Record files = Record::array();
  std::vector<std::string> names(std::begin(kKnownFiles), std::end(kKnownFiles));
  for (const auto& shard : weights.files)
    if (std::find(names.begin(), names.end(), shard) == names.end()) names.push_back(shard);
  uint64_t total = 0;
  for (const auto& name : names) {
    std::error_code ec;
    auto size = fs::file_size(folder / name, ec);  // follows the Hub cache's symlinks
    if (ec) continue;
    files.push_back({{"name", name}, {"bytes", size}});
    total += size;
  }
  info["files"] = std::move(files);
  info["total_bytes"] = total;
  info["notes"] = std::move(notes);
  return info;
}

}  // namespace xfmr::cli
