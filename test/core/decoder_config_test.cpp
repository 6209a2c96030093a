// Decoder configs under each model type's names and defaults, the weight
// tables they imply (biases, tied heads), what is refused (rope_scaling,
// sequences past a sliding window, unknown heads), and random-weight Mistral /
// Qwen2 / tied-Llama models whose cached steps equal their full forward.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

#include "core/decoder.hpp"
#include "core/decoder_session.hpp"
#include "core/error.hpp"
#include "core/random_model.hpp"
#include "core/registry.hpp"
#include "golden_util.hpp"
#include "temp_dir.hpp"

using namespace xfmr;
using nlohmann::json;

namespace {

json tiny_llama_like(const std::string& model_type) {
  return {{"model_type", model_type}, {"architectures", {"LlamaForCausalLM"}}, {"vocab_size", 50},
          {"hidden_size", 16},         {"intermediate_size", 24},              {"num_hidden_layers", 2},
          {"num_attention_heads", 4},  {"num_key_value_heads", 2},             {"max_position_embeddings", 64},
          {"rms_norm_eps", 1e-6},      {"rope_theta", 10000.0}};
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

// Writes config + random weights and loads the model.
DecoderModel random_model(const test::TempDir& dir, const json& raw) {
  {
    std::ofstream(dir / "config.json") << raw.dump();
  }
  const ModelConfig cfg = load_model_config(dir.path());
  write_random_weights(cfg, dir / "model.safetensors", 7, 0.3f);
  return DecoderModel::load(dir.path());
}

// start + steps against forward() of the same history.
void check_steps(const DecoderModel& model, std::vector<int32_t> history, int steps) {
  DecoderSession session(model);
  const int64_t vocab = model.vocab_size();
  std::vector<float> logits(static_cast<size_t>(vocab));
  session.start({history}, 1, logits);
  for (int s = 0; s <= steps; ++s) {
    const auto full = model.forward(history);
    const float* expected = full.logits.row(full.logits.dim(0) - 1);
    double worst = 0;
    for (int64_t v = 0; v < vocab; ++v) worst = std::max(worst, std::fabs(static_cast<double>(logits[static_cast<size_t>(v)]) - expected[v]));
    CHECK(worst < 1e-4);
    history.push_back(static_cast<int32_t>((s * 13 + 5) % vocab));
    session.step(std::vector<int32_t>{history.back()}, logits);
  }
}

}  // namespace

TEST_CASE("decoder configs: GPT-2 and Llama names and transformers' defaults") {
  const ModelConfig gpt2 = load_model_config(std::filesystem::path(XFMR_FIXTURES) / "real/openai-community--gpt2");
  CHECK(gpt2.family == ModelFamily::decoder);
  CHECK(gpt2.hidden_size == 768);
  CHECK(gpt2.intermediate_size == 3072);  // n_inner absent: 4 * n_embd
  CHECK(gpt2.max_position_embeddings == 1024);
  CHECK(gpt2.hidden_act == Activation::gelu_tanh);
  CHECK(gpt2.layer_norm_eps == doctest::Approx(1e-5));
  CHECK(gpt2.tie_word_embeddings);
  CHECK(tensor_names(gpt2).size() == 2 + 12 * 12 + 2);  // no lm_head: tied

  const ModelConfig mistral =
      load_model_config(std::filesystem::path(XFMR_FIXTURES) / "real/mistralai--Mistral-7B-Instruct-v0.3");
  CHECK(mistral.family == ModelFamily::decoder);
  CHECK(mistral.num_key_value_heads == 8);
  CHECK(mistral.head_dim == 128);
  CHECK(mistral.sliding_window == 0);  // null
  CHECK(mistral.rope_theta == 1e6f);
  CHECK_FALSE(mistral.tie_word_embeddings);
  CHECK(tensor_names(mistral).size() == 1 + 32 * 9 + 1 + 1);
  CHECK(tensor_names(mistral).count("lm_head.weight") == 1);

  json llama = tiny_llama_like("llama");
  llama.erase("num_key_value_heads");
  const ModelConfig plain = parse_model_config(llama, "config.json");
  CHECK(plain.num_key_value_heads == 4);
  CHECK(plain.head_dim == 4);
  CHECK_FALSE(plain.tie_word_embeddings);  // LlamaConfig's default
  CHECK(tensor_names(plain).count("model.layers.0.self_attn.q_proj.bias") == 0);
  llama["attention_bias"] = true;
  llama["mlp_bias"] = true;
  llama["head_dim"] = 8;
  const ModelConfig biased = parse_model_config(llama, "config.json");
  const auto names = tensor_names(biased);
  for (const char* n : {"q_proj", "k_proj", "v_proj", "o_proj"})
    CHECK(names.count(std::string("model.layers.1.self_attn.") + n + ".bias") == 1);
  CHECK(names.count("model.layers.0.mlp.gate_proj.bias") == 1);

  const ModelConfig qwen = parse_model_config(tiny_llama_like("qwen2"), "config.json");
  const auto qwen_names = tensor_names(qwen);
  CHECK(qwen_names.count("model.layers.0.self_attn.k_proj.bias") == 1);
  CHECK(qwen_names.count("model.layers.0.self_attn.o_proj.bias") == 0);
  CHECK(qwen.sliding_window == 0);  // use_sliding_window is false by default
}

TEST_CASE("decoder configs: what is not supported is said") {
  json scaled = tiny_llama_like("llama");
  scaled["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 8.0}};
  const std::string error = error_of(scaled);
  CHECK(error.find("rope_scaling") != std::string::npos);
  CHECK(error.find("llama3") != std::string::npos);
  scaled["rope_scaling"] = {{"type", "linear"}, {"factor", 2.0}};
  CHECK(error_of(scaled).find("'linear'") != std::string::npos);
  scaled["rope_scaling"] = {{"rope_type", "default"}};
  CHECK(error_of(scaled).empty());
  scaled["rope_scaling"] = nullptr;
  CHECK(error_of(scaled).empty());

  json gpt2 = {{"model_type", "gpt2"}, {"add_cross_attention", true}};
  CHECK(error_of(gpt2).find("add_cross_attention") != std::string::npos);

  json classifier = tiny_llama_like("llama");
  classifier["architectures"] = {"LlamaForSequenceClassification"};
  CHECK_THROWS_AS(expected_tensors(parse_model_config(classifier, "config.json")), ModelError);
}

TEST_CASE("decoder models: Mistral's sliding window bounds the length; Qwen2 biases and tied Llama run") {
  SUBCASE("mistral") {
    test::TempDir dir;
    json raw = tiny_llama_like("mistral");
    raw["sliding_window"] = 12;
    const DecoderModel model = random_model(dir, raw);
    CHECK(model.max_sequence_length() == 12);
    check_steps(model, {1, 2, 3, 4, 5}, 6);  // up to 12 tokens: exact
    DecoderSession session(model);
    std::vector<float> logits(50);
    try {
      session.start({std::vector<int32_t>(13, 3)}, 1, logits);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find("sliding") != std::string::npos);
    }
    session.start({std::vector<int32_t>(12, 3)}, 1, logits);
    CHECK_THROWS_AS(session.step(std::vector<int32_t>{1}, logits), InputError);
  }
  SUBCASE("qwen2") {
    test::TempDir dir;
    json raw = tiny_llama_like("qwen2");
    raw["use_sliding_window"] = false;
    raw["sliding_window"] = 4;
    const DecoderModel model = random_model(dir, raw);
    CHECK(model.max_sequence_length() == 0);
    check_steps(model, {7, 8, 9}, 20);
  }
  SUBCASE("tied llama, no lm_head tensor") {
    test::TempDir dir;
    json raw = tiny_llama_like("llama");
    raw["tie_word_embeddings"] = true;
    raw["num_key_value_heads"] = 1;
    const DecoderModel model = random_model(dir, raw);
    CHECK(model.has_lm_head());
    check_steps(model, {3}, 20);
  }
}
