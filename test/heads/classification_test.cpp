#include <doctest/doctest.h>

#include "golden.hpp"
#include "heads/classification.hpp"
#include "heads/multiple_choice.hpp"

using namespace xfmr;
using namespace xfmr::heads;

TEST_CASE("the default score function is the pipeline's") {
  CHECK(default_score_function("", 2) == ScoreFunction::softmax);
  CHECK(default_score_function("", 1) == ScoreFunction::sigmoid);
  CHECK(default_score_function("multi_label_classification", 5) == ScoreFunction::sigmoid);
  CHECK(default_score_function("single_label_classification", 3) == ScoreFunction::softmax);
  CHECK(default_score_function("regression", 1) == ScoreFunction::none);
}

TEST_CASE("label scores from golden logits equal the pipeline's (top_k 1 and all)") {
  for (const char* model : {"tiny-bert-sst2", "tiny-distilbert-sst2"}) {
    auto golden = test::load_json(std::string("models/") + model + "/golden.json");
    std::vector<std::string> labels = {"NEGATIVE", "POSITIVE"};
    const auto& cases = golden["cases"];
    for (size_t i = 0; i < cases.size(); ++i) {
      auto scores = score_labels(test::floats(cases[i]["logits"]), ScoreFunction::softmax, labels);
      const auto& all = golden["pipeline"]["top_k_all"][i];
      REQUIRE(scores.size() == all.size());
      for (size_t k = 0; k < all.size(); ++k) {
        CHECK(scores[k].label == all[k]["label"].get<std::string>());
        CHECK(scores[k].score == doctest::Approx(all[k]["score"].get<double>()).epsilon(1e-5));
      }
      CHECK(scores[0].label == golden["pipeline"]["top_k_1"][i][0]["label"].get<std::string>());
    }
  }
}

TEST_CASE("sigmoid and none") {
  std::vector<float> logits = {0.0f, 2.0f};
  auto sig = score_labels(logits, ScoreFunction::sigmoid, {"a", "b"});
  CHECK(sig[0].label == "b");
  CHECK(sig[0].score == doctest::Approx(0.880797));
  CHECK(sig[1].score == doctest::Approx(0.5));
  auto none = score_labels(logits, ScoreFunction::none, {"a", "b"});
  CHECK(none[0].score == 2.0f);
}

TEST_CASE("multiple choice probabilities equal the golden's") {
  auto golden = test::load_json("models/tiny-bert-choice/golden.json");
  for (const auto& c : golden["cases"]) {
    Choice choice = pick_choice(test::floats(c["logits"]));
    CHECK(choice.index == c["predicted"].get<size_t>());
    auto probs = test::floats(c["probs"]);
    REQUIRE(choice.scores.size() == probs.size());
    for (size_t i = 0; i < probs.size(); ++i) CHECK(choice.scores[i] == doctest::Approx(probs[i]).epsilon(1e-4));
  }
}
