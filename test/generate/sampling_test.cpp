// Multinomial sampling: reproducibility, batch independence, and the distributions drawn.
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "generate/decode.hpp"
#include "generate/rng.hpp"
#include "mock_step_model.hpp"

using namespace xfmr::gen;
using xfmr::gen::testing::history_logits;
using xfmr::gen::testing::MockStepModel;
using nlohmann::json;

namespace {

GenerationConfig make_config(const json& options) {
  return build_generation_config(json(), nullptr, nullptr, &options);
}

const std::vector<std::vector<int32_t>> kPrompts = {{1}, {4, 2, 9}, {7, 7}, {5, 1, 2, 3, 4, 6}};

// The same logits after every history: draws are then i.i.d. from one distribution.
const std::vector<float> kFixedLogits = {2.0f, 1.5f, 1.2f, 0.9f, 0.3f, 0.0f, -0.4f, -1.0f, -2.0f, -3.0f};
void fixed_logits(std::span<const int32_t>, std::span<float> out) { std::copy(kFixedLogits.begin(), kFixedLogits.end(), out.begin()); }

// Draws `n` single tokens (one per input, each its own stream) and counts them.
std::vector<int> histogram(const GenerationConfig& config, int n, uint64_t seed) {
  MockStepModel model(static_cast<int32_t>(kFixedLogits.size()), fixed_logits);
  const std::vector<std::vector<int32_t>> prompts(static_cast<size_t>(n), std::vector<int32_t>{0});
  const auto out = decode(model, prompts, config, seed);
  std::vector<int> counts(kFixedLogits.size(), 0);
  for (const auto& input : out) ++counts[static_cast<size_t>(input.sequences[0].tokens.back())];
  return counts;
}

double chi_square(const std::vector<int>& counts, const std::vector<double>& probabilities, int n) {
  double chi = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (probabilities[i] == 0) {
      CHECK(counts[i] == 0);
      continue;
    }
    const double expected = probabilities[i] * n;
    chi += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  return chi;
}

}  // namespace

TEST_CASE("random streams: fixed by (seed, stream), independent across streams") {
  Rng a(7, 3), b(7, 3), c(7, 4), d(8, 3);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.next();
    CHECK(x == b.next());
    same_c += x == c.next();
    same_d += x == d.next();
  }
  CHECK(same_c == 0);
  CHECK(same_d == 0);
  Rng u(1, 1);
  double lo = 1, hi = 0;
  for (int i = 0; i < 10000; ++i) {
    const double v = u.uniform();
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  CHECK(lo >= 0.0);
  CHECK(lo < 0.001);
  CHECK(hi < 1.0);
  CHECK(hi > 0.999);
}

TEST_CASE("the same seed gives the same samples, alone or in any batch") {
  const int32_t vocab = 30;
  const GenerationConfig config =
      make_config({{"do_sample", true}, {"max_new_tokens", 12}, {"eos_token_id", 3}, {"num_return_sequences", 3},
                   {"top_k", 20}, {"top_p", 0.95}, {"temperature", 1.3}});
  MockStepModel m1(vocab, 5), m2(vocab, 5);
  const auto first = decode(m1, kPrompts, config, 2024, 0);
  const auto again = decode(m2, kPrompts, config, 2024, 0);
  std::set<std::vector<int32_t>> distinct;
  for (size_t i = 0; i < kPrompts.size(); ++i) {
    REQUIRE(first[i].sequences.size() == 3);
    for (size_t j = 0; j < 3; ++j) {
      CHECK(first[i].sequences[j].tokens == again[i].sequences[j].tokens);
      distinct.insert(first[i].sequences[j].tokens);
    }
    // Alone, with the stream of its place in the run.
    MockStepModel alone_model(vocab, 5);
    const auto alone = decode(alone_model, {kPrompts[i]}, config, 2024, i);
    for (size_t j = 0; j < 3; ++j) CHECK(alone[0].sequences[j].tokens == first[i].sequences[j].tokens);
  }
  CHECK(distinct.size() == kPrompts.size() * 3);  // samples differ between streams and rows

  // Reversed order in the batch, each input keeping its stream.
  std::vector<DecodeInput> reversed;
  for (size_t i = kPrompts.size(); i-- > 0;) reversed.push_back({kPrompts[i], &config, 2024, i});
  MockStepModel m3(vocab, 5);
  const auto backwards = decode(m3, reversed);
  for (size_t i = 0; i < kPrompts.size(); ++i)
    CHECK(backwards[kPrompts.size() - 1 - i].sequences[0].tokens == first[i].sequences[0].tokens);

  MockStepModel m4(vocab, 5);
  const auto other_seed = decode(m4, kPrompts, config, 2025, 0);
  int differ = 0;
  for (size_t i = 0; i < kPrompts.size(); ++i) differ += other_seed[i].sequences[0].tokens != first[i].sequences[0].tokens;
  CHECK(differ > 0);
}

TEST_CASE("sampling with top_k = 1 is greedy search") {
  const int32_t vocab = 30;
  const GenerationConfig greedy = make_config({{"max_new_tokens", 10}, {"eos_token_id", 3}});
  const GenerationConfig sample_k1 =
      make_config({{"do_sample", true}, {"top_k", 1}, {"max_new_tokens", 10}, {"eos_token_id", 3}});
  MockStepModel m1(vocab, 8), m2(vocab, 8);
  const auto a = decode(m1, kPrompts, greedy);
  const auto b = decode(m2, kPrompts, sample_k1, 77);
  for (size_t i = 0; i < kPrompts.size(); ++i) CHECK(a[i].sequences[0].tokens == b[i].sequences[0].tokens);
}

TEST_CASE("top-p never draws outside the nucleus") {
  // Probabilities of kFixedLogits: .365 .221 .164 .122 .067 .049 .033 .018 .007 .002 (rounded).
  // top_p 0.8: the four most likely tokens hold .872 and the first three .750, so the
  // nucleus is tokens 0..3.
  const int n = 2000;
  const auto counts = histogram(make_config({{"do_sample", true}, {"top_k", 0}, {"top_p", 0.8}, {"max_new_tokens", 1}}), n, 11);
  for (size_t t = 0; t < counts.size(); ++t) {
    CAPTURE(t);
    if (t < 4) {
      CHECK(counts[t] > 50);
    } else {
      CHECK(counts[t] == 0);
    }
  }
}

TEST_CASE("temperature and top-k draw from the expected distribution") {
  const int n = 20000;
  for (const auto& [temperature, top_k] : std::vector<std::pair<double, int>>{{1.0, 0}, {0.7, 4}, {1.5, 6}}) {
    CAPTURE(temperature);
    CAPTURE(top_k);
    const GenerationConfig config = make_config(
        {{"do_sample", true}, {"temperature", temperature}, {"top_k", top_k}, {"max_new_tokens", 1}});
    std::vector<double> p(kFixedLogits.size(), 0.0);
    const size_t kept = top_k == 0 ? kFixedLogits.size() : static_cast<size_t>(top_k);
    double sum = 0;
    for (size_t i = 0; i < kept; ++i) sum += p[i] = std::exp(kFixedLogits[i] / temperature);
    for (double& x : p) x /= sum;
    const auto counts = histogram(config, n, 5);
    // Degrees of freedom <= 9: the 99.9 % quantile is 27.9.
    CHECK(chi_square(counts, p, n) < 27.9);
  }
}
