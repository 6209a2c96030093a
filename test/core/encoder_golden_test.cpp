// Every tiny encoder fixture against the numbers transformers computed
// (golden.json): last hidden states and head logits within 1e-4.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>

#include "core/encoder.hpp"
#include "core/ops/softmax.hpp"
#include "golden_util.hpp"

using namespace xfmr;
using xfmr::test::floats;
using xfmr::test::ints;
using xfmr::test::kTolerance;
using xfmr::test::max_abs_diff;

namespace {

EncoderModel load(const std::string& name) { return EncoderModel::load(test::model_dir(name)); }

// Rows [first, first + count) of a [tokens, width] tensor against a golden array.
double rows_diff(const Tensor& t, int64_t first, int64_t count, const nlohmann::json& expected) {
  return max_abs_diff(t.row(first), static_cast<size_t>(count * t.dim(1)), floats(expected));
}

void check_sequence_classification(const std::string& name) {
  EncoderModel model = load(name);
  REQUIRE(model.head() == EncoderHead::sequence_classification);
  const auto g = test::golden(name);
  const auto& cases = g["cases"];

  for (const auto& c : cases) {
    CAPTURE(c["text"].get<std::string>());
    EncoderBatch batch;
    batch.add(ints(c["input_ids"]));
    Tensor hidden = model.forward(batch);
    CHECK(rows_diff(hidden, 0, batch.tokens(), c["last_hidden_state"]) <= kTolerance);
    Tensor logits = model.sequence_classification_logits(hidden, batch);
    CHECK(logits.dim(0) == 1);
    CHECK(max_abs_diff(logits.data(), static_cast<size_t>(logits.numel()), floats(c["logits"])) <= kTolerance);
    // The fast path: the last layer only for the first token.
    Tensor fast = model.sequence_classification_logits(batch);
    CHECK(max_abs_diff(fast.data(), static_cast<size_t>(fast.numel()), floats(c["logits"])) <= kTolerance);
  }

  // All texts in one batch of different lengths: the padded-batch logits.
  EncoderBatch batch;
  for (const auto& c : cases) batch.add(ints(c["input_ids"]));
  Tensor hidden = model.forward(batch);
  Tensor logits = model.sequence_classification_logits(hidden, batch);
  CHECK(logits.dim(0) == static_cast<int64_t>(cases.size()));
  CHECK(max_abs_diff(logits.data(), static_cast<size_t>(logits.numel()), floats(g["batched_logits"])) <= kTolerance);
  for (size_t i = 0; i < cases.size(); ++i) {
    CHECK(rows_diff(hidden, batch.begin(static_cast<int64_t>(i)), batch.length(static_cast<int64_t>(i)),
                    cases[i]["last_hidden_state"]) <= kTolerance);
  }
  Tensor fast = model.sequence_classification_logits(batch);
  CHECK(max_abs_diff(fast.data(), static_cast<size_t>(fast.numel()), floats(g["batched_logits"])) <= kTolerance);

  // forward_rows: any rows, any order, equal to the full forward's rows.
  std::vector<int64_t> rows{batch.tokens() - 1, 0, batch.begin(2) + 1, batch.begin(1)};
  Tensor picked = model.forward_rows(batch, rows);
  REQUIRE(picked.dim(0) == static_cast<int64_t>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<float> expected(hidden.row(rows[i]), hidden.row(rows[i]) + hidden.dim(1));
    CHECK(max_abs_diff(picked.row(static_cast<int64_t>(i)), expected.size(), expected) <= 1e-5);
  }

  // The same batch handed over padded, with attention masks.
  size_t longest = 0;
  for (const auto& c : cases) longest = std::max(longest, c["input_ids"].size());
  EncoderBatch padded;
  for (const auto& c : cases) {
    std::vector<int32_t> ids = ints(c["input_ids"]);
    std::vector<int32_t> mask(ids.size(), 1);
    ids.resize(longest, model.config().pad_token_id.value_or(0));
    mask.resize(longest, 0);
    padded.add_padded(ids, mask);
  }
  Tensor padded_logits = model.sequence_classification_logits(model.forward(padded), padded);
  CHECK(max_abs_diff(padded_logits.data(), static_cast<size_t>(padded_logits.numel()), floats(g["batched_logits"])) <=
        kTolerance);
}

void check_masked_lm(const std::string& name) {
  EncoderModel model = load(name);
  REQUIRE(model.head() == EncoderHead::masked_lm);
  const auto g = test::golden(name);
  EncoderBatch all;
  std::vector<int64_t> all_rows;
  std::vector<const nlohmann::json*> all_expected;
  for (const auto& c : g["cases"]) {
    CAPTURE(c["text"].get<std::string>());
    EncoderBatch batch;
    batch.add(ints(c["input_ids"]));
    all.add(ints(c["input_ids"]));
    Tensor hidden = model.forward(batch);
    CHECK(rows_diff(hidden, 0, batch.tokens(), c["last_hidden_state"]) <= kTolerance);

    std::vector<int64_t> rows = c["mask_positions"].get<std::vector<int64_t>>();
    Tensor logits = model.masked_lm_logits(hidden, rows);
    REQUIRE(logits.dim(0) == static_cast<int64_t>(rows.size()));
    CHECK(logits.dim(1) == model.config().vocab_size);
    for (size_t m = 0; m < rows.size(); ++m) {
      const auto& expected = c["mask_logits_top10"][std::to_string(rows[m])];
      const float* row = logits.row(static_cast<int64_t>(m));
      const auto ids = expected["ids"].get<std::vector<int64_t>>();
      const auto values = floats(expected["values"]);
      for (size_t k = 0; k < ids.size(); ++k) CHECK(std::fabs(row[ids[k]] - values[k]) <= kTolerance);
      // Same top-10 ids in the same order.
      std::vector<int64_t> order(static_cast<size_t>(logits.dim(1)));
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + 10, order.end(),
                        [&](int64_t a, int64_t b) { return row[a] > row[b]; });
      CHECK(std::vector<int64_t>(order.begin(), order.begin() + 10) == ids);
      CHECK(std::fabs(log_sum_exp(row, logits.dim(1)) - expected["logsumexp"].get<double>()) <= kTolerance);
      all_rows.push_back(all.begin(all.size() - 1) + rows[m]);
      all_expected.push_back(&expected);
    }
  }
  // Every case in one batch, through the full forward and the fast path
  // (last layer only at the masks): same logits at every mask.
  for (const Tensor& logits : {model.masked_lm_logits(model.forward(all), all_rows), model.masked_lm_logits(all, all_rows)}) {
    for (size_t m = 0; m < all_rows.size(); ++m) {
      const auto ids = (*all_expected[m])["ids"].get<std::vector<int64_t>>();
      const auto values = floats((*all_expected[m])["values"]);
      for (size_t k = 0; k < ids.size(); ++k) {
        CHECK(std::fabs(logits.row(static_cast<int64_t>(m))[ids[k]] - values[k]) <= kTolerance);
      }
      CHECK(std::fabs(log_sum_exp(logits.row(static_cast<int64_t>(m)), logits.dim(1)) -
                      (*all_expected[m])["logsumexp"].get<double>()) <= kTolerance);
    }
  }
}

}  // namespace

TEST_CASE("golden: tiny-bert-sst2 (BertForSequenceClassification)") { check_sequence_classification("tiny-bert-sst2"); }

TEST_CASE("golden: tiny-distilbert-sst2 (DistilBertForSequenceClassification)") {
  check_sequence_classification("tiny-distilbert-sst2");
}

TEST_CASE("golden: tiny-bert-ner (BertForTokenClassification)") {
  EncoderModel model = load("tiny-bert-ner");
  REQUIRE(model.head() == EncoderHead::token_classification);
  const auto g = test::golden("tiny-bert-ner");
  EncoderBatch all;
  for (const auto& c : g["cases"]) {
    CAPTURE(c["text"].get<std::string>());
    EncoderBatch batch;
    batch.add(ints(c["input_ids"]));
    all.add(ints(c["input_ids"]));
    Tensor logits = model.token_classification_logits(model.forward(batch));
    CHECK(logits.dim(0) == batch.tokens());
    CHECK(logits.dim(1) == 9);
    CHECK(max_abs_diff(logits.data(), static_cast<size_t>(logits.numel()), floats(c["logits"])) <= kTolerance);
  }
  Tensor logits = model.token_classification_logits(model.forward(all));
  for (int64_t b = 0; b < all.size(); ++b) {
    CHECK(rows_diff(logits, all.begin(b), all.length(b), g["cases"][static_cast<size_t>(b)]["logits"]) <= kTolerance);
  }
}

TEST_CASE("golden: tiny-distilbert-qa (DistilBertForQuestionAnswering)") {
  EncoderModel model = load("tiny-distilbert-qa");
  REQUIRE(model.head() == EncoderHead::question_answering);
  const auto g = test::golden("tiny-distilbert-qa");
  EncoderBatch all;
  std::vector<const nlohmann::json*> chunks;
  for (const auto& c : g["cases"]) {
    for (const auto& chunk : c["chunks"]) {
      EncoderBatch batch;
      batch.add(ints(chunk["input_ids"]));
      all.add(ints(chunk["input_ids"]));
      chunks.push_back(&chunk);
      Tensor logits = model.question_answering_logits(model.forward(batch));
      REQUIRE(logits.dim(1) == 2);
      std::vector<float> start, end;
      for (int64_t i = 0; i < logits.dim(0); ++i) {
        start.push_back(logits.row(i)[0]);
        end.push_back(logits.row(i)[1]);
      }
      CHECK(max_abs_diff(start.data(), start.size(), floats(chunk["start_logits"])) <= kTolerance);
      CHECK(max_abs_diff(end.data(), end.size(), floats(chunk["end_logits"])) <= kTolerance);
    }
  }
  // All chunks of all questions in one batch.
  Tensor logits = model.question_answering_logits(model.forward(all));
  for (int64_t b = 0; b < all.size(); ++b) {
    const auto start = floats((*chunks[static_cast<size_t>(b)])["start_logits"]);
    for (int64_t i = 0; i < all.length(b); ++i) CHECK(std::fabs(logits.row(all.begin(b) + i)[0] - start[static_cast<size_t>(i)]) <= kTolerance);
  }
}

TEST_CASE("golden: tiny-bert-mlm (BertForMaskedLM)") { check_masked_lm("tiny-bert-mlm"); }

TEST_CASE("golden: tiny-roberta-mlm (RobertaForMaskedLM, float16 weights)") { check_masked_lm("tiny-roberta-mlm"); }

TEST_CASE("golden: tiny-albert-mlm (AlbertForMaskedLM, factorised embedding, shared layers)") {
  check_masked_lm("tiny-albert-mlm");
}

TEST_CASE("golden: tiny-bert-choice (BertForMultipleChoice)") {
  EncoderModel model = load("tiny-bert-choice");
  REQUIRE(model.head() == EncoderHead::multiple_choice);
  const auto g = test::golden("tiny-bert-choice");
  for (const auto& c : g["cases"]) {
    CAPTURE(c["prompt"].get<std::string>());
    // The golden rows are padded to the longest pair, with attention masks.
    EncoderBatch batch;
    for (size_t r = 0; r < c["input_ids"].size(); ++r) {
      batch.add_padded(ints(c["input_ids"][r]), ints(c["attention_mask"][r]), ints(c["token_type_ids"][r]));
    }
    Tensor logits = model.multiple_choice_logits(model.forward(batch), batch);
    CHECK(logits.rank() == 1);
    CHECK(max_abs_diff(logits.data(), static_cast<size_t>(logits.numel()), floats(c["logits"])) <= kTolerance);
    Tensor fast = model.multiple_choice_logits(batch);
    CHECK(max_abs_diff(fast.data(), static_cast<size_t>(fast.numel()), floats(c["logits"])) <= kTolerance);
    // Each pair alone gives the same logit.
    for (size_t r = 0; r < c["input_ids"].size(); ++r) {
      EncoderBatch one;
      one.add_padded(ints(c["input_ids"][r]), ints(c["attention_mask"][r]), ints(c["token_type_ids"][r]));
      Tensor logit = model.multiple_choice_logits(model.forward(one), one);
      CHECK(std::fabs(logit.data()[0] - c["logits"][r].get<float>()) <= kTolerance);
    }
  }
}
