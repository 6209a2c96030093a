#pragma once
// The one place that maps config.json's model_type to what the core knows
// about it: its family, its config mapping (key names -> ModelConfig) and its
// weight-name table. To add a model type: write its read_config and its table
// (for a new family, add a table pointer to ModelTypeInfo and a case to
// expected_tensors), then add a row to kModelTypes in registry.cpp.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/decoder_weights.hpp"
#include "core/encoder_weights.hpp"
#include "core/seq2seq_weights.hpp"
#include "core/weight_binder.hpp"

namespace xfmr {

struct ModelTypeInfo {
  std::string_view model_type;
  ModelFamily family;
  void (*read_config)(const ConfigReader& reader, ModelConfig& cfg);
  const EncoderNames* encoder_names = nullptr;  // family == encoder
  const DecoderNames* decoder_names = nullptr;  // family == decoder
  const Seq2SeqNames* seq2seq_names = nullptr;  // family == encoder_decoder
};

std::span<const ModelTypeInfo> model_types();
// ModelError "<label>: unknown model_type 'x' (supported: ...)" when absent.
const ModelTypeInfo& find_model_type(std::string_view model_type, const std::string& label);

// Every tensor a checkpoint of this config (model type + architecture) holds,
// with its shape and how a random model initialises it. Tied tensors (an LM
// decoder sharing the word embeddings) are not listed, as in the real files.
std::vector<TensorSpec> expected_tensors(const ModelConfig& cfg);

}  // namespace xfmr
