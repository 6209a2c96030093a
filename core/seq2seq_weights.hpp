#pragma once
// The encoder-decoder family's weights (T5, BART, Marian): one set of blocks
// and, per model type, a weight-name table (Seq2SeqNames) saying where each
// block's tensors live and which variant of a block the model uses (RMSNorm
// before each block or LayerNorm after it, relative / learned / sinusoidal
// positions, biases, plain or gated MLP). Adding an encoder-decoder
// architecture = a config mapping and a Seq2SeqNames entry in
// core/seq2seq_types.cpp, then a row in core/registry.cpp.
//
//   StoreBinder binder(weights, config);
//   Seq2SeqWeights w = bind_seq2seq_weights(config, kBartNames, binder);
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/decoder_weights.hpp"
#include "core/ops/linear.hpp"
#include "core/ops/projection.hpp"
#include "core/weight_binder.hpp"

namespace xfmr {

enum class Seq2SeqPositions {
  relative,    // T5: bucketed relative position biases of the first layer
  learned,     // BART: a learned table, position p at row p + position_offset
  sinusoidal,  // Marian: fixed sin | cos table, computed at load
};

// One attention block's projections, relative to the layer's prefix; each
// name is a prefix of "<name>.weight" / "<name>.bias".
struct AttentionNames {
  std::string_view query, key, value, output;
};

// One stack (the encoder or the decoder). Layer names are relative to
// "<prefix>.<layer>." with "{layer}" replaced by the index; other names are
// relative to "<prefix>.". "" marks what a model lacks.
struct StackNames {
  std::string_view prefix;                // "encoder", "model.encoder"
  std::string_view layer;                 // "block.{layer}", "layers.{layer}"
  std::string_view own_embeddings;        // a stack's own token embeddings (unshared, or tied copies)
  std::string_view position_embeddings;   // learned positions only
  std::string_view embedding_norm;        // BART's layernorm_embedding
  AttentionNames self_attention;
  std::string_view self_attention_norm;
  std::string_view relative_bias;         // T5: in the first layer only
  AttentionNames cross_attention;         // decoder only
  std::string_view cross_attention_norm;
  std::string_view mlp_norm;
  std::string_view mlp_in;                // plain MLP: down(act(in(x)))
  std::string_view mlp_gate, mlp_gated_in;  // gated MLP: down(act(gate(x)) * gated_in(x))
  std::string_view mlp_out;
  std::string_view final_norm;            // T5's final_layer_norm
};

struct Seq2SeqNames {
  NormKind norm = NormKind::layer_norm;
  bool pre_norm = false;       // norm before each block (T5), else after the residual add (BART, Marian)
  bool biases = true;          // projections and norms carry biases
  bool scaled_attention = true;  // scores / sqrt(head_dim); T5 folds it into its weights
  bool rescale_tied_head = false;  // T5: hidden * d_model^-0.5 before a tied LM head
  Seq2SeqPositions positions = Seq2SeqPositions::learned;
  int64_t position_offset = 0;  // BART: 2
  std::string_view shared_embeddings;  // full tensor name
  StackNames encoder, decoder;
  std::string_view lm_head;            // full tensor name, when not tied
  std::string_view final_logits_bias;  // full tensor name, or ""
};

struct AttentionWeights {
  Projection query, key, value, output;
};

struct Seq2SeqLayerWeights {
  Norm self_attention_norm;
  AttentionWeights self_attention;
  Norm cross_attention_norm;  // decoder only
  AttentionWeights cross_attention;
  Norm mlp_norm;
  Projection mlp_in;    // plain MLP, or the gated MLP's linear half
  Projection mlp_gate;  // gated MLP only
  Projection mlp_out;
};

struct StackWeights {
  Tensor embeddings;           // [vocab, hidden]
  Tensor position_embeddings;  // learned [positions + offset, hidden] or sinusoidal [positions, hidden]
  Tensor relative_bias;        // T5: [buckets, heads]
  Norm embedding_norm;
  std::vector<Seq2SeqLayerWeights> layers;
  Norm final_norm;
};

struct Seq2SeqWeights {
  StackWeights encoder, decoder;
  Tensor lm_head;            // [decoder vocab, hidden]
  Tensor final_logits_bias;  // [1, decoder vocab] or empty
};

// Walks the table for config, binding every tensor through `binder`. Sinusoidal
// position tables are computed, not bound. ModelError for an architecture
// other than *ForConditionalGeneration / MarianMTModel.
Seq2SeqWeights bind_seq2seq_weights(const ModelConfig& config, const Seq2SeqNames& names, WeightBinder& binder);

}  // namespace xfmr
