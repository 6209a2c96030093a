#include "core/weight_binder.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr {
namespace {

// Old TensorFlow-converted checkpoints name LayerNorm parameters gamma/beta;
// transformers renames them on load, and so do we.
std::string legacy_name(const std::string& name) {
  auto replace_suffix = [&](std::string_view from, std::string_view to) -> std::string {
    if (name.size() >= from.size() && name.compare(name.size() - from.size(), from.size(), from) == 0) {
      return name.substr(0, name.size() - from.size()) + std::string(to);
    }
    return {};
  };
  if (name.find("LayerNorm") == std::string::npos && name.find("layer_norm") == std::string::npos) return {};
  if (auto alias = replace_suffix(".weight", ".gamma"); !alias.empty()) return alias;
  return replace_suffix(".bias", ".beta");
}

}  // namespace

bool StoreBinder::has(const std::string& name) const {
  if (weights_.contains(name)) return true;
  const std::string alias = legacy_name(name);
  return !alias.empty() && weights_.contains(alias);
}

Tensor StoreBinder::bind(const std::string& name, const Shape& shape, Init) {
  std::string stored = name;
  if (!weights_.contains(stored)) {
    const std::string alias = legacy_name(name);
    if (alias.empty() || !weights_.contains(alias)) {
      throw ModelError(fmt::format("{}: tensor '{}' not found; model_type '{}' ({}) needs it", weights_.source(), name,
                                   config_.model_type,
                                   config_.architecture().empty() ? "no architecture" : config_.architecture()));
    }
    stored = alias;
  }
  const TensorInfo& info = weights_.info(stored);
  if (info.shape != shape) {
    throw ModelError(fmt::format("{}: tensor '{}' has shape {}, but {} implies {}", weights_.source(), stored,
                                 shape_to_string(info.shape), config_.path.string(), shape_to_string(shape)));
  }
  return weights_.get(stored);
}

Tensor SpecRecorder::bind(const std::string& name, const Shape& shape, Init init) {
  specs_.push_back({name, shape, init});
  return {};
}

}  // namespace xfmr
