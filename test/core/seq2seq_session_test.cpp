// Seq2SeqSession on its own: a packed batch of sources gives each source's
// encoder states and logits alone; a multi-token decoder prompt equals its
// first token followed by steps; copies share their prompt; bad input is an
// InputError that leaves the session usable. Also random-weight T5 v1.1
// (gated MLP, untied head), unshared-embedding Marian.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "core/random_model.hpp"
#include "core/seq2seq.hpp"
#include "core/seq2seq_session.hpp"
#include "golden_util.hpp"
#include "temp_dir.hpp"

using namespace xfmr;
using nlohmann::json;
using xfmr::test::max_abs_diff;

namespace {

std::vector<std::vector<int32_t>> golden_sources(const std::string& name) {
  std::vector<std::vector<int32_t>> sources;
  const json golden = test::golden(name);
  for (const auto& c : golden.at("cases")) sources.push_back(c.at("input_ids").get<std::vector<int32_t>>());
  return sources;
}

std::vector<float> values(const Tensor& t) { return {t.data(), t.data() + t.numel()}; }

int32_t start_token(const Seq2SeqModel& model) { return model.config().decoder_start_token_id.value_or(0); }

// Batch of sources (2 copies each) against each source alone: encoder states
// and first-step logits within 1e-5.
void check_batch_equals_singles(const Seq2SeqModel& model, std::vector<std::vector<int32_t>> sources) {
  const auto vocab = static_cast<size_t>(model.vocab_size());
  Seq2SeqSession together(model);
  Seq2SeqSession alone(model);
  together.encode(sources);
  std::vector<float> batch_logits(sources.size() * 2 * vocab);
  together.start(std::vector<std::vector<int32_t>>(sources.size(), {start_token(model)}), 2, batch_logits);
  std::vector<float> logits(vocab);
  for (size_t s = 0; s < sources.size(); ++s) {
    CAPTURE(s);
    alone.encode({sources[s]});
    CHECK(max_abs_diff(together.encoder_states(static_cast<int64_t>(s)).data(),
                       static_cast<size_t>(together.encoder_states(static_cast<int64_t>(s)).numel()),
                       values(alone.encoder_states(0))) <= 1e-5);
    alone.start({{start_token(model)}}, 1, logits);
    for (size_t c = 0; c < 2; ++c) {
      CHECK(max_abs_diff(batch_logits.data() + (2 * s + c) * vocab, vocab, logits) <= 1e-5);
    }
  }
}

// start({t0, t1, t2}) against start({t0}) + step(t1) + step(t2).
void check_prompt_equals_steps(const Seq2SeqModel& model, const std::vector<int32_t>& source) {
  const auto vocab = static_cast<size_t>(model.vocab_size());
  const std::vector<int32_t> prompt = {start_token(model), 5, 9, 5};
  Seq2SeqSession whole(model);
  Seq2SeqSession stepped(model);
  whole.encode({source});
  stepped.encode({source});
  std::vector<float> expected(vocab), logits(vocab);
  whole.start({prompt}, 1, expected);
  stepped.start({{prompt[0]}}, 1, logits);
  for (size_t i = 1; i < prompt.size(); ++i) stepped.step(std::span<const int32_t>(&prompt[i], 1), logits);
  CHECK(max_abs_diff(logits.data(), vocab, expected) <= 1e-4);
}

Seq2SeqModel random_model(const test::TempDir& dir, const json& raw) {
  {
    std::ofstream(dir / "config.json") << raw.dump();
  }
  const ModelConfig cfg = load_model_config(dir.path());
  write_random_weights(cfg, dir / "model.safetensors", 11, 0.3f);
  return Seq2SeqModel::load(dir.path());
}

}  // namespace

TEST_CASE("seq2seq session: a packed batch of sources equals each source alone; prompts equal steps") {
  for (const std::string name : {"tiny-t5", "tiny-bart", "tiny-marian"}) {
    CAPTURE(name);
    const Seq2SeqModel model = Seq2SeqModel::load(test::model_dir(name));
    auto sources = golden_sources(name);
    sources.push_back({sources[0].begin(), sources[0].begin() + 2});
    sources.push_back(sources[0]);
    check_batch_equals_singles(model, sources);
    check_prompt_equals_steps(model, sources[0]);
  }
}

TEST_CASE("seq2seq session: bad sources, prompts, tokens and sizes are InputErrors; the session stays usable") {
  const Seq2SeqModel model = Seq2SeqModel::load(test::model_dir("tiny-marian"));
  Seq2SeqSession session(model);
  const auto vocab = static_cast<size_t>(model.vocab_size());
  std::vector<float> logits(vocab);
  const int32_t start = start_token(model);
  CHECK(model.max_source_length() == 256);
  CHECK_THROWS_AS(session.encode({{}}), InputError);
  CHECK_THROWS_AS(session.encode({{1, 2, 65001}}), InputError);
  CHECK_THROWS_AS(session.encode({{1, -2}}), InputError);
  CHECK_THROWS_AS(session.encode({std::vector<int32_t>(257, 5)}), InputError);
  session.encode({{1, 2, 0}});
  CHECK_THROWS_AS(session.start({{start}, {start}}, 1, logits), InputError);  // one source only
  CHECK_THROWS_AS(session.start({{start}}, 0, logits), InputError);
  CHECK_THROWS_AS(session.start({{start}}, 2, logits), InputError);  // logits for one row
  CHECK_THROWS_AS(session.start({{}}, 1, logits), InputError);
  CHECK_THROWS_AS(session.start({{70000}}, 1, logits), InputError);
  session.start({{start}}, 1, logits);
  const std::vector<float> first = logits;
  const int32_t bad = 65001;
  CHECK_THROWS_AS(session.step(std::span<const int32_t>(&bad, 1), logits), InputError);
  CHECK_THROWS_AS(session.step(std::span<const int32_t>(), logits), InputError);
  const int32_t parent = 1;
  CHECK_THROWS_AS(session.reorder(std::span<const int32_t>(&parent, 1)), InputError);
  CHECK_THROWS_AS(session.encoder_states(1), InputError);
  session.start({{start}}, 1, logits);
  CHECK(max_abs_diff(logits.data(), vocab, first) == 0.0);

  // The decoder positions end at max_position_embeddings (256).
  std::vector<int32_t> long_prompt(256, 5);
  long_prompt[0] = start;
  session.start({long_prompt}, 1, logits);
  const int32_t next = 7;
  CHECK_THROWS_AS(session.step(std::span<const int32_t>(&next, 1), logits), InputError);
  long_prompt.push_back(5);
  CHECK_THROWS_AS(session.start({long_prompt}, 1, logits), InputError);

  // No sources: nothing to start but an empty batch.
  session.encode({});
  CHECK(session.sources() == 0);
  session.start({}, 1, std::span<float>());
}

TEST_CASE("seq2seq models with random weights: T5 v1.1 (gated, untied head) and Marian with separate embeddings") {
  test::TempDir t5_dir;
  const json flan = {{"model_type", "t5"}, {"architectures", {"T5ForConditionalGeneration"}}, {"d_model", 16},
                     {"d_kv", 6}, {"d_ff", 24}, {"num_layers", 2}, {"num_decoder_layers", 3}, {"num_heads", 3},
                     {"vocab_size", 40}, {"feed_forward_proj", "gated-gelu"}, {"tie_word_embeddings", false},
                     {"relative_attention_num_buckets", 8}, {"relative_attention_max_distance", 20},
                     {"decoder_start_token_id", 0}};
  const Seq2SeqModel t5 = random_model(t5_dir, flan);
  CHECK(t5.lm_head_scale() == 1.0f);  // untied: no rescaling
  CHECK(t5.max_source_length() == 0);
  const std::vector<std::vector<int32_t>> sources = {{3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 1}, {7, 1}, {2, 3, 1}};
  check_batch_equals_singles(t5, sources);
  check_prompt_equals_steps(t5, sources[0]);

  test::TempDir marian_dir;
  const json marian = {{"model_type", "marian"}, {"architectures", {"MarianMTModel"}}, {"d_model", 16},
                       {"encoder_layers", 2}, {"decoder_layers", 1}, {"encoder_attention_heads", 4},
                       {"decoder_attention_heads", 2}, {"encoder_ffn_dim", 20}, {"decoder_ffn_dim", 12},
                       {"vocab_size", 30}, {"decoder_vocab_size", 25}, {"share_encoder_decoder_embeddings", false},
                       {"max_position_embeddings", 32}, {"scale_embedding", true}, {"pad_token_id", 24},
                       {"decoder_start_token_id", 24}, {"activation_function", "swish"}};
  const Seq2SeqModel unshared = random_model(marian_dir, marian);
  CHECK(unshared.vocab_size() == 25);
  CHECK(unshared.embedding_scale() == 4.0f);
  check_batch_equals_singles(unshared, {{29, 3, 0}, {28, 27, 26, 25, 1, 0}});
  check_prompt_equals_steps(unshared, {29, 3, 0});
  Seq2SeqSession session(unshared);
  CHECK_THROWS_AS(session.encode({{30}}), InputError);  // encoder vocabulary: 30
  session.encode({{29}});
  std::vector<float> logits(25);
  CHECK_THROWS_AS(session.start({{25}}, 1, logits), InputError);  // decoder vocabulary: 25
}

