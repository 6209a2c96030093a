// Encoder-decoder configs under each model type's names and transformers'
// defaults (t5-base, bart-large-cnn, opus-mt-zh-en), the weight tables they
// imply (T5 v1.1 gated MLP and untied head, Marian's separate embeddings),
// what is refused, and the T5 relative position buckets and Marian sinusoidal
// positions against hand-computed values.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

#include "core/error.hpp"
#include "core/ops/relative_position.hpp"
#include "core/ops/sinusoidal.hpp"
#include "core/registry.hpp"
#include "golden_util.hpp"

using namespace xfmr;
using nlohmann::json;

namespace {

ModelConfig real_config(const std::string& folder) {
  return load_model_config(std::filesystem::path(XFMR_FIXTURES) / "real" / folder / "config.json");
}

std::set<std::string> tensor_names(const ModelConfig& cfg) {
  std::set<std::string> names;
  for (const auto& spec : expected_tensors(cfg)) names.insert(spec.name);
  return names;
}

std::string error_of(const json& raw) {
  try {
    parse_model_config(raw, "config.json");
  } catch (const ModelError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("seq2seq configs: T5, BART and Marian names and defaults") {
  const ModelConfig t5 = real_config("google-t5--t5-base");
  CHECK(t5.family == ModelFamily::encoder_decoder);
  CHECK(t5.hidden_size == 768);
  CHECK(t5.head_dim == 64);
  CHECK(t5.num_attention_heads == 12);
  CHECK(t5.num_hidden_layers == 12);
  CHECK(t5.num_decoder_layers == 12);  // absent: num_layers
  CHECK(t5.intermediate_size == 3072);
  CHECK(t5.relative_attention_num_buckets == 32);
  CHECK(t5.relative_attention_max_distance == 128);  // absent: transformers' default
  CHECK(t5.hidden_act == Activation::relu);
  CHECK_FALSE(t5.gated_mlp);
  CHECK(t5.tie_word_embeddings);
  CHECK(t5.layer_norm_eps == doctest::Approx(1e-6));

  const ModelConfig bart = real_config("facebook--bart-large-cnn");
  CHECK(bart.hidden_size == 1024);
  CHECK(bart.num_hidden_layers == 12);
  CHECK(bart.num_decoder_layers == 12);
  CHECK(bart.decoder_attention_heads == 16);
  CHECK(bart.head_dim == 64);
  CHECK(bart.decoder_head_dim == 64);
  CHECK(bart.decoder_intermediate_size == 4096);
  CHECK(bart.max_position_embeddings == 1024);
  CHECK(bart.hidden_act == Activation::gelu);
  CHECK_FALSE(bart.scale_embedding);
  CHECK(bart.layer_norm_eps == doctest::Approx(1e-5));

  const ModelConfig marian = real_config("Helsinki-NLP--opus-mt-zh-en");
  CHECK(marian.hidden_size == 512);
  CHECK(marian.num_hidden_layers == 6);
  CHECK(marian.decoder_attention_heads == 8);
  CHECK(marian.intermediate_size == 2048);
  CHECK(marian.vocab_size == 65001);
  CHECK(marian.decoder_vocab_size == 65001);
  CHECK(marian.scale_embedding);
  CHECK(marian.share_encoder_decoder_embeddings);
  CHECK(marian.hidden_act == Activation::silu);
  CHECK(marian.decoder_start_token_id == 65000);
}

TEST_CASE("seq2seq weight tables: what a checkpoint of each config holds") {
  const auto t5 = tensor_names(real_config("google-t5--t5-base"));
  CHECK(t5.count("shared.weight") == 1);
  CHECK(t5.count("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight") == 1);
  CHECK(t5.count("encoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight") == 0);
  CHECK(t5.count("decoder.block.11.layer.1.EncDecAttention.o.weight") == 1);
  CHECK(t5.count("decoder.block.11.layer.2.DenseReluDense.wi.weight") == 1);
  CHECK(t5.count("lm_head.weight") == 0);  // tied
  CHECK(t5.size() == 1 + 2 + 2 + 12 * 8 + 12 * 13);

  // T5 v1.1 / flan-t5: gated-gelu (gelu_new), untied head.
  json flan = {{"model_type", "t5"}, {"architectures", {"T5ForConditionalGeneration"}}, {"d_model", 16},
               {"d_kv", 4}, {"d_ff", 24}, {"num_layers", 2}, {"num_decoder_layers", 1}, {"num_heads", 2},
               {"vocab_size", 40}, {"feed_forward_proj", "gated-gelu"}, {"tie_word_embeddings", false}};
  const ModelConfig flan_cfg = parse_model_config(flan, "config.json");
  CHECK(flan_cfg.gated_mlp);
  CHECK(flan_cfg.hidden_act == Activation::gelu_tanh);
  const auto flan_names = tensor_names(flan_cfg);
  CHECK(flan_names.count("lm_head.weight") == 1);
  CHECK(flan_names.count("encoder.block.1.layer.1.DenseReluDense.wi_0.weight") == 1);
  CHECK(flan_names.count("decoder.block.0.layer.2.DenseReluDense.wi_1.weight") == 1);
  CHECK(flan_names.count("decoder.block.0.layer.2.DenseReluDense.wi.weight") == 0);
  CHECK(flan_names.count("decoder.block.1.layer.0.SelfAttention.q.weight") == 0);  // one decoder layer

  const auto bart = tensor_names(real_config("facebook--bart-large-cnn"));
  CHECK(bart.count("model.shared.weight") == 1);
  CHECK(bart.count("model.encoder.embed_positions.weight") == 1);
  CHECK(bart.count("model.decoder.layernorm_embedding.bias") == 1);
  CHECK(bart.count("final_logits_bias") == 1);
  CHECK(bart.count("model.encoder.embed_tokens.weight") == 0);

  // Marian: sinusoidal positions (computed), and separate embeddings when unshared.
  const auto marian = tensor_names(real_config("Helsinki-NLP--opus-mt-zh-en"));
  CHECK(marian.count("model.encoder.embed_positions.weight") == 0);
  CHECK(marian.count("model.decoder.layers.5.encoder_attn.v_proj.bias") == 1);
  json unshared = real_config("Helsinki-NLP--opus-mt-zh-en").raw;
  unshared["share_encoder_decoder_embeddings"] = false;
  unshared["decoder_vocab_size"] = 1000;
  unshared["tie_word_embeddings"] = false;
  const auto split = tensor_names(parse_model_config(unshared, "config.json"));
  CHECK(split.count("model.shared.weight") == 0);
  CHECK(split.count("model.encoder.embed_tokens.weight") == 1);
  CHECK(split.count("model.decoder.embed_tokens.weight") == 1);
  CHECK(split.count("lm_head.weight") == 1);
  for (const auto& spec : expected_tensors(parse_model_config(unshared, "config.json"))) {
    if (spec.name == "model.decoder.embed_tokens.weight" || spec.name == "lm_head.weight") {
      CHECK(spec.shape == Shape{1000, 512});
    }
    if (spec.name == "final_logits_bias") CHECK(spec.shape == Shape{1, 1000});
  }
}

TEST_CASE("seq2seq configs: what is not supported is said") {
  json t5 = {{"model_type", "t5"}, {"feed_forward_proj", "gelu-gated"}};
  CHECK(error_of(t5).find("feed_forward_proj") != std::string::npos);
  t5["feed_forward_proj"] = "gated-swoosh";
  CHECK(error_of(t5).find("unsupported activation 'swoosh'") != std::string::npos);
  json bart = {{"model_type", "bart"}, {"d_model", 30}, {"decoder_attention_heads", 4}, {"encoder_attention_heads", 3}};
  CHECK(error_of(bart).find("decoder_attention_heads") != std::string::npos);
  json marian = {{"model_type", "marian"}, {"decoder_vocab_size", 9}, {"vocab_size", 10}};
  CHECK(error_of(marian).find("decoder_vocab_size") != std::string::npos);
  json head = {{"model_type", "bart"}, {"architectures", {"BartForSequenceClassification"}}};
  CHECK_THROWS_AS(expected_tensors(parse_model_config(head, "config.json")), ModelError);
}

TEST_CASE("T5 relative position buckets, bidirectional and causal (32 buckets, max distance 128)") {
  auto bidirectional = [](int64_t r) { return relative_position_bucket(r, true, 32, 128); };
  auto causal = [](int64_t r) { return relative_position_bucket(r, false, 32, 128); };
  // Keys before the query: 0..7 exact, then log-spaced up to 15; after: +16.
  CHECK(bidirectional(0) == 0);
  CHECK(bidirectional(-3) == 3);
  CHECK(bidirectional(3) == 19);
  CHECK(bidirectional(-8) == 8);
  CHECK(bidirectional(-12) == 9);   // 8 + trunc(8 ln 1.5 / ln 16)
  CHECK(bidirectional(-16) == 10);  // exactly 8 + 2 in float32
  CHECK(bidirectional(-50) == 13);
  CHECK(bidirectional(50) == 29);
  CHECK(bidirectional(-128) == 15);
  CHECK(bidirectional(-1000) == 15);
  // Causal: keys after the query share bucket 0; 0..15 exact, then up to 31.
  CHECK(causal(5) == 0);
  CHECK(causal(-3) == 3);
  CHECK(causal(-16) == 16);
  CHECK(causal(-32) == 21);  // 16 + trunc(16 ln 2 / ln 8)
  CHECK(causal(-200) == 31);

  // The causal bias rows: row(p)[k] is the bias of distance p - k.
  Tensor table({32, 2});
  for (int64_t b = 0; b < 32; ++b) {
    table.row(b)[0] = static_cast<float>(b);
    table.row(b)[1] = static_cast<float>(100 + b);
  }
  CausalRelativeBias bias(table, 128);
  bias.reserve(40);
  for (int64_t p : {0, 5, 39}) {
    for (int64_t k = 0; k <= p; ++k) {
      CHECK(bias.row(p)[k] == static_cast<float>(causal(k - p)));
      CHECK(bias.row(p)[bias.stride() + k] == static_cast<float>(100 + causal(k - p)));
    }
  }
  // The encoder's: head h's [5, 5] bias of query i over key j.
  std::vector<float> diagonals(2 * 9), dense(5 * 5);
  bidirectional_relative_diagonals(table, 5, 128, diagonals.data());
  for (int64_t h = 0; h < 2; ++h) {
    expand_relative_bias(diagonals.data() + h * 9, 5, dense.data());
    for (int64_t i = 0; i < 5; ++i) {
      for (int64_t j = 0; j < 5; ++j) CHECK(dense[i * 5 + j] == static_cast<float>(100 * h + bidirectional(j - i)));
    }
  }
}

TEST_CASE("Marian sinusoidal positions: sin in the first half, cos in the second") {
  const Tensor table = sinusoidal_positions(10, 6);
  CHECK(table.row(0)[0] == 0.0f);
  CHECK(table.row(0)[3] == 1.0f);
  CHECK(table.row(1)[0] == doctest::Approx(std::sin(1.0)).epsilon(1e-7));
  CHECK(table.row(1)[3] == doctest::Approx(std::cos(1.0)).epsilon(1e-7));
  CHECK(table.row(7)[1] == doctest::Approx(std::sin(7.0 / std::pow(10000.0, 2.0 / 6.0))).epsilon(1e-6));
  CHECK(table.row(7)[5] == doctest::Approx(std::cos(7.0 / std::pow(10000.0, 4.0 / 6.0))).epsilon(1e-6));
  const Tensor odd = sinusoidal_positions(3, 5);  // 3 sin columns, 2 cos
  CHECK(odd.row(2)[2] == doctest::Approx(std::sin(2.0 / std::pow(10000.0, 4.0 / 5.0))).epsilon(1e-6));
  CHECK(odd.row(2)[3] == doctest::Approx(std::cos(2.0)).epsilon(1e-6));
}
