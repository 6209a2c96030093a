// tiny-t5, tiny-bart (float16 weights) and tiny-marian (float16) against
// transformers (golden.json): the encoder's last hidden states of each golden
// input, and the first decoder step's top-10 logits and logsumexp, within
// 1e-4; and the registry's tensor list against their checkpoints.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/ops/softmax.hpp"
#include "core/registry.hpp"
#include "core/seq2seq.hpp"
#include "core/seq2seq_session.hpp"
#include "golden_util.hpp"

using namespace xfmr;
using xfmr::test::floats;
using xfmr::test::ints;
using xfmr::test::kTolerance;
using xfmr::test::max_abs_diff;

namespace {

struct Tally {
  int passed = 0;
  int total = 0;
};

Tally check_model(const std::string& name) {
  const Seq2SeqModel model = Seq2SeqModel::load(test::model_dir(name));
  const auto g = test::golden(name);
  const int32_t start = model.config().decoder_start_token_id.value();
  Seq2SeqSession session(model);
  std::vector<float> logits(static_cast<size_t>(model.vocab_size()));
  Tally tally;
  for (const auto& c : g["cases"]) {
    CAPTURE(c["source"].get<std::string>());
    const std::vector<int32_t> ids = ints(c["input_ids"]);
    const Tensor states = model.encode(ids);
    REQUIRE(states.dim(0) == static_cast<int64_t>(ids.size()));
    const double hidden_diff =
        max_abs_diff(states.data(), static_cast<size_t>(states.numel()), floats(c["encoder_last_hidden_state"]));
    CHECK(hidden_diff <= kTolerance);
    session.encode({ids});
    session.start({{start}}, 1, logits);
    const bool logits_ok = test::matches_top10(logits.data(), model.vocab_size(), c["first_step_logits_top10"]);
    tally.passed += hidden_diff <= kTolerance && logits_ok ? 1 : 0;
    ++tally.total;
  }
  return tally;
}

}  // namespace

TEST_CASE("seq2seq goldens: tiny-t5 encoder states and first-step logits") {
  const Tally t = check_model("tiny-t5");
  MESSAGE("tiny-t5 cases passed: " << t.passed << " / " << t.total);
  CHECK(t.total == 2);
  CHECK(t.passed == t.total);
}

TEST_CASE("seq2seq goldens: tiny-bart (float16) encoder states and first-step logits") {
  const Tally t = check_model("tiny-bart");
  MESSAGE("tiny-bart cases passed: " << t.passed << " / " << t.total);
  CHECK(t.total == 1);
  CHECK(t.passed == t.total);
}

TEST_CASE("seq2seq goldens: tiny-marian (float16, sinusoidal positions) encoder states and first-step logits") {
  const Tally t = check_model("tiny-marian");
  MESSAGE("tiny-marian cases passed: " << t.passed << " / " << t.total);
  CHECK(t.total == 2);
  CHECK(t.passed == t.total);
}

TEST_CASE("registry: expected tensors match the encoder-decoder fixtures' checkpoints") {
  for (const char* name : {"tiny-t5", "tiny-bart", "tiny-marian"}) {
    CAPTURE(name);
    const ModelConfig cfg = load_model_config(test::model_dir(name));
    const Weights weights = Weights::open_folder(test::model_dir(name));
    std::set<std::string> expected;
    for (const auto& spec : expected_tensors(cfg)) {
      CHECK(expected.insert(spec.name).second);
      if (weights.contains(spec.name)) CHECK(weights.info(spec.name).shape == spec.shape);
    }
    const auto names = weights.names();
    CHECK(std::set<std::string>(names.begin(), names.end()) == expected);
  }
}
