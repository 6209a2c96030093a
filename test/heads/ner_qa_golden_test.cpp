// The ner and qa post-processing on golden logits: the model is not needed,
// only the tokenizer that gives offsets and word ids.
#include <doctest/doctest.h>

#include "golden.hpp"
#include "heads/question_answering.hpp"
#include "heads/token_classification.hpp"

using namespace xfmr;
using namespace xfmr::heads;

namespace {

std::vector<int32_t> ints(const nlohmann::json& array) { return array.get<std::vector<int32_t>>(); }

}  // namespace

TEST_CASE("ner entities from golden logits, every aggregation") {
  auto golden = test::load_json("models/tiny-bert-ner/golden.json");
  auto config = test::load_json("models/tiny-bert-ner/config.json");
  std::vector<std::string> labels(config["id2label"].size());
  for (auto& [id, label] : config["id2label"].items()) labels[std::stoul(id)] = label.get<std::string>();
  auto tokenizer = tok::Tokenizer::from_folder(test::fixture("models/tiny-bert-ner"));
  int checked = 0;
  for (const auto& c : golden["cases"]) {
    const std::string text = c["text"];
    tok::Encoding encoding = tokenizer->encode(text);
    REQUIRE(encoding.ids == ints(c["input_ids"]));
    std::vector<float> logits;
    for (const auto& row : c["logits"])
      for (float v : test::floats(row)) logits.push_back(v);
    TokenChunk chunk{&encoding, logits};
    for (auto& [name, expected] : c["pipeline"].items()) {
      CAPTURE(text);
      CAPTURE(name);
      auto entities = extract_entities(text, std::span(&chunk, 1), *tokenizer, labels, *parse_aggregation(name),
                                       golden["ignore_labels_default"].get<std::vector<std::string>>());
      REQUIRE(entities.size() == expected.size());
      for (size_t i = 0; i < entities.size(); ++i) {
        const auto& e = expected[i];
        CHECK(entities[i].label == e[name == "none" ? "entity" : "entity_group"].get<std::string>());
        CHECK(entities[i].word == e["word"].get<std::string>());
        CHECK(entities[i].start == e["start"].get<uint32_t>());
        CHECK(entities[i].end == e["end"].get<uint32_t>());
        CHECK(entities[i].score == doctest::Approx(e["score"].get<double>()).epsilon(1e-4));
        if (name == "none") CHECK(entities[i].index == e["index"].get<int32_t>());
      }
      ++checked;
    }
  }
  CHECK(checked == 15);
}

TEST_CASE("qa answers from golden logits, top_k 1 and 3, with doc stride") {
  auto golden = test::load_json("models/tiny-distilbert-qa/golden.json");
  auto tokenizer = tok::Tokenizer::from_folder(test::fixture("models/tiny-distilbert-qa"));
  for (const auto& c : golden["cases"]) {
    const std::string question = c["question"], context = c["context"];
    tok::EncodeOptions options;
    options.max_length = c["max_seq_len"];
    options.stride = c["doc_stride"];
    options.truncation = tok::Truncation::only_second;
    options.return_overflowing = true;
    tok::Encoding first = tokenizer->encode_pair(question, context, options);
    std::vector<const tok::Encoding*> encodings = {&first};
    for (const auto& o : first.overflowing) encodings.push_back(&o);
    REQUIRE(encodings.size() == c["chunks"].size());
    std::vector<std::vector<float>> starts, ends;
    for (size_t i = 0; i < encodings.size(); ++i) {
      REQUIRE(encodings[i]->ids == ints(c["chunks"][i]["input_ids"]));
      starts.push_back(test::floats(c["chunks"][i]["start_logits"]));
      ends.push_back(test::floats(c["chunks"][i]["end_logits"]));
    }
    std::vector<QaChunk> chunks;
    for (size_t i = 0; i < encodings.size(); ++i) chunks.push_back({encodings[i], starts[i], ends[i]});
    for (const char* key : {"top_k_1", "top_k_3"}) {
      QaOptions qa;
      qa.top_k = key[6] - '0';
      qa.max_answer_len = c["max_answer_len"];
      auto answers = extract_answers(context, chunks, tokenizer->special_ids().cls, qa);
      const auto& expected = c[key];
      CAPTURE(question);
      CAPTURE(key);
      REQUIRE(answers.size() == expected.size());
      for (size_t i = 0; i < answers.size(); ++i) {
        CHECK(answers[i].answer == expected[i]["answer"].get<std::string>());
        CHECK(answers[i].start == expected[i]["start"].get<uint32_t>());
        CHECK(answers[i].end == expected[i]["end"].get<uint32_t>());
        CHECK(answers[i].score == doctest::Approx(expected[i]["score"].get<double>()).epsilon(1e-4));
      }
    }
  }
}
