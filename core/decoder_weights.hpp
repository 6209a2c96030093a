#pragma once
// The decoder-only family's weights (GPT-2, Llama, Mistral, Qwen2): one set of
// blocks and, per model type, a weight-name table (DecoderNames) saying where
// each block's tensors live in the checkpoint and which variant of a block it
// uses (LayerNorm or RMSNorm, learned or rotary positions, plain or gated MLP,
// Conv1D [in, out] or Linear [out, in] matrices). Adding a decoder
// architecture = a config mapping and a DecoderNames entry in
// core/decoder_types.cpp, then a row in core/registry.cpp.
//
//   StoreBinder binder(weights, config);
//   DecoderWeights w = bind_decoder_weights(config, kLlamaNames, binder);
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/ops/linear.hpp"
#include "core/ops/projection.hpp"
#include "core/weight_binder.hpp"

namespace xfmr {

enum class NormKind { layer_norm, rms_norm };
enum class PositionKind { learned, rotary };
enum class MlpKind {
  plain,  // down(act(up(x)))               GPT-2
  gated,  // down(act(gate(x)) * up(x))      Llama (SwiGLU)
};

// Names are prefixes of "<name>.weight" / "<name>.bias", relative to `base`
// (which a bare base-model checkpoint leaves out) except `lm_head`, which is
// absolute. `layer` holds "{layer}".
struct DecoderNames {
  std::string_view base;
  NormKind norm = NormKind::layer_norm;
  PositionKind positions = PositionKind::learned;
  MlpKind mlp = MlpKind::plain;
  bool in_major = false;  // matrices stored [in, out] (GPT-2's Conv1D)
  std::string_view token_embeddings;     // full tensor name under base
  std::string_view position_embeddings;  // full tensor name under base; "" for rotary
  std::string_view layer;
  std::string_view attention_norm;
  std::string_view qkv;  // fused [q | k | v] projection, or "" for separate ones
  std::string_view query, key, value;
  std::string_view attention_output;
  std::string_view mlp_norm;
  std::string_view gate;  // gated MLP only
  std::string_view up, down;
  std::string_view final_norm;
  std::string_view lm_head;  // full tensor name, used when tie_word_embeddings is false
};

struct DecoderLayerWeights {
  Norm attention_norm;
  Projection qkv;  // fused: columns [q | k | v]; empty when q, k, v are separate
  Projection query, key, value;
  Projection attention_output;
  Norm mlp_norm;
  Projection gate;  // empty for a plain MLP
  Projection up, down;
};

struct DecoderWeights {
  Tensor token_embeddings;     // [vocab, hidden]
  Tensor position_embeddings;  // [max_positions, hidden]; empty for rotary models
  std::vector<DecoderLayerWeights> layers;
  Norm final_norm;
  Tensor lm_head;  // [vocab, hidden]: the token embeddings when tied; empty for a
                   // bare base model without a head
};

// Walks the table for config, binding every tensor through `binder`. ModelError
// for an architecture that is not a causal LM / base model.
DecoderWeights bind_decoder_weights(const ModelConfig& config, const DecoderNames& names, WeightBinder& binder);

}  // namespace xfmr
