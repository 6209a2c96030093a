#include "core/weights.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/dtype_convert.hpp"
#include "core/error.hpp"

namespace xfmr {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSingleFile = "model.safetensors";
constexpr const char* kIndexFile = "model.safetensors.index.json";

// Shard names come from a file we do not trust: a plain name in the folder.
bool is_plain_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos && name.find('\0') == std::string::npos;
}

nlohmann::json read_index(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelError(fmt::format("{}: cannot open", path.string()));
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw ModelError(fmt::format("{}: not valid JSON ({})", path.string(), e.what()));
  }
}

}  // namespace

Weights Weights::open_file(const fs::path& file) {
  Weights weights;
  weights.files_.push_back(SafetensorsFile::open(file));
  weights.source_ = file.string();
  const SafetensorsFile* f = weights.files_.back().get();
  for (const auto& info : f->tensors()) weights.entries_.emplace(info.name, Entry{f, &info});
  return weights;
}

Weights Weights::open_folder(const fs::path& dir) {
  if (fs::exists(dir / kSingleFile)) return open_file(dir / kSingleFile);
  const fs::path index_path = dir / kIndexFile;
  if (!fs::exists(index_path)) {
    std::string hint = fs::exists(dir / "pytorch_model.bin")
                           ? " (pytorch_model.bin is not supported: convert the checkpoint to safetensors)"
                           : "";
    throw ModelError(fmt::format("{}: no {} or {}{}", dir.string(), kSingleFile, kIndexFile, hint));
  }
  const std::string label = index_path.string();
  nlohmann::json index = read_index(index_path);
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object()) {
    throw ModelError(fmt::format("{}: no \"weight_map\" object", label));
  }

  Weights weights;
  weights.source_ = label;
  std::map<std::string, const SafetensorsFile*> shards;
  for (const auto& [tensor, shard_value] : index["weight_map"].items()) {
    if (!shard_value.is_string() || !is_plain_file_name(shard_value.get<std::string>())) {
      throw ModelError(fmt::format("{}: tensor '{}': shard must be a file name in the model folder", label, tensor));
    }
    const std::string shard = shard_value.get<std::string>();
    auto it = shards.find(shard);
    if (it == shards.end()) {
      weights.files_.push_back(SafetensorsFile::open(dir / shard));
      it = shards.emplace(shard, weights.files_.back().get()).first;
    }
    const TensorInfo* info = it->second->find(tensor);
    if (!info) {
      throw ModelError(fmt::format("{}: tensor '{}' is mapped to {}, which does not hold it", label, tensor, shard));
    }
    weights.entries_.emplace(tensor, Entry{it->second, info});
  }
  return weights;
}

bool Weights::contains(std::string_view name) const { return entries_.count(std::string(name)) != 0; }

const TensorInfo& Weights::info(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  if (it == entries_.end()) throw ModelError(fmt::format("{}: tensor '{}' not found", source_, name));
  return *it->second.info;
}

Tensor Weights::get(std::string_view name) const {
  auto it = entries_.find(std::string(name));
  if (it == entries_.end()) throw ModelError(fmt::format("{}: tensor '{}' not found", source_, name));
  const SafetensorsFile& file = *it->second.file;
  const TensorInfo& info = *it->second.info;
  const std::byte* bytes = file.bytes(info);

  if (auto cached = converted_.find(info.name); cached != converted_.end()) return cached->second;

  // Keep the mapping alive as long as any view of it lives.
  std::shared_ptr<const void> keep_alive;
  for (const auto& f : files_) {
    if (f.get() == &file) keep_alive = f;
  }
  const bool aligned = reinterpret_cast<uintptr_t>(bytes) % alignof(float) == 0;
  switch (info.dtype) {
    case DType::F32:
      if (aligned) return Tensor::view(reinterpret_cast<const float*>(bytes), info.shape, keep_alive);
      break;
    case DType::F16:
    case DType::BF16:
      break;
    default:
      throw ModelError(fmt::format("{}: tensor '{}' has dtype {}; only F32, F16 and BF16 are supported",
                                   file.path().string(), info.name, dtype_name(info.dtype)));
  }
  Tensor owned(info.shape);
  if (info.dtype == DType::F32) {
    std::memcpy(owned.data(), bytes, static_cast<size_t>(owned.numel()) * sizeof(float));
  } else if (info.dtype == DType::F16) {
    convert_f16_to_f32(bytes, owned.values());
  } else {
    convert_bf16_to_f32(bytes, owned.values());
  }
  converted_.emplace(info.name, owned);
  return owned;
}

std::vector<std::string> Weights::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [name, entry] : entries_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::string Weights::source() const { return source_; }

}  // namespace xfmr
