#pragma once
// Weights: the tensors of a model folder, as float32.
//
//   Weights w = Weights::open_folder(dir);   // model.safetensors, or the shards
//                                            // named by model.safetensors.index.json
//   Tensor emb = w.get("bert.embeddings.word_embeddings.weight");
//
// An aligned F32 tensor is a view of the mapped file (no copy: RSS grows only by
// the pages actually read). F16 and BF16 are converted once into an owned
// buffer (cached, so a tensor asked for twice is converted once); any other
// dtype throws ModelError naming the tensor. Not thread-safe: load, then share
// the Tensors.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/safetensors.hpp"
#include "core/tensor.hpp"

namespace xfmr {

class Weights {
 public:
  static Weights open_folder(const std::filesystem::path& dir);
  static Weights open_file(const std::filesystem::path& file);

  bool contains(std::string_view name) const;
  // Throws ModelError if absent ("tensor 'x' not found in <files>").
  const TensorInfo& info(std::string_view name) const;
  // The tensor as float32 (view or converted copy).
  Tensor get(std::string_view name) const;
  std::vector<std::string> names() const;
  // The file(s) behind these weights, for messages.
  std::string source() const;

 private:
  struct Entry {
    const SafetensorsFile* file;
    const TensorInfo* info;
  };
  std::vector<std::shared_ptr<const SafetensorsFile>> files_;
  std::unordered_map<std::string, Entry> entries_;
  mutable std::unordered_map<std::string, Tensor> converted_;
  std::string source_;
};

}  // namespace xfmr
