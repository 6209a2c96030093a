#pragma once
// The generate() goldens of the tiny models, shared by the decoder-only and the
// encoder-decoder tests: each case's kwargs on top of the model's generation
// config (as the CLI builds it), ids compared exactly, beam scores within 1e-4.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/decode.hpp"

namespace xfmr::test {

inline std::string model_dir(const std::string& name) { return std::string(XFMR_FIXTURES) + "/models/" + name; }

inline nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), path);
  return nlohmann::json::parse(in);
}

// What the CLI does: config.json, generation_config.json when present, the call's options.
inline gen::GenerationConfig config_for(const std::string& model, const nlohmann::json& options) {
  const nlohmann::json config_json = read_json(model_dir(model) + "/config.json");
  std::ifstream probe(model_dir(model) + "/generation_config.json");
  if (!probe.good()) return gen::build_generation_config(config_json, nullptr, nullptr, &options);
  const nlohmann::json generation = nlohmann::json::parse(probe);
  return gen::build_generation_config(config_json, &generation, nullptr, &options);
}

inline std::vector<std::vector<int32_t>> tokens_of(const std::vector<gen::DecodedSequence>& sequences) {
  std::vector<std::vector<int32_t>> out;
  for (const auto& s : sequences) out.push_back(s.tokens);
  return out;
}

struct Tally {
  int identical = 0;
  int total = 0;
};

// Every generate[] case of `name`'s golden through run(input_ids, config), which
// decodes one input; `text_key` names the case's text ("prompt" or "source").
template <class Run>
Tally check_generate_goldens(const std::string& name, const char* text_key, Run run) {
  const nlohmann::json golden = read_json(model_dir(name) + "/golden.json");
  Tally tally;
  for (const auto& c : golden.at("cases")) {
    const auto input_ids = c.at("input_ids").get<std::vector<int32_t>>();
    for (const auto& g : c.at("generate")) {
      const nlohmann::json& kwargs = g.at("generate_kwargs");
      CAPTURE(c.at(text_key).get<std::string>());
      CAPTURE(kwargs.dump());
      const gen::DecodedInput out = run(input_ids, config_for(name, kwargs));
      const auto expected = g.at("sequences").get<std::vector<std::vector<int32_t>>>();
      bool identical = tokens_of(out.sequences) == expected;
      CHECK(tokens_of(out.sequences) == expected);
      if (g.contains("sequences_scores")) {
        const auto scores = g.at("sequences_scores").get<std::vector<double>>();
        REQUIRE(scores.size() == out.sequences.size());
        for (size_t i = 0; i < scores.size(); ++i) {
          CHECK(std::fabs(out.sequences[i].score - scores[i]) <= 1e-4);
          identical &= std::fabs(out.sequences[i].score - scores[i]) <= 1e-4;
        }
      }
      ++tally.total;
      tally.identical += identical ? 1 : 0;
    }
  }
  return tally;
}

// Every one of the `expected` cases of `name` gave transformers' ids and scores.
inline void check_all_identical(const std::string& name, const Tally& tally, int expected) {
  MESSAGE(name << " generate cases identical: " << tally.identical << " / " << tally.total);
  CHECK(tally.total == expected);
  CHECK(tally.identical == tally.total);
}

}  // namespace xfmr::test
