#pragma once
// ModelConfig: config.json read into one struct with canonical names.
//
//   ModelConfig cfg = load_model_config(dir);   // dir/config.json
//
// Each model_type has its own key names (BERT "hidden_size", DistilBERT "dim",
// GPT-2 "n_embd", T5 "d_model" ...). The registry (core/registry.hpp) maps
// model_type to a `read_config` function that fills the canonical fields below
// from the raw JSON through ConfigReader; the fields every config shares
// (labels, special token ids, task params) are read before it. A family added
// later adds fields here (defaulted) and a read_config function there.
// Errors (not JSON, missing or mistyped field, unknown model_type) throw
// ModelError naming the file and the field.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ops/activation.hpp"

namespace xfmr {

enum class ModelFamily { encoder, decoder, encoder_decoder };

struct ModelConfig {
  std::filesystem::path path;  // the config.json this came from
  nlohmann::json raw;          // the whole file, for fields not mapped below

  std::string model_type;
  std::vector<std::string> architectures;  // e.g. "BertForSequenceClassification"
  ModelFamily family = ModelFamily::encoder;

  // Sizes (canonical names).
  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t num_hidden_layers = 0;
  int64_t num_attention_heads = 0;
  int64_t num_key_value_heads = 0;  // grouped-query attention; = num_attention_heads when absent
  int64_t head_dim = 0;             // hidden_size / num_attention_heads unless the config says
  int64_t intermediate_size = 0;
  int64_t max_position_embeddings = 0;
  int64_t type_vocab_size = 0;      // 0: the model takes no token type ids
  int64_t embedding_size = 0;       // ALBERT's factorised embedding; = hidden_size elsewhere
  int64_t num_hidden_groups = 1;    // ALBERT: layers share weights within a group
  int64_t inner_group_num = 1;      // ALBERT: layers per group
  int64_t num_decoder_layers = 0;   // encoder-decoder models

  Activation hidden_act = Activation::gelu;
  float layer_norm_eps = 1e-12f;
  float rope_theta = 10000.0f;
  bool tie_word_embeddings = true;
  bool is_encoder_decoder = false;

  // Decoder-only families (GPT-2, Llama, Mistral, Qwen2); read by core/decoder_types.cpp.
  bool attention_qkv_bias = false;      // q / k / v projections carry biases
  bool attention_output_bias = false;   // the attention output projection carries a bias
  bool mlp_bias = false;                // the MLP projections carry biases
  bool scale_attn_weights = true;       // GPT-2: scores / sqrt(head_dim); false: unscaled
  bool scale_attn_by_inverse_layer_idx = false;  // GPT-2: scores also / (layer + 1)
  int64_t sliding_window = 0;           // > 0: attention window; longer sequences are refused

  // Encoder-decoder families (T5, BART, Marian); read by core/seq2seq_types.cpp.
  // The sizes above describe the encoder (num_decoder_layers the decoder's
  // depth); the decoder's own sizes follow.
  int64_t decoder_attention_heads = 0;
  int64_t decoder_head_dim = 0;
  int64_t decoder_intermediate_size = 0;
  int64_t decoder_vocab_size = 0;        // Marian with separate embeddings; else vocab_size
  int64_t relative_attention_num_buckets = 0;   // T5's relative position buckets
  int64_t relative_attention_max_distance = 0;
  bool scale_embedding = false;          // token embeddings * sqrt(hidden_size)
  bool share_encoder_decoder_embeddings = true;
  bool gated_mlp = false;                // T5 v1.1 "gated-gelu": act(wi_0 x) * wi_1 x

  // Special token ids (absent when the config has none or null).
  std::optional<int32_t> pad_token_id;
  std::optional<int32_t> bos_token_id;
  std::vector<int32_t> eos_token_ids;  // a single id or a list in config.json
  std::optional<int32_t> decoder_start_token_id;

  // Labels: id2label[i] is the label of output i; num_labels() == id2label.size().
  std::vector<std::string> id2label;
  std::vector<std::pair<std::string, int32_t>> label2id;  // as given, or built from id2label
  std::string problem_type;                               // "" when absent or null
  nlohmann::json task_specific_params;                    // null when absent
  std::string torch_dtype;                                // informational

  int64_t num_labels() const { return static_cast<int64_t>(id2label.size()); }
  // architectures[0], or "" when the config names none.
  std::string architecture() const { return architectures.empty() ? std::string() : architectures[0]; }
};

// Typed access to config.json with errors naming the file and the key.
class ConfigReader {
 public:
  ConfigReader(const nlohmann::json& raw, std::string label) : raw_(raw), label_(std::move(label)) {}

  bool has(std::string_view key) const;  // present and not null
  // The first of `keys` present; ModelError listing them if none is.
  int64_t required_int(std::initializer_list<std::string_view> keys) const;
  int64_t optional_int(std::string_view key, int64_t fallback) const;
  double optional_float(std::string_view key, double fallback) const;
  bool optional_bool(std::string_view key, bool fallback) const;
  std::string optional_string(std::string_view key, std::string fallback) const;
  std::optional<int32_t> optional_token_id(std::string_view key) const;
  Activation activation(std::string_view key, std::string_view fallback) const;
  [[noreturn]] void fail(std::string_view key, std::string_view why) const;
  const std::string& label() const { return label_; }

 private:
  const nlohmann::json& raw_;
  std::string label_;
};

// Reads dir/config.json (or the file itself if `path` is a file).
ModelConfig load_model_config(const std::filesystem::path& path);
// Same from already-parsed JSON; `label` names the file in messages.
ModelConfig parse_model_config(const nlohmann::json& raw, const std::string& label);

}  // namespace xfmr
