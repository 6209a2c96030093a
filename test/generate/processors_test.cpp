// Processor details the golden file does not reach: boundaries, transformers 4.48 quirks,
// processors it does not cover, and the chain order.
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "generate/beam_hypotheses.hpp"
#include "generate/processors.hpp"

using namespace xfmr::gen;
using nlohmann::json;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

int count_removed(const std::vector<float>& scores) {
  int n = 0;
  for (float s : scores) n += s == -kInf;
  return n;
}

}  // namespace

TEST_CASE("top-p removes a token whose cumulative mass equals 1 - top_p exactly") {
  Scratch scratch(4);
  std::vector<float> scores(4, 0.0f);  // 0.25 each: ascending cumsum .25 .5 .75 1
  TopP(0.5, 1).apply(scores, {}, scratch);
  CHECK(count_removed(scores) == 2);
  std::vector<float> low(4, 0.0f);
  TopP(0.0, 1).apply(low, {}, scratch);  // min_tokens_to_keep survives
  CHECK(count_removed(low) == 3);
  std::vector<float> keep_two(4, 0.0f);
  TopP(0.0, 2).apply(keep_two, {}, scratch);
  CHECK(count_removed(keep_two) == 2);
}

TEST_CASE("top-k keeps ties with the k-th score and honours min_tokens_to_keep") {
  Scratch scratch(6);
  std::vector<float> scores = {1, 3, 3, 2, 3, 0};
  TopK(2, 1).apply(scores, {}, scratch);
  CHECK(scores == std::vector<float>{-kInf, 3, 3, -kInf, 3, -kInf});
  std::vector<float> more = {1, 5, 4, 2, 3, 0};
  TopK(1, 3).apply(more, {}, scratch);
  CHECK(count_removed(more) == 3);
}

TEST_CASE("bad words: transformers 4.48 skips a sequence longer than the context") {
  Scratch scratch(6);
  auto bad = make_bad_words({{2, 3}, {4}, {5}}, {5});  // [5] alone is the EOS: not banned
  std::vector<float> scores(6, 1.0f);
  const std::vector<int32_t> short_context = {2};
  bad->apply(scores, short_context, scratch);
  CHECK(scores == std::vector<float>{1, 1, 1, 1, -kInf, 1});
  std::vector<float> again(6, 1.0f);
  const std::vector<int32_t> context = {0, 2};
  bad->apply(again, context, scratch);
  CHECK(again == std::vector<float>{1, 1, 1, -kInf, -kInf, 1});
  CHECK(make_bad_words({{5}}, {5}) == nullptr);
}

TEST_CASE("sequence bias sums biases per token, the last single-token bias wins") {
  Scratch scratch(4);
  SequenceBias bias({{{1}, 0.5f}, {{1}, 2.0f}, {{0, 1}, 1.0f}, {{3, 1}, 10.0f}});
  std::vector<float> scores(4, 0.0f);
  const std::vector<int32_t> context = {2, 0};
  bias.apply(scores, context, scratch);
  CHECK(scores == std::vector<float>{0, 3, 0, 0});
}

TEST_CASE("no-repeat n-grams on the decoder and the encoder side") {
  Scratch scratch(8);
  const std::vector<int32_t> tokens = {1, 2, 3, 1, 2};
  std::vector<float> scores(8, 0.0f);
  NoRepeatNGram(3).apply(scores, tokens, scratch);  // "1 2" was followed by 3
  CHECK(count_removed(scores) == 1);
  CHECK(scores[3] == -kInf);
  std::vector<float> too_short(8, 0.0f);
  NoRepeatNGram(7).apply(too_short, tokens, scratch);
  CHECK(count_removed(too_short) == 0);

  EncoderNoRepeatNGram encoder(2, {6, 2, 7, 2, 5});
  std::vector<float> enc(8, 0.0f);
  encoder.apply(enc, tokens, scratch);  // last token 2: the encoder has "2 7" and "2 5"
  CHECK(count_removed(enc) == 2);
  CHECK(enc[7] == -kInf);
  CHECK(enc[5] == -kInf);
}

TEST_CASE("eta cutoff follows its definition") {
  Scratch scratch(5);
  const std::vector<float> logits = {2.0f, 1.0f, 0.0f, -1.0f, -3.0f};
  std::vector<float> scores = logits;
  ProbabilityCutoff(ProbabilityCutoff::Kind::eta, 0.2, 1).apply(scores, {}, scratch);
  double sum = 0, entropy = 0;
  for (float l : logits) sum += std::exp(l);
  for (float l : logits) entropy -= std::exp(l) / sum * std::log(std::exp(l) / sum);
  const double eta = std::min(0.2, std::sqrt(0.2) * std::exp(-entropy));
  for (size_t i = 0; i < logits.size(); ++i) {
    CAPTURE(i);
    CHECK((scores[i] == -kInf) == (std::exp(logits[i]) / sum < eta));
  }
  CHECK(count_removed(scores) > 0);
}

TEST_CASE("length-driven processors") {
  Scratch scratch(5);
  std::vector<float> scores = {1, 2, 3, 4, 5};
  const std::vector<int32_t> one = {0}, two = {0, 1};
  ForcedBos(2).apply(scores, one, scratch);
  CHECK(scores == std::vector<float>{-kInf, -kInf, 0, -kInf, -kInf});
  std::vector<float> later = {1, 2, 3, 4, 5};
  ForcedBos(2).apply(later, two, scratch);
  CHECK(count_removed(later) == 0);

  std::vector<float> sup = {1, 2, 3, 4, 5};
  SuppressTokens({1, 3}, 2).apply(sup, one, scratch);
  CHECK(count_removed(sup) == 0);
  SuppressTokens({1, 3}, 2).apply(sup, two, scratch);
  CHECK(count_removed(sup) == 2);

  std::vector<float> bad = {std::nanf(""), kInf, -kInf, 1};
  InfNanRemove().apply(std::span<float>(bad.data(), 4), one, scratch);
  CHECK(bad == std::vector<float>{0, std::numeric_limits<float>::max(), std::numeric_limits<float>::lowest(), 1});
}

TEST_CASE("the chain holds transformers' processors for the configuration") {
  const json options = {{"eos_token_id", 1},     {"min_new_tokens", 2},   {"repetition_penalty", 1.1},
                        {"do_sample", true},     {"temperature", 0.5},    {"top_p", 0.9},
                        {"begin_suppress_tokens", {3}}, {"forced_bos_token_id", 4}, {"renormalize_logits", true}};
  const GenerationConfig config = build_generation_config(json(), nullptr, nullptr, &options);
  const LengthLimits limits = resolve_lengths(config, 1);
  const ProcessorChain chain = build_chain(config, limits, 1, {});
  // repetition, min length, forced BOS, suppress-at-begin, temperature, top-k 50, top-p, log-softmax
  CHECK(chain.size() == 8);

  // begin_suppress_tokens: one position later when a BOS is forced after a one-token prompt.
  Scratch scratch(6);
  std::vector<float> at_one(6, 0.0f), at_two(6, 0.0f);
  const std::vector<int32_t> one = {0}, two = {0, 4};
  chain.apply(at_one, one, scratch);
  CHECK(at_one[4] > -kInf);
  chain.apply(at_two, two, scratch);
  CHECK(at_two[3] == -kInf);
  CHECK(at_two[1] == -kInf);  // EOS held back by min_new_tokens
}

TEST_CASE("beam hypotheses: eviction, ties and ordering as transformers' Python lists") {
  using detail::BeamHypotheses;
  BeamHypotheses h(2, 1.0, EarlyStopping::off, 10, 2);
  const std::vector<int32_t> a = {1, 1, 5}, b = {1, 1, 6}, c = {1, 1, 7}, d = {1, 1, 8};
  h.add(a, -2.0f, 1, true);  // score -2
  h.add(b, -2.0f, 1, true);  // -2, a tie
  CHECK(h.size() == 2);
  h.add(c, -1.0f, 1, true);  // evicts the earliest of the tied worst: a
  REQUIRE(h.size() == 2);
  auto best = h.best(2);
  CHECK(best[0]->tokens == c);
  CHECK(best[1]->tokens == b);
  h.add(d, -3.0f, 1, false);  // not better than the worst: ignored
  CHECK(h.size() == 2);
  h.add(d, -1.0f, 1, false);  // ties the best: later added comes first
  best = h.best(2);
  CHECK(best[0]->tokens == d);
  CHECK(best[1]->tokens == c);

  // is_done: worst -1 >= best_sum / generated ** lp
  CHECK(h.is_done(-3.0f, 5));       // -3 / 3 = -1
  CHECK_FALSE(h.is_done(-2.0f, 5)); // -2 / 3 > -1
  BeamHypotheses never(2, 1.0, EarlyStopping::never, 10, 2);
  never.add(a, -1.0f, 1, true);
  never.add(b, -1.0f, 1, true);
  CHECK_FALSE(never.is_done(-7.0f, 5));  // best reachable at max_length: -7 / 8
  CHECK(never.is_done(-8.0f, 5));
  BeamHypotheses early(2, 1.0, EarlyStopping::on, 10, 2);
  early.add(a, -9.0f, 1, true);
  CHECK_FALSE(early.is_done(0.0f, 5));
  early.add(b, -9.0f, 1, true);
  CHECK(early.is_done(0.0f, 5));
}
