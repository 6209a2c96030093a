#include "core/random_model.hpp"

#include <random>

#include "core/registry.hpp"
#include "core/safetensors.hpp"

namespace xfmr {
namespace {

uint64_t fnv1a(std::string_view text, uint64_t seed) {
  uint64_t hash = 1469598103934665603ull ^ seed;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

void write_random_weights(const ModelConfig& config, const std::filesystem::path& file, uint64_t seed, float stddev) {
  std::vector<TensorToWrite> tensors;
  for (const TensorSpec& spec : expected_tensors(config)) {
    tensors.push_back({spec.name, spec.shape, [spec, seed, stddev](std::span<float> values) {
                         std::mt19937_64 rng(fnv1a(spec.name, seed));
                         const float spread = spec.init == Init::normal ? stddev : stddev / 10.0f;
                         const float center = spec.init == Init::ones ? 1.0f : 0.0f;
                         std::normal_distribution<float> normal(center, spread);
                         for (float& v : values) v = normal(rng);
                       }});
  }
  write_safetensors(file, tensors);
}

}  // namespace xfmr
