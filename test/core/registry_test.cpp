// The weight-name tables against real checkpoints: for every encoder fixture,
// the tensors the registry expects are exactly those the file holds.
#include <doctest/doctest.h>

#include <set>

#include "core/error.hpp"
#include "core/registry.hpp"
#include "core/weights.hpp"
#include "golden_util.hpp"

using namespace xfmr;

TEST_CASE("registry: expected tensors match every encoder fixture's checkpoint") {
  for (const char* name : {"tiny-bert-sst2", "tiny-distilbert-sst2", "tiny-bert-ner", "tiny-distilbert-qa",
                           "tiny-bert-mlm", "tiny-roberta-mlm", "tiny-albert-mlm", "tiny-bert-choice"}) {
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

TEST_CASE("registry: unknown model types list the supported ones") {
  try {
    find_model_type("mamba", "config.json");
    FAIL("no error");
  } catch (const ModelError& e) {
    const std::string message = e.what();
    CHECK(message.rfind("config.json: unknown model_type 'mamba' (supported: ", 0) == 0);
    for (const char* type : {"bert", "distilbert", "roberta", "albert", "xlm-roberta", "camembert"}) {
      CHECK(message.find(type) != std::string::npos);
    }
  }
  CHECK(model_types().size() >= 6);
}
