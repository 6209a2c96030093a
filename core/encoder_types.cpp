#include "core/encoder_types.hpp"

#include "core/error.hpp"

namespace xfmr {
namespace {

// BERT and RoBERTa share every base-model name but the prefix.
constexpr EncoderNames bert_like(std::string_view base, PositionScheme positions) {
  EncoderNames n{};
  n.base = base;
  n.positions = positions;
  n.word_embeddings = "embeddings.word_embeddings.weight";
  n.position_embeddings = "embeddings.position_embeddings.weight";
  n.token_type_embeddings = "embeddings.token_type_embeddings.weight";
  n.embeddings_norm = "embeddings.LayerNorm";
  n.layer = "encoder.layer.{layer}";
  n.query = "attention.self.query";
  n.key = "attention.self.key";
  n.value = "attention.self.value";
  n.attention_output = "attention.output.dense";
  n.attention_norm = "attention.output.LayerNorm";
  n.intermediate = "intermediate.dense";
  n.output = "output.dense";
  n.output_norm = "output.LayerNorm";
  n.token_classification = "classifier";
  n.question_answering = "qa_outputs";
  return n;
}

constexpr EncoderNames make_bert() {
  EncoderNames n = bert_like("bert", PositionScheme::absolute);
  n.sequence_classification = {{{"{base}.pooler.dense", HeadActivation::tanh}, {"classifier"}}};
  n.multiple_choice = n.sequence_classification;
  n.mlm_transform = "cls.predictions.transform.dense";
  n.mlm_act = HeadActivation::config;
  n.mlm_norm = "cls.predictions.transform.LayerNorm";
  n.mlm_bias = "cls.predictions.bias";
  n.mlm_decoder = "cls.predictions.decoder.weight";
  return n;
}

constexpr EncoderNames make_roberta() {
  EncoderNames n = bert_like("roberta", PositionScheme::padding_offset);
  // RobertaClassificationHead works on <s> without the pooler.
  n.sequence_classification = {{{"classifier.dense", HeadActivation::tanh}, {"classifier.out_proj"}}};
  n.multiple_choice = {{{"{base}.pooler.dense", HeadActivation::tanh}, {"classifier"}}};
  n.mlm_transform = "lm_head.dense";
  n.mlm_act = HeadActivation::gelu;  // fixed erf GELU, whatever hidden_act says
  n.mlm_norm = "lm_head.layer_norm";
  n.mlm_bias = "lm_head.bias";
  n.mlm_decoder = "lm_head.decoder.weight";
  return n;
}

constexpr EncoderNames make_distilbert() {
  EncoderNames n{};
  n.base = "distilbert";
  n.positions = PositionScheme::absolute;
  n.word_embeddings = "embeddings.word_embeddings.weight";
  n.position_embeddings = "embeddings.position_embeddings.weight";
  n.embeddings_norm = "embeddings.LayerNorm";
  n.layer = "transformer.layer.{layer}";
  n.query = "attention.q_lin";
  n.key = "attention.k_lin";
  n.value = "attention.v_lin";
  n.attention_output = "attention.out_lin";
  n.attention_norm = "sa_layer_norm";
  n.intermediate = "ffn.lin1";
  n.output = "ffn.lin2";
  n.output_norm = "output_layer_norm";
  n.sequence_classification = {{{"pre_classifier", HeadActivation::relu}, {"classifier"}}};
  n.multiple_choice = n.sequence_classification;
  n.token_classification = "classifier";
  n.question_answering = "qa_outputs";
  n.mlm_transform = "vocab_transform";
  n.mlm_act = HeadActivation::config;
  n.mlm_norm = "vocab_layer_norm";
  n.mlm_bias = "vocab_projector.bias";
  n.mlm_decoder = "vocab_projector.weight";
  return n;
}

constexpr EncoderNames make_albert() {
  EncoderNames n{};
  n.base = "albert";
  n.positions = PositionScheme::absolute;
  n.word_embeddings = "embeddings.word_embeddings.weight";
  n.position_embeddings = "embeddings.position_embeddings.weight";
  n.token_type_embeddings = "embeddings.token_type_embeddings.weight";
  n.embeddings_norm = "embeddings.LayerNorm";
  n.embedding_projection = "encoder.embedding_hidden_mapping_in";
  n.layer = "encoder.albert_layer_groups.{group}.albert_layers.{inner}";
  n.query = "attention.query";
  n.key = "attention.key";
  n.value = "attention.value";
  n.attention_output = "attention.dense";
  n.attention_norm = "attention.LayerNorm";
  n.intermediate = "ffn";
  n.output = "ffn_output";
  n.output_norm = "full_layer_layer_norm";
  n.sequence_classification = {{{"{base}.pooler", HeadActivation::tanh}, {"classifier"}}};
  n.multiple_choice = n.sequence_classification;
  n.token_classification = "classifier";
  n.question_answering = "qa_outputs";
  n.mlm_transform = "predictions.dense";
  n.mlm_act = HeadActivation::config;
  n.mlm_norm = "predictions.LayerNorm";
  n.mlm_bias = "predictions.bias";
  n.mlm_decoder = "predictions.decoder.weight";
  return n;
}

void read_bert_sizes(const ConfigReader& r, ModelConfig& cfg) {
  cfg.vocab_size = r.required_int({"vocab_size"});
  cfg.hidden_size = r.required_int({"hidden_size"});
  cfg.num_hidden_layers = r.required_int({"num_hidden_layers"});
  cfg.num_attention_heads = r.required_int({"num_attention_heads"});
  cfg.intermediate_size = r.required_int({"intermediate_size"});
  cfg.max_position_embeddings = r.optional_int("max_position_embeddings", 512);
  cfg.type_vocab_size = r.optional_int("type_vocab_size", 2);
  cfg.layer_norm_eps = static_cast<float>(r.optional_float("layer_norm_eps", 1e-12));
  cfg.hidden_act = r.activation("hidden_act", "gelu");
  const std::string positions = r.optional_string("position_embedding_type", "absolute");
  if (positions != "absolute") r.fail("position_embedding_type", "only \"absolute\" is supported, got \"" + positions + "\"");
}

}  // namespace

const EncoderNames kBertNames = make_bert();
const EncoderNames kRobertaNames = make_roberta();
const EncoderNames kDistilBertNames = make_distilbert();
const EncoderNames kAlbertNames = make_albert();

void read_bert_config(const ConfigReader& r, ModelConfig& cfg) { read_bert_sizes(r, cfg); }

void read_roberta_config(const ConfigReader& r, ModelConfig& cfg) {
  read_bert_sizes(r, cfg);
  if (!cfg.pad_token_id) cfg.pad_token_id = 1;  // positions are counted from padding_idx
}

void read_distilbert_config(const ConfigReader& r, ModelConfig& cfg) {
  cfg.vocab_size = r.required_int({"vocab_size"});
  cfg.hidden_size = r.required_int({"dim"});
  cfg.num_hidden_layers = r.required_int({"n_layers"});
  cfg.num_attention_heads = r.required_int({"n_heads"});
  cfg.intermediate_size = r.required_int({"hidden_dim"});
  cfg.max_position_embeddings = r.optional_int("max_position_embeddings", 512);
  cfg.type_vocab_size = 0;
  cfg.layer_norm_eps = 1e-12f;  // fixed in DistilBERT's code
  cfg.hidden_act = r.activation("activation", "gelu");
}

void read_albert_config(const ConfigReader& r, ModelConfig& cfg) {
  read_bert_sizes(r, cfg);
  cfg.hidden_act = r.activation("hidden_act", "gelu_new");
  cfg.embedding_size = r.optional_int("embedding_size", 128);
  cfg.num_hidden_groups = r.optional_int("num_hidden_groups", 1);
  cfg.inner_group_num = r.optional_int("inner_group_num", 1);
}

}  // namespace xfmr
