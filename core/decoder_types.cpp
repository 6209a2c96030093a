#include "core/decoder_types.hpp"

#include <fmt/format.h>

namespace xfmr {
namespace {

constexpr DecoderNames make_gpt2() {
  DecoderNames n{};
  n.base = "transformer";
  n.norm = NormKind::layer_norm;
  n.positions = PositionKind::learned;
  n.mlp = MlpKind::plain;
  n.in_major = true;
  n.token_embeddings = "wte.weight";
  n.position_embeddings = "wpe.weight";
  n.layer = "h.{layer}";
  n.attention_norm = "ln_1";
  n.qkv = "attn.c_attn";
  n.attention_output = "attn.c_proj";
  n.mlp_norm = "ln_2";
  n.up = "mlp.c_fc";
  n.down = "mlp.c_proj";
  n.final_norm = "ln_f";
  n.lm_head = "lm_head.weight";
  return n;
}

constexpr DecoderNames make_llama() {
  DecoderNames n{};
  n.base = "model";
  n.norm = NormKind::rms_norm;
  n.positions = PositionKind::rotary;
  n.mlp = MlpKind::gated;
  n.in_major = false;
  n.token_embeddings = "embed_tokens.weight";
  n.layer = "layers.{layer}";
  n.attention_norm = "input_layernorm";
  n.query = "self_attn.q_proj";
  n.key = "self_attn.k_proj";
  n.value = "self_attn.v_proj";
  n.attention_output = "self_attn.o_proj";
  n.mlp_norm = "post_attention_layernorm";
  n.gate = "mlp.gate_proj";
  n.up = "mlp.up_proj";
  n.down = "mlp.down_proj";
  n.final_norm = "norm";
  n.lm_head = "lm_head.weight";
  return n;
}

// Only the unscaled rotary embedding is implemented: rope_scaling must be null
// (or name the "default" type, which transformers treats the same).
void check_rope_scaling(const ConfigReader& r, const ModelConfig& cfg) {
  const auto it = cfg.raw.find("rope_scaling");
  if (it == cfg.raw.end() || it->is_null()) return;
  if (!it->is_object()) r.fail("rope_scaling", "must be null or an object");
  std::string type = "?";
  for (const char* key : {"rope_type", "type"}) {
    if (it->contains(key) && (*it)[key].is_string()) {
      type = (*it)[key].get<std::string>();
      break;
    }
  }
  if (type != "default") {
    r.fail("rope_scaling", fmt::format("rope type '{}' is not supported (xfmr implements rope_scaling null only)", type));
  }
}

// transformers' config classes give an absent key its default but keep an
// explicit null (meaning "none" / "same as another field"): `if_null` then.
int64_t int_or_null(const ConfigReader& r, const ModelConfig& cfg, std::string_view key, int64_t if_absent,
                    int64_t if_null) {
  const auto it = cfg.raw.find(key);
  if (it == cfg.raw.end()) return if_absent;
  if (it->is_null()) return if_null;
  return r.optional_int(key, if_absent);
}

// The fields the Llama-shaped configs share, with `defaults` for the sizes
// (transformers' config classes fill absent keys with their defaults).
struct LlamaDefaults {
  int64_t vocab_size, hidden_size, intermediate_size, layers, heads, kv_heads, max_positions;
};

void read_llama_like(const ConfigReader& r, ModelConfig& cfg, const LlamaDefaults& d) {
  cfg.vocab_size = r.optional_int("vocab_size", d.vocab_size);
  cfg.hidden_size = r.optional_int("hidden_size", d.hidden_size);
  cfg.intermediate_size = r.optional_int("intermediate_size", d.intermediate_size);
  cfg.num_hidden_layers = r.optional_int("num_hidden_layers", d.layers);
  cfg.num_attention_heads = r.optional_int("num_attention_heads", d.heads);
  cfg.num_key_value_heads = int_or_null(r, cfg, "num_key_value_heads", d.kv_heads, 0);  // 0: = heads
  cfg.head_dim = r.optional_int("head_dim", 0);                                 // 0: hidden / heads
  cfg.max_position_embeddings = r.optional_int("max_position_embeddings", d.max_positions);
  cfg.hidden_act = r.activation("hidden_act", "silu");
  cfg.layer_norm_eps = static_cast<float>(r.optional_float("rms_norm_eps", 1e-6));
  cfg.rope_theta = static_cast<float>(r.optional_float("rope_theta", 10000.0));
  cfg.tie_word_embeddings = r.optional_bool("tie_word_embeddings", false);
  cfg.type_vocab_size = 0;
  if (!(cfg.rope_theta > 0.0f)) r.fail("rope_theta", "must be > 0");
  check_rope_scaling(r, cfg);
}

}  // namespace

const DecoderNames kGpt2Names = make_gpt2();
const DecoderNames kLlamaNames = make_llama();

void read_gpt2_config(const ConfigReader& r, ModelConfig& cfg) {
  cfg.vocab_size = r.optional_int("vocab_size", 50257);
  cfg.hidden_size = r.optional_int("n_embd", 768);
  cfg.num_hidden_layers = r.optional_int("n_layer", 12);
  cfg.num_attention_heads = r.optional_int("n_head", 12);
  cfg.max_position_embeddings = r.optional_int("n_positions", 1024);
  cfg.intermediate_size = r.optional_int("n_inner", 4 * cfg.hidden_size);  // null: 4 * n_embd
  cfg.hidden_act = r.activation("activation_function", "gelu_new");
  cfg.layer_norm_eps = static_cast<float>(r.optional_float("layer_norm_epsilon", 1e-5));
  cfg.type_vocab_size = 0;
  cfg.attention_qkv_bias = cfg.attention_output_bias = cfg.mlp_bias = true;
  cfg.scale_attn_weights = r.optional_bool("scale_attn_weights", true);
  cfg.scale_attn_by_inverse_layer_idx = r.optional_bool("scale_attn_by_inverse_layer_idx", false);
  if (r.optional_bool("add_cross_attention", false)) {
    r.fail("add_cross_attention", "GPT-2 with cross-attention is not supported");
  }
}

void read_llama_config(const ConfigReader& r, ModelConfig& cfg) {
  read_llama_like(r, cfg, {32000, 4096, 11008, 32, 32, 0, 2048});
  cfg.attention_qkv_bias = cfg.attention_output_bias = r.optional_bool("attention_bias", false);
  cfg.mlp_bias = r.optional_bool("mlp_bias", false);
}

// Mistral: Llama's blocks without biases. Its sliding window only matters
// beyond sliding_window tokens, which the decoder refuses (not implemented).
void read_mistral_config(const ConfigReader& r, ModelConfig& cfg) {
  read_llama_like(r, cfg, {32000, 4096, 14336, 32, 32, 8, 4096 * 32});
  cfg.sliding_window = int_or_null(r, cfg, "sliding_window", 4096, 0);
}

// Qwen2: biases on q / k / v only. Its sliding window applies only when
// use_sliding_window is true, to layers >= max_window_layers.
void read_qwen2_config(const ConfigReader& r, ModelConfig& cfg) {
  read_llama_like(r, cfg, {151936, 4096, 22016, 32, 32, 32, 32768});
  cfg.attention_qkv_bias = true;
  const bool sliding = r.optional_bool("use_sliding_window", false);
  const int64_t window = int_or_null(r, cfg, "sliding_window", 4096, 0);
  if (sliding && window > 0 && r.optional_int("max_window_layers", 28) < cfg.num_hidden_layers) {
    cfg.sliding_window = window;
  }
}

}  // namespace xfmr
