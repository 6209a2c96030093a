// tiny-gpt2 and tiny-llama against transformers (golden.json): last hidden
// states and, at every position, the top-10 logits and the logsumexp, within
// 1e-4; and the registry's tensor list against their checkpoints.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/decoder.hpp"
#include "core/ops/softmax.hpp"
#include "core/registry.hpp"
#include "golden_util.hpp"

using namespace xfmr;
using xfmr::test::floats;
using xfmr::test::ints;
using xfmr::test::kTolerance;
using xfmr::test::max_abs_diff;

namespace {

int check_model(const std::string& name) {
  const DecoderModel model = DecoderModel::load(test::model_dir(name));
  const auto g = test::golden(name);
  int passed = 0;
  for (const auto& c : g["cases"]) {
    CAPTURE(c["prompt"].get<std::string>());
    const std::vector<int32_t> ids = ints(c["input_ids"]);
    const DecoderModel::Output out = model.forward(ids);
    REQUIRE(out.hidden.dim(0) == static_cast<int64_t>(ids.size()));
    const double hidden_diff =
        max_abs_diff(out.hidden.data(), static_cast<size_t>(out.hidden.numel()), floats(c["last_hidden_state"]));
    CHECK(hidden_diff <= kTolerance);
    const auto& top = c["logits_top10"];
    REQUIRE(top.size() == ids.size());
    for (size_t t = 0; t < ids.size(); ++t) {
      CAPTURE(t);
      test::matches_top10(out.logits.row(static_cast<int64_t>(t)), out.logits.dim(1), top[t]);
    }
    passed += hidden_diff <= kTolerance ? 1 : 0;
  }
  return passed;
}

}  // namespace

TEST_CASE("decoder goldens: tiny-gpt2 hidden states, top-10 logits and logsumexp") {
  CHECK(check_model("tiny-gpt2") == 3);
}

TEST_CASE("decoder goldens: tiny-llama (bfloat16 weights, GQA, RoPE) hidden states and logits") {
  CHECK(check_model("tiny-llama") == 2);
}

TEST_CASE("registry: expected tensors match the decoder fixtures' checkpoints") {
  for (const char* name : {"tiny-gpt2", "tiny-llama"}) {
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
