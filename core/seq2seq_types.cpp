#include "core/seq2seq_types.hpp"

#include <fmt/format.h>

namespace xfmr {
namespace {

constexpr StackNames t5_stack(bool decoder) {
  StackNames s{};
  s.prefix = decoder ? "decoder" : "encoder";
  s.layer = "block.{layer}";
  s.own_embeddings = "embed_tokens.weight";
  s.self_attention = {"layer.0.SelfAttention.q", "layer.0.SelfAttention.k", "layer.0.SelfAttention.v",
                      "layer.0.SelfAttention.o"};
  s.self_attention_norm = "layer.0.layer_norm";
  s.relative_bias = "layer.0.SelfAttention.relative_attention_bias";
  if (decoder) {
    s.cross_attention = {"layer.1.EncDecAttention.q", "layer.1.EncDecAttention.k", "layer.1.EncDecAttention.v",
                         "layer.1.EncDecAttention.o"};
    s.cross_attention_norm = "layer.1.layer_norm";
    s.mlp_norm = "layer.2.layer_norm";
    s.mlp_in = "layer.2.DenseReluDense.wi";
    s.mlp_gate = "layer.2.DenseReluDense.wi_0";
    s.mlp_gated_in = "layer.2.DenseReluDense.wi_1";
    s.mlp_out = "layer.2.DenseReluDense.wo";
  } else {
    s.mlp_norm = "layer.1.layer_norm";
    s.mlp_in = "layer.1.DenseReluDense.wi";
    s.mlp_gate = "layer.1.DenseReluDense.wi_0";
    s.mlp_gated_in = "layer.1.DenseReluDense.wi_1";
    s.mlp_out = "layer.1.DenseReluDense.wo";
  }
  s.final_norm = "final_layer_norm";
  return s;
}

constexpr Seq2SeqNames make_t5() {
  Seq2SeqNames n{};
  n.norm = NormKind::rms_norm;
  n.pre_norm = true;
  n.biases = false;
  n.scaled_attention = false;
  n.rescale_tied_head = true;
  n.positions = Seq2SeqPositions::relative;
  n.shared_embeddings = "shared.weight";
  n.encoder = t5_stack(false);
  n.decoder = t5_stack(true);
  n.lm_head = "lm_head.weight";
  return n;
}

// The BART family's layer names: BART (learned positions, embedding norm) and
// Marian (sinusoidal positions), both post-norm.
constexpr StackNames bart_stack(bool decoder, bool learned_positions) {
  StackNames s{};
  s.prefix = decoder ? "model.decoder" : "model.encoder";
  s.layer = "layers.{layer}";
  s.own_embeddings = "embed_tokens.weight";
  if (learned_positions) {
    s.position_embeddings = "embed_positions.weight";
    s.embedding_norm = "layernorm_embedding";
  }
  s.self_attention = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"};
  s.self_attention_norm = "self_attn_layer_norm";
  if (decoder) {
    s.cross_attention = {"encoder_attn.q_proj", "encoder_attn.k_proj", "encoder_attn.v_proj", "encoder_attn.out_proj"};
    s.cross_attention_norm = "encoder_attn_layer_norm";
  }
  s.mlp_norm = "final_layer_norm";
  s.mlp_in = "fc1";
  s.mlp_out = "fc2";
  return s;
}

constexpr Seq2SeqNames make_bart(bool learned_positions) {
  Seq2SeqNames n{};
  n.norm = NormKind::layer_norm;
  n.positions = learned_positions ? Seq2SeqPositions::learned : Seq2SeqPositions::sinusoidal;
  n.position_offset = learned_positions ? 2 : 0;
  n.shared_embeddings = "model.shared.weight";
  n.encoder = bart_stack(false, learned_positions);
  n.decoder = bart_stack(true, learned_positions);
  n.lm_head = "lm_head.weight";
  n.final_logits_bias = "final_logits_bias";
  return n;
}

// The decoder's sizes must give whole heads.
void read_decoder_heads(const ConfigReader& r, ModelConfig& cfg, int64_t default_heads) {
  cfg.decoder_attention_heads = r.optional_int("decoder_attention_heads", default_heads);
  if (cfg.decoder_attention_heads <= 0 || cfg.decoder_attention_heads > (int64_t{1} << 24)) {
    r.fail("decoder_attention_heads", "must be positive");
  }
  if (cfg.hidden_size <= 0 || cfg.hidden_size % cfg.decoder_attention_heads != 0) {
    r.fail("decoder_attention_heads", fmt::format("{} heads do not divide d_model {}", cfg.decoder_attention_heads,
                                                  cfg.hidden_size));
  }
  cfg.decoder_head_dim = cfg.hidden_size / cfg.decoder_attention_heads;
}

void check_decoder_sizes(const ConfigReader& r, const ModelConfig& cfg) {
  auto positive = [&](std::string_view field, int64_t value) {
    if (value <= 0 || value > (int64_t{1} << 24)) {
      r.fail(field, fmt::format("must be between 1 and 2^24, got {}", value));
    }
  };
  positive("decoder_layers", cfg.num_decoder_layers);
  positive("decoder_ffn_dim", cfg.decoder_intermediate_size);
  positive("decoder_vocab_size", cfg.decoder_vocab_size);
  positive("d_kv", cfg.decoder_head_dim);
}

struct BartDefaults {
  int64_t vocab_size, hidden_size, layers, heads, ffn, max_positions;
  const char* activation;
};

void read_bart_like(const ConfigReader& r, ModelConfig& cfg, const BartDefaults& d) {
  cfg.vocab_size = r.optional_int("vocab_size", d.vocab_size);
  cfg.hidden_size = r.optional_int("d_model", d.hidden_size);
  cfg.num_hidden_layers = r.optional_int("encoder_layers", d.layers);
  cfg.num_decoder_layers = r.optional_int("decoder_layers", d.layers);
  cfg.num_attention_heads = r.optional_int("encoder_attention_heads", d.heads);
  read_decoder_heads(r, cfg, d.heads);
  cfg.intermediate_size = r.optional_int("encoder_ffn_dim", d.ffn);
  cfg.decoder_intermediate_size = r.optional_int("decoder_ffn_dim", d.ffn);
  cfg.max_position_embeddings = r.optional_int("max_position_embeddings", d.max_positions);
  cfg.hidden_act = r.activation("activation_function", d.activation);
  cfg.layer_norm_eps = 1e-5f;  // torch.nn.LayerNorm's default; not configurable
  cfg.scale_embedding = r.optional_bool("scale_embedding", false);
  cfg.is_encoder_decoder = r.optional_bool("is_encoder_decoder", true);
  cfg.type_vocab_size = 0;
  cfg.decoder_vocab_size = cfg.vocab_size;
}

}  // namespace

const Seq2SeqNames kT5Names = make_t5();
const Seq2SeqNames kBartNames = make_bart(/*learned_positions=*/true);
const Seq2SeqNames kMarianNames = make_bart(/*learned_positions=*/false);

void read_t5_config(const ConfigReader& r, ModelConfig& cfg) {
  cfg.vocab_size = r.optional_int("vocab_size", 32128);
  cfg.hidden_size = r.optional_int("d_model", 512);
  cfg.head_dim = r.optional_int("d_kv", 64);
  cfg.intermediate_size = r.optional_int("d_ff", 2048);
  cfg.num_hidden_layers = r.optional_int("num_layers", 6);
  cfg.num_decoder_layers = r.optional_int("num_decoder_layers", cfg.num_hidden_layers);  // null: num_layers
  cfg.num_attention_heads = r.optional_int("num_heads", 8);
  cfg.decoder_attention_heads = cfg.num_attention_heads;
  cfg.decoder_head_dim = cfg.head_dim;
  cfg.decoder_intermediate_size = cfg.intermediate_size;
  cfg.decoder_vocab_size = cfg.vocab_size;
  cfg.relative_attention_num_buckets = r.optional_int("relative_attention_num_buckets", 32);
  cfg.relative_attention_max_distance = r.optional_int("relative_attention_max_distance", 128);
  cfg.layer_norm_eps = static_cast<float>(r.optional_float("layer_norm_epsilon", 1e-6));
  cfg.is_encoder_decoder = r.optional_bool("is_encoder_decoder", true);
  cfg.max_position_embeddings = 0;  // relative positions: no length limit
  cfg.type_vocab_size = 0;

  // feed_forward_proj is "ACT" or "gated-ACT"; "gated-gelu" means gelu_new.
  // dense_act_fn / is_gated_act, when config.json has them, win (as in
  // transformers, where they arrive as extra keyword arguments).
  const std::string proj = r.optional_string("feed_forward_proj", "relu");
  const size_t dash = proj.find('-');
  std::string act = proj;
  bool gated = false;
  if (dash != std::string::npos) {
    if (proj.compare(0, dash, "gated") != 0 || proj.find('-', dash + 1) != std::string::npos) {
      r.fail("feed_forward_proj", fmt::format("'{}' is not 'ACT' or 'gated-ACT'", proj));
    }
    act = proj.substr(dash + 1);
    gated = true;
  }
  if (proj == "gated-gelu") act = "gelu_new";
  cfg.hidden_act = r.activation("dense_act_fn", act);
  cfg.gated_mlp = r.optional_bool("is_gated_act", gated);
  if (cfg.relative_attention_num_buckets < 2 || cfg.relative_attention_num_buckets > 1'000'000) {
    r.fail("relative_attention_num_buckets", "must be between 2 and 1000000");
  }
  if (cfg.relative_attention_max_distance < 2) r.fail("relative_attention_max_distance", "must be >= 2");
  check_decoder_sizes(r, cfg);
}

void read_bart_config(const ConfigReader& r, ModelConfig& cfg) {
  read_bart_like(r, cfg, {50265, 1024, 12, 16, 4096, 1024, "gelu"});
  check_decoder_sizes(r, cfg);
}

// Marian: BART's layers with fixed sinusoidal positions and no embedding
// norm; the decoder may have its own vocabulary and embeddings.
void read_marian_config(const ConfigReader& r, ModelConfig& cfg) {
  read_bart_like(r, cfg, {58101, 1024, 12, 16, 4096, 1024, "gelu"});
  cfg.decoder_vocab_size = r.optional_int("decoder_vocab_size", cfg.vocab_size);  // null: vocab_size
  cfg.share_encoder_decoder_embeddings = r.optional_bool("share_encoder_decoder_embeddings", true);
  if (cfg.share_encoder_decoder_embeddings && cfg.decoder_vocab_size != cfg.vocab_size) {
    r.fail("decoder_vocab_size", "must equal vocab_size when share_encoder_decoder_embeddings is true");
  }
  check_decoder_sizes(r, cfg);
}

}  // namespace xfmr
