#include "core/decoder_weights.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string layer_prefix(std::string_view pattern, int64_t layer) {
  std::string name(pattern);
  const size_t at = name.find("{layer}");
  if (at != std::string::npos) name.replace(at, 7, std::to_string(layer));
  return name;
}

class Binder {
 public:
  Binder(WeightBinder& binder, std::string prefix, bool in_major)
      : binder_(binder), prefix_(std::move(prefix)), in_major_(in_major) {}

  std::string name(std::string_view relative) const { return prefix_ + std::string(relative); }
  Tensor tensor(const std::string& full_name, Shape shape, Init init) { return binder_.bind(full_name, shape, init); }

  Projection projection(const std::string& full_name, int64_t out, int64_t in, bool bias) {
    Projection p;
    p.in_major = in_major_;
    p.weight = binder_.bind(full_name + ".weight", in_major_ ? Shape{in, out} : Shape{out, in}, Init::normal);
    if (bias) p.bias = binder_.bind(full_name + ".bias", {out}, Init::zeros);
    return p;
  }

  Norm norm(const std::string& full_name, int64_t size, NormKind kind) {
    Norm n;
    n.weight = binder_.bind(full_name + ".weight", {size}, Init::ones);
    if (kind == NormKind::layer_norm) n.bias = binder_.bind(full_name + ".bias", {size}, Init::zeros);
    return n;
  }

 private:
  WeightBinder& binder_;
  std::string prefix_;
  bool in_major_;
};

// "*ForCausalLM" / "*LMHeadModel" carry the LM head; "*Model" is the bare
// decoder (its head is the tied embeddings, or absent).
bool has_lm_head(const ModelConfig& cfg) {
  const std::string arch = cfg.architecture();
  if (arch.empty() || ends_with(arch, "ForCausalLM") || ends_with(arch, "LMHeadModel")) return true;
  if (ends_with(arch, "Model")) return false;
  throw ModelError(fmt::format("{}: architecture '{}' is not supported for model_type '{}' (supported: *ForCausalLM, "
                               "*LMHeadModel, *Model)",
                               cfg.path.string(), arch, cfg.model_type));
}

DecoderLayerWeights bind_layer(Binder& b, const ModelConfig& cfg, const DecoderNames& names, int64_t index) {
  const std::string prefix = b.name(layer_prefix(names.layer, index)) + ".";
  auto name = [&](std::string_view part) { return prefix + std::string(part); };
  const int64_t h = cfg.hidden_size;
  const int64_t q_width = cfg.num_attention_heads * cfg.head_dim;
  const int64_t kv_width = cfg.num_key_value_heads * cfg.head_dim;
  DecoderLayerWeights layer;
  layer.attention_norm = b.norm(name(names.attention_norm), h, names.norm);
  if (!names.qkv.empty()) {
    layer.qkv = b.projection(name(names.qkv), q_width + 2 * kv_width, h, cfg.attention_qkv_bias);
  } else {
    layer.query = b.projection(name(names.query), q_width, h, cfg.attention_qkv_bias);
    layer.key = b.projection(name(names.key), kv_width, h, cfg.attention_qkv_bias);
    layer.value = b.projection(name(names.value), kv_width, h, cfg.attention_qkv_bias);
  }
  layer.attention_output = b.projection(name(names.attention_output), h, q_width, cfg.attention_output_bias);
  layer.mlp_norm = b.norm(name(names.mlp_norm), h, names.norm);
  if (names.mlp == MlpKind::gated) {
    layer.gate = b.projection(name(names.gate), cfg.intermediate_size, h, cfg.mlp_bias);
  }
  layer.up = b.projection(name(names.up), cfg.intermediate_size, h, cfg.mlp_bias);
  layer.down = b.projection(name(names.down), h, cfg.intermediate_size, cfg.mlp_bias);
  return layer;
}

}  // namespace

DecoderWeights bind_decoder_weights(const ModelConfig& cfg, const DecoderNames& names, WeightBinder& binder) {
  if (cfg.intermediate_size <= 0) {
    throw ModelError(fmt::format("{}: missing field 'intermediate_size'", cfg.path.string()));
  }
  if (names.qkv.empty() == names.query.empty()) {
    throw ModelError(fmt::format("{}: model_type '{}': the weight table needs either a fused or separate q/k/v",
                                 cfg.path.string(), cfg.model_type));
  }
  const bool lm_head = has_lm_head(cfg);
  // A bare base-model checkpoint (GPT2Model, as the original gpt2 files) has no
  // "transformer." prefix.
  const std::string base = std::string(names.base) + ".";
  const std::string word = std::string(names.token_embeddings);
  const bool prefixed = binder.has(base + word) || !binder.has(word);
  Binder b(binder, prefixed ? base : std::string(), names.in_major);

  DecoderWeights w;
  const int64_t h = cfg.hidden_size;
  w.token_embeddings = b.tensor(b.name(names.token_embeddings), {cfg.vocab_size, h}, Init::normal);
  if (names.positions == PositionKind::learned) {
    w.position_embeddings = b.tensor(b.name(names.position_embeddings), {cfg.max_position_embeddings, h}, Init::normal);
  }
  for (int64_t i = 0; i < cfg.num_hidden_layers; ++i) w.layers.push_back(bind_layer(b, cfg, names, i));
  w.final_norm = b.norm(b.name(names.final_norm), h, names.norm);
  const std::string head_name(names.lm_head);
  if (cfg.tie_word_embeddings) {
    w.lm_head = w.token_embeddings;
  } else if (lm_head || binder.has(head_name)) {
    w.lm_head = b.tensor(head_name, {cfg.vocab_size, h}, Init::normal);
  }
  return w;
}

}  // namespace xfmr
