// Loading model folders: config.json errors, missing or mismatched tensors,
// bad inputs, and a fuzz loop over a whole (tiny) model — every problem is a
// ModelError / InputError with a message naming the culprit.
#include <doctest/doctest.h>

#include <random>

#include "core/config.hpp"
#include "core/encoder.hpp"
#include "core/random_model.hpp"
#include "core/registry.hpp"
#include "golden_util.hpp"
#include "temp_dir.hpp"

using namespace xfmr;
using test::expect_model_error;
using test::TempDir;

namespace {

nlohmann::json tiny_bert_config() {
  return nlohmann::json::parse(R"({
    "model_type": "bert", "architectures": ["BertForSequenceClassification"],
    "vocab_size": 16, "hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2,
    "intermediate_size": 12, "max_position_embeddings": 10, "type_vocab_size": 2,
    "hidden_act": "gelu", "layer_norm_eps": 1e-12, "pad_token_id": 0,
    "id2label": {"0": "NO", "1": "YES", "2": "MAYBE"}})");
}

void write_config(const TempDir& dir, const nlohmann::json& config) { test::write_bytes(dir / "config.json", config.dump(2)); }

// A complete tiny model folder.
void write_tiny_model(const TempDir& dir, const nlohmann::json& config) {
  write_config(dir, config);
  write_random_weights(load_model_config(dir.path()), dir / "model.safetensors", 7, 0.5f);
}

std::vector<int32_t> some_ids() { return {1, 5, 9, 3, 2}; }

}  // namespace

TEST_CASE("config: fields are read under each model type's names") {
  ModelConfig bert = load_model_config(test::model_dir("tiny-bert-ner"));
  CHECK(bert.model_type == "bert");
  CHECK(bert.family == ModelFamily::encoder);
  CHECK(bert.architecture() == "BertForTokenClassification");
  CHECK(bert.hidden_size == 32);
  CHECK(bert.head_dim == 8);
  CHECK(bert.num_labels() == 9);
  CHECK(bert.id2label[3] == "B-PER");
  CHECK(bert.pad_token_id == 0);
  CHECK(bert.hidden_act == Activation::gelu);

  ModelConfig distil = load_model_config(test::model_dir("tiny-distilbert-qa"));
  CHECK(distil.hidden_size == 32);
  CHECK(distil.intermediate_size == 64);
  CHECK(distil.type_vocab_size == 0);
  CHECK(distil.num_labels() == 2);  // transformers' default LABEL_0, LABEL_1
  CHECK(distil.id2label[1] == "LABEL_1");

  ModelConfig albert = load_model_config(test::model_dir("tiny-albert-mlm"));
  CHECK(albert.embedding_size == 16);
  CHECK(albert.hidden_act == Activation::gelu_tanh);
  CHECK(albert.eos_token_ids == std::vector<int32_t>{3});

  ModelConfig roberta = load_model_config(test::model_dir("tiny-roberta-mlm"));
  CHECK(roberta.pad_token_id == 1);
  CHECK(roberta.torch_dtype == "float16");

  ModelConfig real = load_model_config(std::filesystem::path(XFMR_FIXTURES) / "real" /
                                       "distilbert--distilbert-base-uncased-finetuned-sst-2-english" / "config.json");
  CHECK(real.hidden_size == 768);
  CHECK(real.num_hidden_layers == 6);
  CHECK(real.label2id.size() == 2);
}

TEST_CASE("config: bad config.json files are ModelErrors naming file and field") {
  TempDir dir;
  test::write_bytes(dir / "config.json", "{\"model_type\": \"bert\",");
  expect_model_error([&] { load_model_config(dir.path()); }, {"config.json", "not valid JSON"});
  test::write_bytes(dir / "config.json", "[1, 2]");
  expect_model_error([&] { load_model_config(dir.path()); }, {"config.json", "not a JSON object"});

  auto config = tiny_bert_config();
  auto expect_field_error = [&](nlohmann::json broken, std::initializer_list<std::string_view> fragments) {
    write_config(dir, broken);
    expect_model_error([&] { load_model_config(dir.path()); }, fragments);
  };
  auto without = [&](const char* key) {
    auto c = config;
    c.erase(key);
    return c;
  };
  auto with = [&](const char* key, nlohmann::json value) {
    auto c = config;
    c[key] = std::move(value);
    return c;
  };
  expect_field_error(without("model_type"), {"config.json", "missing field 'model_type'"});
  expect_field_error(without("hidden_size"), {"config.json", "missing field 'hidden_size'"});
  expect_field_error(without("vocab_size"), {"config.json", "'vocab_size'"});
  expect_field_error(with("model_type", "bort"), {"config.json", "unknown model_type 'bort'", "bert", "distilbert",
                                                  "roberta", "albert"});
  expect_field_error(with("hidden_size", "big"), {"config.json", "'hidden_size'", "integer"});
  expect_field_error(with("hidden_size", -8), {"'hidden_size'"});
  expect_field_error(with("num_attention_heads", 3), {"'num_attention_heads'", "divide"});
  expect_field_error(with("hidden_act", "mish"), {"'hidden_act'", "mish"});
  expect_field_error(with("position_embedding_type", "relative_key"), {"'position_embedding_type'"});
  expect_field_error(with("id2label", {{"zero", "A"}}), {"'id2label'", "zero"});
  expect_field_error(with("architectures", "Bert"), {"'architectures'"});
  expect_field_error(with("layer_norm_eps", "small"), {"'layer_norm_eps'"});

  TempDir missing;
  expect_model_error([&] { load_model_config(missing.path()); }, {"config.json", "cannot open"});
}

TEST_CASE("model: a random tiny model loads and runs; missing or misshapen tensors are named") {
  TempDir dir;
  write_tiny_model(dir, tiny_bert_config());
  EncoderModel model = EncoderModel::load(dir.path());
  EncoderBatch batch;
  batch.add(some_ids());
  Tensor logits = model.sequence_classification_logits(model.forward(batch), batch);
  CHECK(logits.shape() == Shape{1, 3});

  // Another head than the architecture's: a clear ModelError.
  expect_model_error([&] { model.question_answering_logits(model.forward(batch)); },
                     {"BertForSequenceClassification", "question-answering"});

  // Every tensor but one.
  ModelConfig cfg = load_model_config(dir.path());
  std::vector<TensorToWrite> partial;
  for (const auto& spec : expected_tensors(cfg)) {
    if (spec.name != "bert.encoder.layer.1.attention.self.key.weight") partial.push_back({spec.name, spec.shape, {}});
  }
  write_safetensors(dir / "model.safetensors", partial);
  expect_model_error([&] { EncoderModel::load(dir.path()); },
                     {"model.safetensors", "'bert.encoder.layer.1.attention.self.key.weight'", "not found", "bert"});

  // Weights of another size than config.json says.
  write_tiny_model(dir, tiny_bert_config());
  auto bigger = tiny_bert_config();
  bigger["intermediate_size"] = 16;
  write_config(dir, bigger);
  expect_model_error([&] { EncoderModel::load(dir.path()); },
                     {"model.safetensors", "intermediate.dense.weight", "[12, 8]", "[16, 8]"});

  // An architecture without a head the encoder knows.
  auto odd = tiny_bert_config();
  odd["architectures"] = {"BertLMHeadModel"};
  write_config(dir, odd);
  expect_model_error([&] { EncoderModel::load(dir.path()); }, {"config.json", "BertLMHeadModel"});

  // A needed tensor stored in an unsupported dtype (same width, so the header stays valid).
  write_tiny_model(dir, tiny_bert_config());
  std::string bytes = test::read_bytes(dir / "model.safetensors");
  const std::string key = R"("bert.pooler.dense.weight":{"dtype":"F32")";
  const size_t at = bytes.find(key);
  REQUIRE(at != std::string::npos);
  bytes.replace(at + key.size() - 4, 3, "I32");
  test::write_bytes(dir / "model.safetensors", bytes);
  expect_model_error([&] { EncoderModel::load(dir.path()); }, {"model.safetensors", "'bert.pooler.dense.weight'", "I32"});

  TempDir no_weights;
  write_config(no_weights, tiny_bert_config());
  expect_model_error([&] { EncoderModel::load(no_weights.path()); }, {"no model.safetensors"});
}

TEST_CASE("model: bad inputs are InputErrors") {
  TempDir dir;
  write_tiny_model(dir, tiny_bert_config());
  EncoderModel model = EncoderModel::load(dir.path());
  auto run = [&](const EncoderBatch& batch) { model.forward(batch); };

  EncoderBatch out_of_vocab;
  out_of_vocab.add(std::vector<int32_t>{1, 16});
  CHECK_THROWS_AS(run(out_of_vocab), InputError);
  EncoderBatch negative;
  negative.add(std::vector<int32_t>{-1});
  CHECK_THROWS_AS(run(negative), InputError);
  EncoderBatch too_long;
  too_long.add(std::vector<int32_t>(11, 1));
  CHECK_THROWS_AS(run(too_long), InputError);
  EncoderBatch empty_sequence;
  empty_sequence.add(std::vector<int32_t>{});
  CHECK_THROWS_AS(run(empty_sequence), InputError);
  EncoderBatch bad_type;
  bad_type.add(std::vector<int32_t>{1, 2}, std::vector<int32_t>{0, 2});
  CHECK_THROWS_AS(run(bad_type), InputError);

  EncoderBatch batch;
  CHECK_THROWS_AS(batch.add(std::vector<int32_t>{1, 2}, std::vector<int32_t>{0}), InputError);
  CHECK_THROWS_AS(batch.add_padded(std::vector<int32_t>{0, 1, 2}, std::vector<int32_t>{0, 1, 1}), InputError);
  CHECK_THROWS_AS(batch.add_padded(std::vector<int32_t>{1, 2}, std::vector<int32_t>{1}), InputError);

  EncoderBatch empty_batch;
  CHECK(model.forward(empty_batch).dim(0) == 0);
  CHECK(model.sequence_classification_logits(model.forward(empty_batch), empty_batch).dim(0) == 0);
}

TEST_CASE("model: ALBERT groups share weights; a bare base-model checkpoint loads") {
  TempDir dir;
  auto config = tiny_bert_config();
  config["model_type"] = "albert";
  config["architectures"] = {"AlbertForMaskedLM"};
  config["embedding_size"] = 4;
  config["num_hidden_layers"] = 4;
  config["num_hidden_groups"] = 2;
  config["inner_group_num"] = 2;
  write_tiny_model(dir, config);
  ModelConfig cfg = load_model_config(dir.path());
  int layer_weights = 0;
  for (const auto& spec : expected_tensors(cfg)) {
    if (spec.name.find("attention.query.weight") != std::string::npos) ++layer_weights;
  }
  CHECK(layer_weights == 4);  // 2 groups x 2 inner layers, run 4 x 2 times
  EncoderModel model = EncoderModel::load(dir.path());
  EncoderBatch batch;
  batch.add(some_ids());
  std::vector<int64_t> rows{2};
  CHECK(model.masked_lm_logits(model.forward(batch), rows).shape() == Shape{1, 16});

  // A checkpoint saved from BertModel has no "bert." prefix.
  TempDir bare;
  auto base = tiny_bert_config();
  base["architectures"] = {"BertModel"};
  write_config(bare, base);
  std::vector<TensorToWrite> tensors;
  for (const auto& spec : expected_tensors(load_model_config(bare.path()))) {
    REQUIRE(spec.name.rfind("bert.", 0) == 0);
    tensors.push_back({spec.name.substr(5), spec.shape, [](std::span<float> v) { for (auto& x : v) x = 0.5f; }});
  }
  write_safetensors(bare / "model.safetensors", tensors);
  EncoderModel bare_model = EncoderModel::load(bare.path());
  CHECK(bare_model.head() == EncoderHead::none);
  CHECK(bare_model.forward(batch).shape() == Shape{5, 8});
}

TEST_CASE("model: random byte flips in weights header and config never crash") {
  TempDir dir;
  write_tiny_model(dir, tiny_bert_config());
  const std::string weights = test::read_bytes(dir / "model.safetensors");
  const std::string config = test::read_bytes(dir / "config.json");
  uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | static_cast<unsigned char>(weights[static_cast<size_t>(i)]);
  std::mt19937 rng(99);
  int loaded = 0;
  int rejected = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    std::string w = weights;
    std::string c = config;
    for (int f = 0; f < 1 + static_cast<int>(rng() % 3); ++f) {
      if (rng() % 4 == 0) {
        c[rng() % c.size()] = static_cast<char>("0123456789{}[]\",: -e"[rng() % 20]);
      } else {
        w[8 + rng() % header_size] = static_cast<char>("0123456789{}[]\",: FIB"[rng() % 21]);
      }
    }
    test::write_bytes(dir / "model.safetensors", w);
    test::write_bytes(dir / "config.json", c);
    try {
      EncoderModel model = EncoderModel::load(dir.path());
      EncoderBatch batch;
      batch.add(some_ids());
      model.forward(batch);
      ++loaded;
    } catch (const ModelError&) {
      ++rejected;
    } catch (const InputError&) {
      ++rejected;
    }
  }
  MESSAGE("fuzzed model folders that still loaded: " << loaded << " / 300");
  CHECK(loaded + rejected == 300);
  CHECK(rejected > 200);  // most flips break the JSON, a shape, an offset or a field
}
