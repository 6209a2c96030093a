// DecoderSession (the StepModel) against DecoderModel::forward: the logits of
// start() and of every step() equal the full forward of each row's history,
// for one row (sgemv), a few rows (small_gemm) and many rows (sgemm), with
// prompts of different lengths and shared copies; bad input is refused.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/decoder.hpp"
#include "core/decoder_session.hpp"
#include "core/error.hpp"
#include "golden_util.hpp"

using namespace xfmr;

namespace {

double row_diff(const float* a, const float* b, int64_t n) {
  double worst = 0;
  for (int64_t i = 0; i < n; ++i) worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - b[i]));
  return worst;
}

// Starts `prompts` x `copies`, then feeds row r the tokens next[r][0..],
// comparing every logits row with forward() over the row's history.
void check_against_forward(const DecoderModel& model, const std::vector<std::vector<int32_t>>& prompts,
                           int32_t copies, int steps) {
  DecoderSession session(model);
  const int64_t vocab = model.vocab_size();
  const auto rows = static_cast<int64_t>(prompts.size()) * copies;
  std::vector<float> logits(static_cast<size_t>(rows * vocab));
  std::vector<std::vector<int32_t>> history;
  for (const auto& p : prompts)
    for (int32_t c = 0; c < copies; ++c) history.push_back(p);
  session.start(prompts, copies, logits);
  for (int step = 0;; ++step) {
    for (int64_t r = 0; r < rows; ++r) {
      CAPTURE(r);
      CAPTURE(step);
      const auto full = model.forward(history[static_cast<size_t>(r)]);
      const float* expected = full.logits.row(full.logits.dim(0) - 1);
      CHECK(row_diff(logits.data() + r * vocab, expected, vocab) < 2e-5);
    }
    if (step == steps) break;
    std::vector<int32_t> tokens(static_cast<size_t>(rows));
    for (int64_t r = 0; r < rows; ++r) {
      tokens[static_cast<size_t>(r)] = static_cast<int32_t>((r * 7919 + step * 104729) % vocab);
      history[static_cast<size_t>(r)].push_back(tokens[static_cast<size_t>(r)]);
    }
    session.step(tokens, logits);
  }
}

}  // namespace

TEST_CASE("decoder session: start and step logits equal the full forward, 1, few and many rows") {
  for (const char* name : {"tiny-gpt2", "tiny-llama"}) {
    CAPTURE(name);
    const DecoderModel model = DecoderModel::load(test::model_dir(name));
    const auto g = test::golden(name);
    std::vector<std::vector<int32_t>> prompts;
    for (const auto& c : g["cases"]) prompts.push_back(test::ints(c["input_ids"]));
    check_against_forward(model, {prompts[0]}, 1, 20);          // one row: sgemv, blocks crossed
    check_against_forward(model, prompts, 2, 6);                // few rows, different lengths
    check_against_forward(model, {prompts[1], prompts[0]}, 5, 4);  // 10 rows: sgemm
  }
}

TEST_CASE("decoder session: bad prompts, tokens and sizes are InputErrors; the cache stays usable") {
  const DecoderModel model = DecoderModel::load(test::model_dir("tiny-gpt2"));
  DecoderSession session(model);
  const int64_t vocab = model.vocab_size();
  std::vector<float> logits(static_cast<size_t>(2 * vocab));
  CHECK_THROWS_AS(session.start({{}}, 1, std::span(logits).first(static_cast<size_t>(vocab))), InputError);
  CHECK_THROWS_AS(session.start({{1, 50257}}, 1, std::span(logits).first(static_cast<size_t>(vocab))), InputError);
  CHECK_THROWS_AS(session.start({{1, -1}}, 1, std::span(logits).first(static_cast<size_t>(vocab))), InputError);
  CHECK_THROWS_AS(session.start({{1, 2}}, 1, logits), InputError);  // logits of 2 rows for 1
  CHECK_THROWS_AS(session.start({std::vector<int32_t>(257, 5)}, 1, std::span(logits).first(static_cast<size_t>(vocab))),
                  InputError);  // n_positions is 256
  CHECK_THROWS_AS(model.forward(std::vector<int32_t>(257, 5)), InputError);

  session.start({{1, 2}}, 2, logits);
  const std::vector<int32_t> one{3};
  CHECK_THROWS_AS(session.step(one, logits), InputError);
  const std::vector<int32_t> bad{3, 50257};
  CHECK_THROWS_AS(session.step(bad, logits), InputError);
  const std::vector<int32_t> parents{0, 2};
  CHECK_THROWS_AS(session.reorder(parents), InputError);
  const std::vector<int32_t> good{3, 4};
  session.step(good, logits);
  const auto full = model.forward(std::vector<int32_t>{1, 2, 4});
  CHECK(row_diff(logits.data() + vocab, full.logits.row(2), vocab) < 2e-5);

  // A prompt at the last position fits; one more step does not.
  session.start({std::vector<int32_t>(256, 5)}, 1, std::span(logits).first(static_cast<size_t>(vocab)));
  CHECK_THROWS_AS(session.step(std::vector<int32_t>{7}, std::span(logits).first(static_cast<size_t>(vocab))), InputError);
}
