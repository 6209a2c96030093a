// Greedy decoding against a brute-force argmax loop, batching, stopping and length rules.
#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "generate/decode.hpp"
#include "generate/processors.hpp"
#include "mock_step_model.hpp"

using namespace xfmr::gen;
using xfmr::gen::testing::history_logits;
using xfmr::gen::testing::MockStepModel;
using nlohmann::json;

namespace {

constexpr uint64_t kSalt = 1234;

GenerationConfig make_config(const json& options) {
  return build_generation_config(json(), nullptr, nullptr, &options);
}

// One prompt, no batching, nothing shared: the definition of greedy decoding.
struct BruteResult {
  std::vector<int32_t> tokens;
  double score = 0;
};
BruteResult brute_greedy(const std::vector<int32_t>& prompt, int32_t vocab, const GenerationConfig& config,
                         const MockStepModel::LogitsFn& logits_fn) {
  const LengthLimits limits = resolve_lengths(config, static_cast<int32_t>(prompt.size()));
  const ProcessorChain chain = build_chain(config, limits, static_cast<int32_t>(prompt.size()), prompt);
  Scratch scratch(vocab);
  BruteResult out{prompt, 0.0};
  while (true) {
    std::vector<float> logits(static_cast<size_t>(vocab));
    logits_fn(out.tokens, logits);
    chain.apply(logits, out.tokens, scratch);
    int32_t best = 0;
    for (int32_t v = 1; v < vocab; ++v)
      if (logits[v] > logits[best]) best = v;
    double sum = 0;
    for (float x : logits) sum += std::exp(static_cast<double>(x) - logits[best]);
    out.score += -std::log(sum);
    out.tokens.push_back(best);
    const auto& eos = config.eos_token_id;
    if (std::find(eos.begin(), eos.end(), best) != eos.end()) break;
    if (static_cast<int32_t>(out.tokens.size()) >= limits.max_length) break;
  }
  return out;
}

MockStepModel::LogitsFn salted(uint64_t salt) {
  return [salt](std::span<const int32_t> h, std::span<float> out) { history_logits(h, salt, 3.0f, out); };
}

const std::vector<std::vector<int32_t>> kPrompts = {{1}, {4, 2, 9}, {7, 7}, {5, 1, 2, 3, 4, 6}, {11, 0, 8, 2}};

}  // namespace

TEST_CASE("greedy equals a brute-force argmax loop, alone and in a batch") {
  const int32_t vocab = 12;
  for (const json& options : {json{{"max_new_tokens", 12}, {"eos_token_id", 3}},
                              json{{"max_new_tokens", 9}, {"eos_token_id", {3, 10}}, {"repetition_penalty", 1.4}},
                              json{{"max_new_tokens", 15}, {"eos_token_id", 3}, {"no_repeat_ngram_size", 2}},
                              json{{"max_length", 9}, {"eos_token_id", 6}, {"min_length", 5}}}) {
    CAPTURE(options.dump());
    const GenerationConfig config = make_config(options);
    MockStepModel model(vocab, kSalt);
    const auto batch = decode(model, kPrompts, config);
    REQUIRE(batch.size() == kPrompts.size());
    int ended_by_eos = 0;
    for (size_t i = 0; i < kPrompts.size(); ++i) {
      CAPTURE(i);
      const BruteResult want = brute_greedy(kPrompts[i], vocab, config, salted(kSalt));
      REQUIRE(batch[i].sequences.size() == 1);
      const DecodedSequence& got = batch[i].sequences[0];
      CHECK(got.tokens == want.tokens);
      CHECK(got.score == doctest::Approx(want.score).epsilon(1e-6));
      CHECK(got.prompt_length == static_cast<int32_t>(kPrompts[i].size()));
      CHECK(got.generated == static_cast<int32_t>(got.tokens.size() - kPrompts[i].size()));
      ended_by_eos += got.finish == FinishReason::eos;

      MockStepModel alone_model(vocab, kSalt);
      const auto alone = decode(alone_model, {kPrompts[i]}, config);
      CHECK(alone[0].sequences[0].tokens == got.tokens);
    }
    // The model saw every generated token of every row (finished rows then get fillers).
    for (size_t i = 0; i < kPrompts.size(); ++i) {
      const auto& tokens = batch[i].sequences[0].tokens;
      const auto& fed = model.cache[i];
      REQUIRE(fed.size() + 1 >= tokens.size());
      CHECK(std::equal(tokens.begin(), tokens.end() - 1, fed.begin()));
    }
    CHECK(model.starts == 1);
    CHECK(model.reorders == 0);
    INFO("sequences ended by EOS: " << ended_by_eos);
  }
}

TEST_CASE("min_new_tokens and min_length hold EOS back") {
  const int32_t vocab = 10, eos = 4;
  auto eos_first = [](std::span<const int32_t> h, std::span<float> out) {
    history_logits(h, 77, 1.0f, out);
    out[eos] = 5.0f;
  };
  const std::vector<std::vector<int32_t>> prompts = {{1, 2}, {3}, {5, 6, 7, 8}};
  SUBCASE("min_new_tokens") {
    const GenerationConfig config = make_config({{"max_new_tokens", 10}, {"min_new_tokens", 4}, {"eos_token_id", eos}});
    MockStepModel model(vocab, eos_first);
    const auto out = decode(model, prompts, config);
    for (size_t i = 0; i < prompts.size(); ++i) {
      const auto& s = out[i].sequences[0];
      CHECK(s.generated == 5);
      CHECK(s.tokens.back() == eos);
      CHECK(s.finish == FinishReason::eos);
      CHECK(std::count(s.tokens.begin() + static_cast<long>(prompts[i].size()), s.tokens.end(), eos) == 1);
    }
  }
  SUBCASE("min_length counts the prompt") {
    const GenerationConfig config = make_config({{"max_new_tokens", 10}, {"min_length", 5}, {"eos_token_id", eos}});
    MockStepModel model(vocab, eos_first);
    const auto out = decode(model, prompts, config);
    CHECK(out[0].sequences[0].tokens.size() == 6);  // 2 + 3 held back + EOS
    CHECK(out[1].sequences[0].tokens.size() == 6);
    CHECK(out[2].sequences[0].tokens.size() == 6);  // 4 + 1 held back + EOS
  }
}

TEST_CASE("forced BOS and forced EOS") {
  const int32_t vocab = 10;
  auto never_eos = [](std::span<const int32_t> h, std::span<float> out) {
    history_logits(h, 5, 2.0f, out);
    out[7] = -20.0f;
  };
  const GenerationConfig config = make_config(
      {{"max_new_tokens", 6}, {"eos_token_id", 7}, {"forced_bos_token_id", 5}, {"forced_eos_token_id", 7}});
  MockStepModel model(vocab, never_eos);
  const auto out = decode(model, {{0}, {0}, {2, 3}}, config);
  for (int i = 0; i < 2; ++i) {
    const auto& s = out[static_cast<size_t>(i)].sequences[0].tokens;
    REQUIRE(s.size() == 7);
    CHECK(s[1] == 5);  // forced at length 1
    CHECK(s[6] == 7);  // forced at max_length - 1
  }
  const auto& long_prompt = out[2].sequences[0].tokens;
  REQUIRE(long_prompt.size() == 8);
  CHECK(long_prompt[7] == 7);
}

TEST_CASE("the token callback streams tokens and can stop one sequence") {
  const int32_t vocab = 12;
  const GenerationConfig config = make_config({{"max_new_tokens", 8}, {"eos_token_id", 3}});
  MockStepModel reference_model(vocab, kSalt);
  const auto reference = decode(reference_model, kPrompts, config);

  std::vector<std::vector<int32_t>> streamed(kPrompts.size());
  int last_flags = 0;
  const TokenCallback on_token = [&](const TokenEvent& e) {
    CHECK(e.sequence == 0);
    streamed[static_cast<size_t>(e.input)].push_back(e.token);
    CHECK(e.generated == static_cast<int32_t>(streamed[static_cast<size_t>(e.input)].size()));
    last_flags += e.last;
    return !(e.input == 1 && e.generated == 3);
  };
  MockStepModel model(vocab, kSalt);
  const auto out = decode(model, kPrompts, config, 0, 0, on_token);
  for (size_t i = 0; i < kPrompts.size(); ++i) {
    CAPTURE(i);
    const auto& s = out[i].sequences[0];
    CHECK(std::equal(streamed[i].begin(), streamed[i].end(), s.tokens.begin() + static_cast<long>(kPrompts[i].size()),
                     s.tokens.end()));
    if (i == 1) {
      CHECK(s.generated == std::min(3, reference[i].sequences[0].generated));
      if (reference[i].sequences[0].generated > 3) CHECK(s.finish == FinishReason::stopped);
    } else {
      CHECK(s.tokens == reference[i].sequences[0].tokens);
    }
  }
  CHECK(last_flags >= static_cast<int>(kPrompts.size()) - 1);
}

TEST_CASE("bad prompts and ids outside the vocabulary are refused") {
  const int32_t vocab = 12;
  MockStepModel model(vocab, kSalt);
  const GenerationConfig ok = make_config({{"max_new_tokens", 3}});
  CHECK_THROWS_AS(decode(model, {{1, 12}}, ok), xfmr::InputError);
  CHECK_THROWS_AS(decode(model, {{}}, ok), xfmr::InputError);
  CHECK_THROWS_AS(decode(model, {{1}}, make_config({{"max_new_tokens", 3}, {"eos_token_id", 12}})), xfmr::UsageError);
  CHECK_THROWS_AS(decode(model, {{1}}, make_config({{"max_new_tokens", 3}, {"bad_words_ids", {{1, 40}}}})),
                  xfmr::UsageError);
  const GenerationConfig short_max = make_config({{"max_length", 3}});
  CHECK_THROWS_AS(decode(model, {{1, 2, 3}}, short_max), xfmr::InputError);

  const GenerationConfig beams = make_config({{"num_beams", 2}, {"max_new_tokens", 3}});
  const std::vector<int32_t> a = {1}, b = {2};
  const DecodeInput mixed[] = {{a, &ok}, {b, &beams}};
  CHECK_THROWS_AS(decode(model, std::span<const DecodeInput>(mixed)), xfmr::UsageError);
  CHECK(decode(model, std::span<const DecodeInput>()).empty());
}

TEST_CASE("inputs of one batch may differ in every option but the rows they take") {
  const int32_t vocab = 12;
  const GenerationConfig short_run = make_config({{"max_new_tokens", 2}, {"eos_token_id", 3}});
  const GenerationConfig penalised = make_config({{"max_new_tokens", 7}, {"eos_token_id", 3}, {"repetition_penalty", 2.0}});
  const std::vector<int32_t> p0 = {4, 2, 9}, p1 = {7, 7};
  const DecodeInput inputs[] = {{p0, &short_run}, {p1, &penalised}};
  MockStepModel model(vocab, kSalt);
  const auto out = decode(model, std::span<const DecodeInput>(inputs));
  CHECK(out[0].sequences[0].tokens == brute_greedy(p0, vocab, short_run, salted(kSalt)).tokens);
  CHECK(out[1].sequences[0].tokens == brute_greedy(p1, vocab, penalised, salted(kSalt)).tokens);
}
