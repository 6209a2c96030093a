#pragma once
// Random weights of the right names and shapes for any model type the
// registry knows (the list comes from its weight-name table): benchmark
// models of real sizes from a real config.json, and small models for tests.
// Matrices and embeddings N(0, stddev), norm weights 1 + N(0, stddev / 10),
// biases N(0, stddev / 10). Deterministic: each tensor's values depend only on
// the seed and its name.
#include <cstdint>
#include <filesystem>

#include "core/config.hpp"

namespace xfmr {

void write_random_weights(const ModelConfig& config, const std::filesystem::path& file, uint64_t seed,
                          float stddev = 0.02f);

}  // namespace xfmr
