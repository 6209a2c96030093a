// GenerationConfig: layers, provenance, validation, length resolution, and the merge of the
// fixture models' files with the golden generate() kwargs.
#include <algorithm>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "generate/generation_config.hpp"

using namespace xfmr::gen;
using nlohmann::json;

namespace {

json read_json(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), path);
  return json::parse(in);
}

std::string model_dir(const std::string& name) { return std::string(XFMR_FIXTURES) + "/models/" + name; }

// What the CLI will do: config.json, generation_config.json when present, then options.
GenerationConfig config_for(const std::string& model, const json& options, const json* task = nullptr) {
  const json config_json = read_json(model_dir(model) + "/config.json");
  std::ifstream probe(model_dir(model) + "/generation_config.json");
  if (probe.good()) {
    const json generation = json::parse(probe);
    return build_generation_config(config_json, &generation, task, &options);
  }
  return build_generation_config(config_json, nullptr, task, &options);
}

}  // namespace

TEST_CASE("defaults are transformers' GenerationConfig defaults") {
  const GenerationConfig c = build_generation_config(json(), nullptr, nullptr, nullptr);
  CHECK(c.max_length == 20);
  CHECK_FALSE(c.max_new_tokens);
  CHECK(c.min_length == 0);
  CHECK_FALSE(c.do_sample);
  CHECK(c.num_beams == 1);
  CHECK(c.num_return_sequences == 1);
  CHECK(c.temperature == 1.0);
  CHECK(c.top_k == 50);
  CHECK(c.top_p == 1.0);
  CHECK(c.typical_p == 1.0);
  CHECK_FALSE(c.min_p);
  CHECK(c.repetition_penalty == 1.0);
  CHECK(c.length_penalty == 1.0);
  CHECK(c.early_stopping == EarlyStopping::off);
  CHECK(c.eos_token_id.empty());
  CHECK(c.source.empty());
  CHECK(c.source_of("top_k") == ConfigLayer::default_value);
}

TEST_CASE("layers override in order and remember their source") {
  const json config_json = {{"eos_token_id", 7}, {"num_beams", 3}, {"max_position_embeddings", 64},
                            {"hidden_size", 32}, {"is_encoder_decoder", true}};
  const json generation = {{"eos_token_id", {7, 8}}, {"top_k", 10}, {"transformers_version", "4.48.0"}};
  const json task = {{"num_beams", 4}, {"prefix", "summarize: "}, {"early_stopping", true}};
  const json call = {{"top_k", 5}, {"early_stopping", "never"}};

  SUBCASE("generation_config.json replaces config.json's generation fields") {
    const GenerationConfig c = build_generation_config(config_json, &generation, &task, &call);
    CHECK(c.eos_token_id == std::vector<int32_t>{7, 8});
    CHECK(c.source_of("eos_token_id") == ConfigLayer::generation_config);
    CHECK(c.num_beams == 4);  // config.json's 3 is not used: there is a generation_config.json
    CHECK(c.source_of("num_beams") == ConfigLayer::task_params);
    CHECK(c.top_k == 5);
    CHECK(c.source_of("top_k") == ConfigLayer::call);
    CHECK(c.early_stopping == EarlyStopping::never);
    CHECK(c.max_position_embeddings == 64);
    CHECK(c.is_encoder_decoder);
    CHECK(c.ignored.empty());
    const json d = describe(c);
    CHECK(d["top_k"]["value"] == 5);
    CHECK(d["top_k"]["source"] == "call");
    CHECK(d["num_beams"]["source"] == "task_specific_params");
    CHECK(d["temperature"]["source"] == "default");
    CHECK(d["early_stopping"]["value"] == "never");
  }
  SUBCASE("without generation_config.json, config.json is the model layer") {
    const GenerationConfig c = build_generation_config(config_json, nullptr, nullptr, nullptr);
    CHECK(c.eos_token_id == std::vector<int32_t>{7});
    CHECK(c.num_beams == 3);
    CHECK(c.source_of("num_beams") == ConfigLayer::model_config);
    CHECK(c.source.count("hidden_size") == 0);
  }
}

TEST_CASE("null resets to the default; unknown and unsupported keys") {
  const json generation = {{"top_k", 10}, {"some_new_option", 1}, {"num_beam_groups", 2}};
  const json call = {{"top_k", nullptr}};
  const GenerationConfig c = build_generation_config(json(), &generation, nullptr, &call);
  CHECK(c.top_k == 50);
  REQUIRE(c.ignored.size() == 2);  // the unknown key and the unsupported non-default value

  const json typo = {{"top_kk", 3}};
  CHECK_THROWS_AS(build_generation_config(json(), nullptr, nullptr, &typo), xfmr::UsageError);
  const json groups = {{"num_beam_groups", 2}};
  CHECK_THROWS_AS(build_generation_config(json(), nullptr, nullptr, &groups), xfmr::UsageError);
  const json groups_off = {{"num_beam_groups", 1}, {"use_cache", false}};
  CHECK_NOTHROW(build_generation_config(json(), nullptr, nullptr, &groups_off));
}

TEST_CASE("type and range errors name the option and the layer") {
  auto call = [](const json& options) { return build_generation_config(json(), nullptr, nullptr, &options); };
  CHECK_THROWS_AS(call({{"top_k", "many"}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"max_new_tokens", 0}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"max_new_tokens", 2.5}}), xfmr::UsageError);
  CHECK(call({{"max_new_tokens", 25.0}}).max_new_tokens == 25);
  CHECK_THROWS_AS(call({{"do_sample", true}, {"temperature", 0.0}}), xfmr::UsageError);
  CHECK_NOTHROW(call({{"do_sample", false}, {"temperature", 0.0}}));  // unused when not sampling
  CHECK_THROWS_AS(call({{"do_sample", true}, {"top_p", 1.5}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"do_sample", true}, {"typical_p", 0.0}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"do_sample", true}, {"top_k", -1}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"num_return_sequences", 2}}), xfmr::UsageError);  // greedy
  CHECK_THROWS_AS(call({{"num_beams", 2}, {"num_return_sequences", 3}}), xfmr::UsageError);
  CHECK_NOTHROW(call({{"do_sample", true}, {"num_return_sequences", 3}}));
  CHECK_THROWS_AS(call({{"repetition_penalty", 0.0}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"early_stopping", "sometimes"}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"bad_words_ids", {1, 2}}}), xfmr::UsageError);
  CHECK_THROWS_AS(call({{"eos_token_id", -3}}), xfmr::UsageError);
  try {
    call({{"do_sample", true}, {"top_p", 2}});
    FAIL("no error");
  } catch (const xfmr::UsageError& e) {
    CHECK(std::string(e.what()).find("top_p") != std::string::npos);
  }
  const json bad_file = {{"top_k", "x"}};
  CHECK_THROWS_AS(build_generation_config(json(), &bad_file, nullptr, nullptr), xfmr::ModelError);
}

TEST_CASE("lengths resolve per prompt as transformers 4.48's generate()") {
  GenerationConfig c;
  SUBCASE("max_length left at 20 means 20 new tokens, capped by the positions") {
    CHECK(resolve_lengths(c, 7).max_length == 27);
    c.max_position_embeddings = 16;
    CHECK(resolve_lengths(c, 7).max_length == 16);
    CHECK_THROWS_AS(resolve_lengths(c, 16), xfmr::InputError);
  }
  SUBCASE("max_length given by the caller counts the prompt") {
    apply_layer(c, {{"max_length", 20}}, ConfigLayer::call, "test");
    CHECK(resolve_lengths(c, 7).max_length == 20);
    CHECK_THROWS_AS(resolve_lengths(c, 20), xfmr::InputError);
  }
  SUBCASE("a model's max_length other than 20 counts the prompt") {
    apply_layer(c, {{"max_length", 50}}, ConfigLayer::generation_config, "test");
    CHECK(resolve_lengths(c, 7).max_length == 50);
  }
  SUBCASE("max_new_tokens and min_new_tokens count from each prompt") {
    apply_layer(c, {{"max_new_tokens", 5}, {"min_new_tokens", 3}, {"max_length", 8}, {"min_length", 100}},
                ConfigLayer::call, "test");
    CHECK(resolve_lengths(c, 7).max_length == 12);
    CHECK(resolve_lengths(c, 7).min_length == 10);
    CHECK(resolve_lengths(c, 1).max_length == 6);
  }
  SUBCASE("min_length alone counts the prompt") {
    apply_layer(c, {{"min_length", 9}}, ConfigLayer::call, "test");
    CHECK(resolve_lengths(c, 4).min_length == 9);
  }
}

TEST_CASE("fixture models: files + golden generate kwargs give transformers' settings") {
  for (const std::string model : {"tiny-gpt2", "tiny-llama", "tiny-t5", "tiny-bart", "tiny-marian"}) {
    CAPTURE(model);
    const json golden = read_json(model_dir(model) + "/golden.json");
    int checked = 0;
    for (const auto& c : golden.at("cases")) {
      const auto prompt_length =
          c.contains("prompt") ? static_cast<int32_t>(c.at("input_ids").size()) : 1;  // enc-dec: decoder start
      for (const auto& g : c.at("generate")) {
        const json& kwargs = g.at("generate_kwargs");
        CAPTURE(kwargs.dump());
        const GenerationConfig config = config_for(model, kwargs);
        const LengthLimits limits = resolve_lengths(config, prompt_length);
        const auto& sequences = g.at("sequences");
        CHECK(static_cast<int32_t>(sequences.size()) == config.num_return_sequences);
        for (const auto& s : sequences) {
          const auto length = static_cast<int32_t>(s.size());
          CHECK(length <= limits.max_length);
          const int32_t last = s.back().get<int32_t>();
          const bool ended_by_eos =
              std::find(config.eos_token_id.begin(), config.eos_token_id.end(), last) != config.eos_token_id.end();
          if (!ended_by_eos) CHECK(length == limits.max_length);
          CHECK(length - prompt_length >= (config.min_new_tokens ? *config.min_new_tokens : 0));
          if (config.is_encoder_decoder) CHECK(s[0].get<int32_t>() == decoder_start_token(config).value());
          if (config.forced_bos_token_id) CHECK(s[1].get<int32_t>() == *config.forced_bos_token_id);
        }
        ++checked;
      }
    }
    CHECK(checked > 0);
  }
}

TEST_CASE("fixture model settings") {
  const GenerationConfig bart = config_for("tiny-bart", json::object());
  CHECK(bart.forced_bos_token_id == 0);
  CHECK(bart.forced_eos_token_id == std::vector<int32_t>{2});
  CHECK(bart.eos_token_id == std::vector<int32_t>{2});
  CHECK(bart.decoder_start_token_id == 2);
  CHECK(bart.is_encoder_decoder);
  CHECK(filler_token(bart) == 1);

  const GenerationConfig gpt2 = config_for("tiny-gpt2", json::object());
  CHECK(gpt2.eos_token_id == std::vector<int32_t>{50256});
  CHECK(filler_token(gpt2) == 50256);  // no pad: eos, as transformers does
  CHECK(gpt2.max_position_embeddings == 256);
  CHECK(resolve_lengths(gpt2, 10).max_length == 30);

  // The translation pipeline of tiny-t5: task params, then the call's max_new_tokens.
  const json t5_config = read_json(model_dir("tiny-t5") + "/config.json");
  const json* task_params = find_task_params(t5_config, "translation_en_to_fr");
  REQUIRE(task_params != nullptr);
  CHECK(find_task_params(t5_config, "translation_en_to_xx") == nullptr);
  const json task = *task_params;
  const GenerationConfig t5 = config_for("tiny-t5", {{"max_new_tokens", 16}}, &task);
  CHECK(t5.num_beams == 4);
  CHECK(t5.early_stopping == EarlyStopping::on);
  CHECK(t5.max_length == 300);
  CHECK(t5.source_of("max_length") == ConfigLayer::task_params);
  CHECK(resolve_lengths(t5, 1).max_length == 17);
  const GenerationConfig t5_plain = config_for("tiny-t5", json::object(), &task);
  CHECK(resolve_lengths(t5_plain, 1).max_length == 300);
  CHECK(decoder_start_token(t5_plain) == 0);

  // A record's own options on top of the run's configuration.
  const GenerationConfig record = with_options(t5, {{"num_beams", 2}, {"num_return_sequences", 2}}, "record 7");
  CHECK(record.num_beams == 2);
  CHECK(record.max_length == 300);
  CHECK_THROWS_AS(with_options(t5, {{"num_return_sequences", 5}}, "record 8"), xfmr::UsageError);
}
