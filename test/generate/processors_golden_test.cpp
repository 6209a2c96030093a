// Every case of test/fixtures/processors.golden.json (transformers 4.48 logits processors
// applied alone to fixed 2x12 scores) reproduced by xfmr's processors.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "generate/processors.hpp"
#include "generate/rng.hpp"

using namespace xfmr::gen;
using nlohmann::json;

namespace {

json load_golden() {
  std::ifstream in(std::string(XFMR_FIXTURES) + "/processors.golden.json");
  REQUIRE(in.good());
  return json::parse(in);
}

float golden_value(const json& v) {
  if (v.is_string()) {
    REQUIRE(v.get<std::string>() == "-inf");
    return -INFINITY;
  }
  return v.get<float>();
}

std::vector<int32_t> ids(const json& v) {
  std::vector<int32_t> out;
  if (v.is_array()) {
    for (const auto& x : v) out.push_back(x.get<int32_t>());
  } else {
    out.push_back(v.get<int32_t>());
  }
  return out;
}

std::unique_ptr<LogitsProcessor> make_processor(const std::string& name, const json& args) {
  if (name == "temperature") return std::make_unique<Temperature>(args.at("temperature").get<double>());
  if (name == "top_k") return std::make_unique<TopK>(args.at("top_k").get<int32_t>(), 1);
  if (name == "top_p") return std::make_unique<TopP>(args.at("top_p").get<double>(), 1);
  if (name == "typical_p") return std::make_unique<Typical>(args.at("typical_p").get<double>(), 1);
  if (name == "min_p") return std::make_unique<MinP>(args.at("min_p").get<double>(), 1);
  if (name == "epsilon_cutoff")
    return std::make_unique<ProbabilityCutoff>(ProbabilityCutoff::Kind::epsilon, args.at("epsilon_cutoff").get<double>(), 1);
  if (name == "repetition_penalty")
    return std::make_unique<RepetitionPenalty>(args.at("repetition_penalty").get<double>());
  if (name == "no_repeat_ngram_size") return std::make_unique<NoRepeatNGram>(args.at("no_repeat_ngram_size").get<int32_t>());
  if (name == "min_length" || name == "min_length_done")
    return std::make_unique<MinLength>(args.at("min_length").get<int32_t>(), ids(args.at("eos_token_id")));
  if (name == "bad_words") {
    std::vector<std::vector<int32_t>> words;
    for (const auto& w : args.at("bad_words_ids")) words.push_back(ids(w));
    return make_bad_words(words, {});
  }
  if (name == "forced_eos_at_max_length")
    return std::make_unique<ForcedEos>(args.at("max_length").get<int32_t>(), ids(args.at("eos_token_id")));
  return nullptr;
}

}  // namespace

TEST_CASE("processors reproduce transformers 4.48 on every golden case") {
  const json golden = load_golden();
  const auto& cases = golden.at("cases");
  REQUIRE(cases.size() == 19);
  const auto& input_ids = golden.at("input_ids");
  const auto& scores = golden.at("scores");
  const auto vocab = static_cast<int32_t>(scores[0].size());
  Scratch scratch(vocab);
  int checked = 0;
  for (const auto& c : cases) {
    const std::string name = c.at("processor").get<std::string>();
    CAPTURE(name);
    CAPTURE(c.at("args").dump());
    auto processor = make_processor(name, c.at("args"));
    REQUIRE(processor != nullptr);
    for (size_t row = 0; row < scores.size(); ++row) {
      CAPTURE(row);
      std::vector<float> values;
      for (const auto& v : scores[row]) values.push_back(v.get<float>());
      const std::vector<int32_t> tokens = ids(input_ids[row]);
      processor->apply(values, tokens, scratch);
      const auto& expected = c.at("output")[row];
      REQUIRE(expected.size() == values.size());
      for (size_t i = 0; i < values.size(); ++i) {
        CAPTURE(i);
        const float want = golden_value(expected[i]);
        if (std::isinf(want)) {
          CHECK(values[i] == want);
        } else {
          CHECK(std::fabs(values[i] - want) <= 1e-5f * std::max(1.0f, std::fabs(want)));
        }
      }
    }
    ++checked;
  }
  CHECK(checked == 19);
}

TEST_CASE("top-p over a full vocabulary matches a plain ascending sort") {
  // TopP sorts only the band of scores where the cut falls; here against the definition
  // (sort everything ascending, cumsum, remove <= 1 - top_p, keep the min_keep best), on
  // flat and peaked rows. Only tokens within float rounding of the threshold may differ.
  const int32_t vocab = 5000;
  Scratch scratch(vocab);
  xfmr::gen::Rng rng(3, 4);
  int compared = 0;
  for (float spread : {0.5f, 4.0f, 20.0f, 60.0f})
    for (double top_p : {0.0, 0.05, 0.3, 0.9, 0.999})
      for (int32_t min_keep : {1, 3}) {
        CAPTURE(spread);
        CAPTURE(top_p);
        CAPTURE(min_keep);
        std::vector<float> scores(vocab);
        for (float& x : scores) x = static_cast<float>(rng.uniform() * 2 - 1) * spread;
        std::vector<float> ours = scores;
        TopP(top_p, min_keep).apply(ours, {}, scratch);

        std::vector<int32_t> order(vocab);
        for (int32_t i = 0; i < vocab; ++i) order[static_cast<size_t>(i)] = i;
        std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return scores[a] < scores[b]; });
        const float top = scores[order.back()];
        double sum = 0;
        for (float x : scores) sum += std::exp(static_cast<double>(x - top));
        const auto threshold = static_cast<float>(1.0 - top_p);
        double cumulative = 0;
        int mismatches = 0;
        for (size_t k = 0; k < order.size(); ++k) {
          cumulative += std::exp(static_cast<double>(scores[order[k]] - top)) / sum;
          const bool protected_top = k + static_cast<size_t>(min_keep) >= order.size();
          const bool removed = static_cast<float>(cumulative) <= threshold && !protected_top;
          const bool borderline = std::fabs(cumulative - threshold) < 1e-6;
          if (std::isinf(ours[order[k]]) != removed && !borderline) ++mismatches;
        }
        CHECK(mismatches == 0);
        ++compared;
      }
  CHECK(compared == 40);
}
