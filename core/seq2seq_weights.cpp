#include "core/seq2seq_weights.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/ops/sinusoidal.hpp"

namespace xfmr {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string joined(std::string_view prefix, std::string_view name) {
  std::string out(prefix);
  out += '.';
  out += name;
  return out;
}

std::string layer_prefix(const StackNames& stack, int64_t index) {
  std::string pattern(stack.layer);
  const size_t at = pattern.find("{layer}");
  if (at == std::string::npos) return joined(stack.prefix, pattern);
  std::string name = pattern.substr(0, at);
  name += std::to_string(index);
  name += pattern.substr(at + 7);
  return joined(stack.prefix, name);
}

// The sizes of one stack.
struct StackShape {
  int64_t layers, heads, head_dim, intermediate, vocab;
  bool decoder;
};

class Binder {
 public:
  Binder(WeightBinder& binder, const Seq2SeqNames& names) : binder_(binder), names_(names) {}

  bool has(const std::string& name) const { return binder_.has(name); }
  Tensor tensor(const std::string& name, const Shape& shape, Init init) { return binder_.bind(name, shape, init); }

  Projection projection(const std::string& name, int64_t out, int64_t in) {
    Projection p;
    p.weight = binder_.bind(name + ".weight", {out, in}, Init::normal);
    if (names_.biases) p.bias = binder_.bind(name + ".bias", {out}, Init::zeros);
    return p;
  }

  Norm norm(const std::string& name, int64_t size) {
    Norm n;
    n.weight = binder_.bind(name + ".weight", {size}, Init::ones);
    if (names_.norm == NormKind::layer_norm) n.bias = binder_.bind(name + ".bias", {size}, Init::zeros);
    return n;
  }

  AttentionWeights attention(const std::string& prefix, const AttentionNames& names, int64_t hidden, int64_t inner) {
    AttentionWeights a;
    a.query = projection(joined(prefix, names.query), inner, hidden);
    a.key = projection(joined(prefix, names.key), inner, hidden);
    a.value = projection(joined(prefix, names.value), inner, hidden);
    a.output = projection(joined(prefix, names.output), hidden, inner);
    return a;
  }

 private:
  WeightBinder& binder_;
  const Seq2SeqNames& names_;
};

Seq2SeqLayerWeights bind_layer(Binder& b, const ModelConfig& cfg, const StackNames& names, const StackShape& shape,
                               int64_t index) {
  const std::string prefix = layer_prefix(names, index);
  auto name = [&](std::string_view part) { return joined(prefix, part); };
  const int64_t h = cfg.hidden_size;
  const int64_t inner = shape.heads * shape.head_dim;
  Seq2SeqLayerWeights layer;
  layer.self_attention = b.attention(prefix, names.self_attention, h, inner);
  layer.self_attention_norm = b.norm(name(names.self_attention_norm), h);
  if (shape.decoder) {
    layer.cross_attention = b.attention(prefix, names.cross_attention, h, inner);
    layer.cross_attention_norm = b.norm(name(names.cross_attention_norm), h);
  }
  layer.mlp_norm = b.norm(name(names.mlp_norm), h);
  if (cfg.gated_mlp) {
    layer.mlp_gate = b.projection(name(names.mlp_gate), shape.intermediate, h);
    layer.mlp_in = b.projection(name(names.mlp_gated_in), shape.intermediate, h);
  } else {
    layer.mlp_in = b.projection(name(names.mlp_in), shape.intermediate, h);
  }
  layer.mlp_out = b.projection(name(names.mlp_out), h, shape.intermediate);
  return layer;
}

StackWeights bind_stack(Binder& b, const ModelConfig& cfg, const Seq2SeqNames& names, const StackNames& stack,
                        const StackShape& shape, const Tensor* shared) {
  const int64_t h = cfg.hidden_size;
  StackWeights w;
  const std::string own = joined(stack.prefix, stack.own_embeddings);
  w.embeddings = shared ? *shared : b.tensor(own, {shape.vocab, h}, Init::normal);
  switch (names.positions) {
    case Seq2SeqPositions::learned:
      w.position_embeddings = b.tensor(joined(stack.prefix, stack.position_embeddings),
                                       {cfg.max_position_embeddings + names.position_offset, h}, Init::normal);
      break;
    case Seq2SeqPositions::sinusoidal:
      w.position_embeddings = sinusoidal_positions(cfg.max_position_embeddings, h);
      break;
    case Seq2SeqPositions::relative:
      w.relative_bias = b.tensor(joined(layer_prefix(stack, 0), stack.relative_bias) + ".weight",
                                 {cfg.relative_attention_num_buckets, shape.heads}, Init::normal);
      break;
  }
  if (!stack.embedding_norm.empty()) w.embedding_norm = b.norm(joined(stack.prefix, stack.embedding_norm), h);
  for (int64_t i = 0; i < shape.layers; ++i) w.layers.push_back(bind_layer(b, cfg, stack, shape, i));
  if (!stack.final_norm.empty()) w.final_norm = b.norm(joined(stack.prefix, stack.final_norm), h);
  return w;
}

// *ForConditionalGeneration and MarianMTModel carry the LM head; a bare *Model
// has only the tied embeddings as one.
bool has_lm_head(const ModelConfig& cfg) {
  const std::string arch = cfg.architecture();
  if (arch.empty() || ends_with(arch, "ForConditionalGeneration") || arch == "MarianMTModel") return true;
  if (ends_with(arch, "Model")) return false;
  throw ModelError(fmt::format("{}: architecture '{}' is not supported for model_type '{}' (supported: "
                               "*ForConditionalGeneration, MarianMTModel, *Model)",
                               cfg.path.string(), arch, cfg.model_type));
}

}  // namespace

Seq2SeqWeights bind_seq2seq_weights(const ModelConfig& cfg, const Seq2SeqNames& names, WeightBinder& binder) {
  if (cfg.intermediate_size <= 0 || cfg.decoder_intermediate_size <= 0) {
    throw ModelError(fmt::format("{}: missing feed-forward size", cfg.path.string()));
  }
  if (names.positions == Seq2SeqPositions::relative &&
      (cfg.relative_attention_num_buckets < 2 || cfg.relative_attention_max_distance < 2)) {
    throw ModelError(fmt::format("{}: relative_attention_num_buckets and relative_attention_max_distance must be >= 2",
                                 cfg.path.string()));
  }
  if (names.positions != Seq2SeqPositions::relative && cfg.max_position_embeddings <= 0) {
    throw ModelError(fmt::format("{}: missing field 'max_position_embeddings'", cfg.path.string()));
  }
  const bool lm_head = has_lm_head(cfg);
  Binder b(binder, names);
  const int64_t h = cfg.hidden_size;
  const int64_t decoder_vocab = cfg.decoder_vocab_size > 0 ? cfg.decoder_vocab_size : cfg.vocab_size;
  const StackShape encoder{cfg.num_hidden_layers, cfg.num_attention_heads, cfg.head_dim, cfg.intermediate_size,
                           cfg.vocab_size, false};
  const StackShape decoder{cfg.num_decoder_layers, cfg.decoder_attention_heads, cfg.decoder_head_dim,
                           cfg.decoder_intermediate_size, decoder_vocab, true};

  // Shared embeddings live under their own name, or under the encoder's when
  // a checkpoint kept only that tied copy.
  const bool shared = cfg.share_encoder_decoder_embeddings;
  Tensor shared_embeddings;
  const std::string shared_name(names.shared_embeddings);
  const std::string encoder_own = joined(names.encoder.prefix, names.encoder.own_embeddings);
  const bool shared_stored = shared && (b.has(shared_name) || !b.has(encoder_own));
  if (shared_stored) shared_embeddings = b.tensor(shared_name, {cfg.vocab_size, h}, Init::normal);
  Seq2SeqWeights w;
  w.encoder = bind_stack(b, cfg, names, names.encoder, encoder, shared_stored ? &shared_embeddings : nullptr);
  w.decoder = bind_stack(b, cfg, names, names.decoder, decoder, shared ? &w.encoder.embeddings : nullptr);
  const std::string head_name(names.lm_head);
  if (cfg.tie_word_embeddings) {
    w.lm_head = w.decoder.embeddings;
  } else if (lm_head || b.has(head_name)) {
    w.lm_head = b.tensor(head_name, {decoder_vocab, h}, Init::normal);
  }
  const std::string bias_name(names.final_logits_bias);
  if (!bias_name.empty() && (lm_head || b.has(bias_name))) {
    w.final_logits_bias = b.tensor(bias_name, {1, decoder_vocab}, Init::zeros);
  }
  return w;
}

}  // namespace xfmr
