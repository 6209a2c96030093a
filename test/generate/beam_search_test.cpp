// Beam search against (1) a literal, unoptimised transcription of transformers 4.48's
// beam search for one input (full sort of beams x vocab, BeamHypotheses as a Python list),
// (2) an exhaustive search where beams are wide enough to hold every sequence, and (3)
// greedy decoding for num_beams = 1.
#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "generate/decode.hpp"
#include "generate/strategies.hpp"
#include "mock_step_model.hpp"

using namespace xfmr::gen;
using xfmr::gen::testing::history_logits;
using xfmr::gen::testing::MockStepModel;
using nlohmann::json;

namespace {

GenerationConfig make_config(const json& options) {
  return build_generation_config(json(), nullptr, nullptr, &options);
}

std::vector<float> log_softmax_of(std::vector<float> x) {
  float top = -INFINITY;
  for (float v : x) top = std::max(top, v);
  double sum = 0;
  for (float v : x) sum += std::exp(static_cast<double>(v - top));
  const auto log_sum = static_cast<float>(std::log(sum));
  for (float& v : x) v = (v - top) - log_sum;
  return x;
}

struct Reference {
  std::vector<std::vector<int32_t>> sequences;
  std::vector<float> scores;
};

// transformers' BeamHypotheses, as written in Python.
struct PyHypotheses {
  int num_beams;
  double length_penalty;
  EarlyStopping early_stopping;
  int max_length;
  std::vector<std::tuple<double, std::vector<int32_t>, bool>> beams;
  double worst_score = 1e9;

  void add(const std::vector<int32_t>& hyp, float sum_logprobs, int generated_len, bool eos) {
    const double score = static_cast<double>(sum_logprobs) / std::pow(static_cast<double>(generated_len), length_penalty);
    if (static_cast<int>(beams.size()) < num_beams || score > worst_score) {
      beams.emplace_back(score, hyp, eos);
      if (static_cast<int>(beams.size()) > num_beams) {
        std::vector<std::pair<double, size_t>> sorted_next;
        for (size_t i = 0; i < beams.size(); ++i) sorted_next.emplace_back(std::get<0>(beams[i]), i);
        std::sort(sorted_next.begin(), sorted_next.end());
        beams.erase(beams.begin() + static_cast<long>(sorted_next[0].second));
        worst_score = sorted_next[1].first;
      } else {
        worst_score = std::min(score, worst_score);
      }
    }
  }
  bool is_done(double best_sum_logprobs, int cur_len, int prompt_len) const {
    if (static_cast<int>(beams.size()) < num_beams) return false;
    if (early_stopping == EarlyStopping::on) return true;
    double highest;
    if (early_stopping == EarlyStopping::off || length_penalty <= 0.0) {
      highest = best_sum_logprobs / std::pow(cur_len - prompt_len, length_penalty);
    } else {
      highest = best_sum_logprobs / std::pow(max_length - prompt_len, length_penalty);
    }
    return worst_score >= highest;
  }
};

Reference reference_beam_search(const std::vector<int32_t>& prompt, int32_t vocab, const GenerationConfig& config,
                                const MockStepModel::LogitsFn& logits_fn) {
  const int B = config.num_beams;
  const int prompt_len = static_cast<int>(prompt.size());
  const LengthLimits limits = resolve_lengths(config, prompt_len);
  const ProcessorChain chain = build_chain(config, limits, prompt_len, prompt);
  Scratch scratch(vocab);
  const auto& eos = config.eos_token_id;
  std::vector<std::vector<int32_t>> input_ids(static_cast<size_t>(B), prompt);
  std::vector<float> beam_scores(static_cast<size_t>(B), -1e9f);
  beam_scores[0] = 0.0f;
  PyHypotheses hyps{B, config.length_penalty, config.early_stopping, limits.max_length, {}};
  bool done = false;
  while (true) {
    std::vector<std::pair<float, int64_t>> all;  // (score, flat)
    for (int b = 0; b < B; ++b) {
      std::vector<float> logits(static_cast<size_t>(vocab));
      logits_fn(input_ids[b], logits);
      std::vector<float> scores = log_softmax_of(logits);
      chain.apply(scores, input_ids[b], scratch);
      for (int v = 0; v < vocab; ++v) all.emplace_back(scores[v] + beam_scores[b], static_cast<int64_t>(b) * vocab + v);
    }
    std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    const int n_keep = std::max(2, 1 + static_cast<int>(eos.size())) * B;
    all.resize(std::min<size_t>(all.size(), static_cast<size_t>(n_keep)));

    const int cur_len = static_cast<int>(input_ids[0].size()) + 1;
    std::vector<float> next_scores;
    std::vector<int32_t> next_tokens;
    std::vector<int> next_beams;
    for (size_t rank = 0; rank < all.size(); ++rank) {
      const int32_t token = static_cast<int32_t>(all[rank].second % vocab);
      const int beam = static_cast<int>(all[rank].second / vocab);
      if (std::find(eos.begin(), eos.end(), token) != eos.end()) {
        if (static_cast<int>(rank) >= B) continue;
        hyps.add(input_ids[beam], all[rank].first, cur_len - prompt_len, true);
      } else {
        next_scores.push_back(all[rank].first);
        next_tokens.push_back(token);
        next_beams.push_back(beam);
      }
      if (static_cast<int>(next_tokens.size()) == B) break;
    }
    REQUIRE(static_cast<int>(next_tokens.size()) == B);
    done = done || hyps.is_done(all[0].first, cur_len, prompt_len);
    std::vector<std::vector<int32_t>> extended;
    for (int b = 0; b < B; ++b) {
      extended.push_back(input_ids[next_beams[b]]);
      extended.back().push_back(next_tokens[b]);
    }
    input_ids = extended;
    beam_scores = next_scores;
    if (done) break;
    if (static_cast<int>(input_ids[0].size()) >= limits.max_length) {
      for (int b = 0; b < B; ++b)
        hyps.add(input_ids[b], beam_scores[b], static_cast<int>(input_ids[b].size()) - prompt_len, false);
      break;
    }
  }
  auto sorted = hyps.beams;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return std::get<0>(x) < std::get<0>(y); });
  Reference out;
  for (int j = 0; j < config.num_return_sequences; ++j) {
    auto [score, tokens, eos_ended] = sorted.back();
    sorted.pop_back();
    if (eos_ended) tokens.push_back(eos[0]);
    out.sequences.push_back(tokens);
    out.scores.push_back(static_cast<float>(score));
  }
  return out;
}

MockStepModel::LogitsFn salted(uint64_t salt, float spread = 2.0f) {
  return [salt, spread](std::span<const int32_t> h, std::span<float> out) { history_logits(h, salt, spread, out); };
}

const std::vector<std::vector<int32_t>> kPrompts = {{1, 2}, {4}, {3, 3, 1, 2}};

}  // namespace

TEST_CASE("beam search equals the literal transformers algorithm, input by input, in a batch") {
  const int32_t vocab = 5;
  int configurations = 0, eos_hypotheses = 0;
  for (int beams : {2, 3})
    for (double length_penalty : {0.0, 1.0, 2.0, -0.5})
      for (const json& early : {json(false), json(true), json("never")})
        for (uint64_t salt : {11u, 12u, 13u}) {
          const json options = {{"num_beams", beams},
                                {"num_return_sequences", beams},
                                {"length_penalty", length_penalty},
                                {"early_stopping", early},
                                {"max_new_tokens", 7},
                                {"eos_token_id", 0}};
          CAPTURE(options.dump());
          CAPTURE(salt);
          const GenerationConfig config = make_config(options);
          // EOS likelier than the rest, so that hypotheses fill up before max_length.
          const MockStepModel::LogitsFn logits = [salt](std::span<const int32_t> h, std::span<float> out) {
            history_logits(h, salt, 2.0f, out);
            out[0] += 0.8f;
          };
          MockStepModel model(vocab, logits);
          const auto batch = decode(model, kPrompts, config);
          CHECK(model.identity_reorders == 0);
          for (size_t i = 0; i < kPrompts.size(); ++i) {
            CAPTURE(i);
            const Reference want = reference_beam_search(kPrompts[i], vocab, config, logits);
            REQUIRE(batch[i].sequences.size() == want.sequences.size());
            for (size_t j = 0; j < want.sequences.size(); ++j) {
              CHECK(batch[i].sequences[j].tokens == want.sequences[j]);
              CHECK(batch[i].sequences[j].score == doctest::Approx(want.scores[j]).epsilon(1e-6));
              eos_hypotheses += batch[i].sequences[j].finish == FinishReason::eos;
            }
          }
          ++configurations;
        }
  CHECK(configurations == 72);
  CHECK(eos_hypotheses > 50);  // the comparison covered hypotheses closed by EOS
}

TEST_CASE("beam search with processors, several EOS ids and per-input lengths") {
  const int32_t vocab = 7;
  const GenerationConfig a = make_config({{"num_beams", 3}, {"num_return_sequences", 2}, {"max_new_tokens", 5},
                                          {"eos_token_id", {0, 6}}, {"repetition_penalty", 1.5},
                                          {"no_repeat_ngram_size", 2}, {"min_new_tokens", 2}});
  const GenerationConfig b = make_config({{"num_beams", 3}, {"num_return_sequences", 2}, {"max_length", 7},
                                          {"eos_token_id", 0}, {"length_penalty", 0.7}, {"bad_words_ids", {{2, 3}}}});
  const std::vector<int32_t> p0 = {1, 2}, p1 = {4}, p2 = {3, 3, 1, 2, 5};
  const DecodeInput inputs[] = {{p0, &a}, {p1, &b}, {p2, &a}, {p0, &b}};
  for (uint64_t salt : {21u, 22u, 23u, 24u}) {
    CAPTURE(salt);
    MockStepModel model(vocab, salted(salt, 2.5f));
    const auto out = decode(model, std::span<const DecodeInput>(inputs));
    for (size_t i = 0; i < 4; ++i) {
      CAPTURE(i);
      const Reference want = reference_beam_search(std::vector<int32_t>(inputs[i].prompt.begin(), inputs[i].prompt.end()),
                                                   vocab, *inputs[i].config, salted(salt, 2.5f));
      for (size_t j = 0; j < want.sequences.size(); ++j) {
        CHECK(out[i].sequences[j].tokens == want.sequences[j]);
        CHECK(out[i].sequences[j].score == doctest::Approx(want.scores[j]).epsilon(1e-6));
      }
      if (inputs[i].config == &a) {
        for (const auto& s : out[i].sequences) CHECK(s.generated >= 3);  // 2 held back + the EOS
      }
    }
  }
}

TEST_CASE("wide beams find the exhaustive optimum") {
  // 3 tokens (EOS = 0), 4 steps: 31 sequences; 24 beams hold every live one at every step.
  const int32_t vocab = 3;
  const std::vector<int32_t> prompt = {1, 2};
  for (double length_penalty : {0.0, 0.5, 1.0, 2.0})
    for (uint64_t salt : {31u, 32u}) {
      CAPTURE(length_penalty);
      CAPTURE(salt);
      const GenerationConfig config = make_config({{"num_beams", 24}, {"num_return_sequences", 3},
                                                   {"length_penalty", length_penalty}, {"max_new_tokens", 4},
                                                   {"eos_token_id", 0}});
      // Every sequence: its tokens and sum of log-probs, accumulated in float like beam scores.
      std::vector<std::pair<double, std::vector<int32_t>>> all;
      std::vector<std::pair<float, std::vector<int32_t>>> frontier = {{0.0f, prompt}};
      for (int step = 1; step <= 4; ++step) {
        std::vector<std::pair<float, std::vector<int32_t>>> next;
        for (const auto& [sum, seq] : frontier) {
          std::vector<float> logits(vocab);
          history_logits(seq, salt, 2.0f, logits);
          const auto logp = log_softmax_of(logits);
          for (int32_t v = 0; v < vocab; ++v) {
            auto extended = seq;
            extended.push_back(v);
            const float total = logp[v] + sum;
            if (v == 0 || step == 4) {
              all.emplace_back(static_cast<double>(total) / std::pow(step, length_penalty), extended);
            }
            if (v != 0) next.emplace_back(total, extended);
          }
        }
        frontier = next;
      }
      std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
      MockStepModel model(vocab, salted(salt));
      const auto out = decode(model, {prompt}, config);
      REQUIRE(out[0].sequences.size() == 3);
      for (size_t j = 0; j < 3; ++j) {
        CHECK(out[0].sequences[j].tokens == all[j].second);
        CHECK(out[0].sequences[j].score == doctest::Approx(all[j].first).epsilon(1e-6));
      }
    }
}

TEST_CASE("beam search with one beam is greedy search") {
  const int32_t vocab = 9;
  const std::vector<std::vector<int32_t>> prompts = {{1, 2}, {4}, {3, 3, 1, 2}, {8, 7}};
  for (uint64_t salt : {41u, 42u, 43u}) {
    CAPTURE(salt);
    const GenerationConfig config = make_config({{"max_new_tokens", 8}, {"eos_token_id", 0}});
    MockStepModel greedy_model(vocab, salted(salt));
    const auto greedy = decode(greedy_model, prompts, config);

    std::vector<DecodeInput> inputs(prompts.size());
    for (size_t i = 0; i < prompts.size(); ++i) inputs[i] = {prompts[i], &config};
    MockStepModel beam_model(vocab, salted(salt));
    auto prepared = detail::prepare_inputs(inputs, vocab);
    const auto beams = detail::run_beam_search(beam_model, prepared);
    for (size_t i = 0; i < prompts.size(); ++i) {
      CHECK(beams[i].sequences[0].tokens == greedy[i].sequences[0].tokens);
      CHECK(beam_model.cache[i].size() + 1 >= greedy[i].sequences[0].tokens.size());
    }
    CHECK(beam_model.reorders == 0);  // one beam: its parent is always itself
  }
}

TEST_CASE("beam sampling keeps the per-input beam bookkeeping and is reproducible") {
  const int32_t vocab = 11;
  const GenerationConfig config = make_config({{"num_beams", 3}, {"num_return_sequences", 2}, {"do_sample", true},
                                               {"top_k", 6}, {"temperature", 0.8}, {"max_new_tokens", 6},
                                               {"eos_token_id", 0}});
  const std::vector<std::vector<int32_t>> prompts = {{1, 2}, {4}, {3, 3, 1, 2}};
  MockStepModel m1(vocab, salted(51)), m2(vocab, salted(51)), m3(vocab, salted(51));
  const auto first = decode(m1, prompts, config, 99, 0);
  const auto again = decode(m2, prompts, config, 99, 0);
  const auto alone = decode(m3, {prompts[2]}, config, 99, 2);
  for (size_t i = 0; i < prompts.size(); ++i) {
    REQUIRE(first[i].sequences.size() == 2);
    CHECK(first[i].sequences[0].score >= first[i].sequences[1].score);
    for (size_t j = 0; j < 2; ++j) CHECK(first[i].sequences[j].tokens == again[i].sequences[j].tokens);
  }
  CHECK(alone[0].sequences[0].tokens == first[2].sequences[0].tokens);
  CHECK(alone[0].sequences[1].tokens == first[2].sequences[1].tokens);
}
