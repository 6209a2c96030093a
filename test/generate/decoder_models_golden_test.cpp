// tiny-gpt2 and tiny-llama decoded through generate/decode.hpp with the model's
// GenerationConfig (config.json + generation_config.json + the case's
// generate() kwargs): every golden `generate` case gives transformers' ids
// exactly and its beam `sequences_scores` within 1e-4; the left-padded batch
// of tiny-gpt2; batches equal single prompts; beam search over the KV cache
// (reorder) equals beam search over a model that recomputes every prefix.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/decoder.hpp"
#include "core/decoder_session.hpp"
#include "generate/decode.hpp"
#include "model_goldens.hpp"

using namespace xfmr;
using namespace xfmr::gen;
using nlohmann::json;
using test::config_for;
using test::model_dir;
using test::read_json;
using test::tokens_of;

namespace {

// A StepModel without a cache: every call runs the whole prefix of every row
// through DecoderModel::forward. The reference for start / step / reorder.
class RecomputingModel final : public StepModel {
 public:
  explicit RecomputingModel(const DecoderModel& model) : model_(model) {}
  int32_t vocab_size() const override { return model_.vocab_size(); }
  void start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) override {
    rows_.clear();
    for (const auto& p : prompts)
      for (int32_t c = 0; c < copies; ++c) rows_.push_back(p);
    write(logits);
  }
  void step(std::span<const int32_t> tokens, std::span<float> logits) override {
    for (size_t r = 0; r < rows_.size(); ++r) rows_[r].push_back(tokens[r]);
    write(logits);
  }
  void reorder(std::span<const int32_t> parents) override {
    std::vector<std::vector<int32_t>> moved;
    for (int32_t p : parents) moved.push_back(rows_[static_cast<size_t>(p)]);
    rows_ = std::move(moved);
  }

 private:
  void write(std::span<float> logits) {
    const auto vocab = static_cast<size_t>(model_.vocab_size());
    for (size_t r = 0; r < rows_.size(); ++r) {
      const auto out = model_.forward(rows_[r]);
      std::memcpy(logits.data() + r * vocab, out.logits.row(out.logits.dim(0) - 1), vocab * sizeof(float));
    }
  }
  const DecoderModel& model_;
  std::vector<std::vector<int32_t>> rows_;
};

test::Tally check_decoder_goldens(const std::string& name) {
  const DecoderModel model = DecoderModel::load(model_dir(name));
  DecoderSession session(model);
  return test::check_generate_goldens(name, "prompt", [&](const std::vector<int32_t>& prompt, const GenerationConfig& config) {
    return decode(session, {prompt}, config).at(0);
  });
}

}  // namespace

TEST_CASE("generate goldens: tiny-gpt2, every case identical") {
  test::check_all_identical("tiny-gpt2", check_decoder_goldens("tiny-gpt2"), 27);
}

TEST_CASE("generate goldens: tiny-llama, every case identical") {
  test::check_all_identical("tiny-llama", check_decoder_goldens("tiny-llama"), 12);
}

TEST_CASE("tiny-gpt2 left-padded batch: each prompt decoded at its own length in one batch") {
  const DecoderModel model = DecoderModel::load(model_dir("tiny-gpt2"));
  DecoderSession session(model);
  const json batch = read_json(model_dir("tiny-gpt2") + "/golden.json").at("left_padded_batch_greedy");
  std::vector<std::vector<int32_t>> prompts, expected;
  for (size_t i = 0; i < batch.at("input_ids").size(); ++i) {
    const auto ids = batch.at("input_ids")[i].get<std::vector<int32_t>>();
    const auto mask = batch.at("attention_mask")[i].get<std::vector<int32_t>>();
    const auto sequence = batch.at("sequences")[i].get<std::vector<int32_t>>();
    std::vector<int32_t> prompt;
    for (size_t t = 0; t < ids.size(); ++t)
      if (mask[t] == 1) prompt.push_back(ids[t]);
    prompts.push_back(prompt);
    // The golden row without its left padding (the mask covers the prompt).
    expected.emplace_back(sequence.begin() + static_cast<std::ptrdiff_t>(ids.size() - prompt.size()), sequence.end());
  }
  // transformers ran generate() with the default max_length 20 over the padded
  // length 10: 10 new tokens for every row. Asking each prompt for 10 new tokens
  // reproduces the rows exactly.
  const auto out = decode(session, prompts, config_for("tiny-gpt2", {{"max_new_tokens", 10}}));
  for (size_t i = 0; i < prompts.size(); ++i) {
    CAPTURE(i);
    CHECK(out[i].sequences[0].tokens == expected[i]);
  }
  // With max_length 20 as the golden had it, xfmr counts each prompt's own
  // length: the shorter prompts go on further, the golden row being the start
  // of each. (Given explicitly: xfmr reads a max_length left at its default 20
  // as 20 new tokens, see generate/generation_config.hpp.)
  const auto own = decode(session, prompts, config_for("tiny-gpt2", {{"max_length", 20}}));
  for (size_t i = 0; i < prompts.size(); ++i) {
    CAPTURE(i);
    const auto& tokens = own[i].sequences[0].tokens;
    CHECK(tokens.size() == 20);
    REQUIRE(tokens.size() >= expected[i].size());
    CHECK(std::equal(expected[i].begin(), expected[i].end(), tokens.begin()));
  }
}

TEST_CASE("a batch of prompts gives the ids of each prompt alone, greedy and beams") {
  for (const std::string name : {"tiny-gpt2", "tiny-llama"}) {
    CAPTURE(name);
    const DecoderModel model = DecoderModel::load(model_dir(name));
    DecoderSession session(model);
    const json golden = read_json(model_dir(name) + "/golden.json");
    std::vector<std::vector<int32_t>> prompts;
    for (const auto& c : golden.at("cases")) prompts.push_back(c.at("input_ids").get<std::vector<int32_t>>());
    prompts.push_back({prompts[0].begin(), prompts[0].begin() + 4});  // a prefix of another prompt
    for (const json& kwargs : {json{{"max_new_tokens", 12}}, json{{"max_new_tokens", 12}, {"repetition_penalty", 1.3}},
                               json{{"max_new_tokens", 12}, {"num_beams", 4}},
                               json{{"max_new_tokens", 9}, {"num_beams", 5}, {"num_return_sequences", 3}}}) {
      CAPTURE(kwargs.dump());
      const GenerationConfig config = config_for(name, kwargs);
      const auto together = decode(session, prompts, config);
      for (size_t i = 0; i < prompts.size(); ++i) {
        CAPTURE(i);
        const auto alone = decode(session, {prompts[i]}, config);
        CHECK(tokens_of(together[i].sequences) == tokens_of(alone[0].sequences));
        for (size_t s = 0; s < alone[0].sequences.size(); ++s)
          CHECK(std::fabs(together[i].sequences[s].score - alone[0].sequences[s].score) <= 1e-5);
      }
    }
  }
}

TEST_CASE("beam search over the KV cache equals beam search recomputing every prefix") {
  for (const std::string name : {"tiny-gpt2", "tiny-llama"}) {
    CAPTURE(name);
    const DecoderModel model = DecoderModel::load(model_dir(name));
    DecoderSession session(model);
    RecomputingModel reference(model);
    const json golden = read_json(model_dir(name) + "/golden.json");
    std::vector<std::vector<int32_t>> prompts;
    for (const auto& c : golden.at("cases")) prompts.push_back(c.at("input_ids").get<std::vector<int32_t>>());
    for (const json& kwargs : {json{{"max_new_tokens", 20}, {"num_beams", 4}},
                               json{{"max_new_tokens", 20}, {"num_beams", 5}, {"num_return_sequences", 3}},
                               json{{"max_new_tokens", 20}, {"num_beams", 3}, {"no_repeat_ngram_size", 2}}}) {
      CAPTURE(kwargs.dump());
      const GenerationConfig config = config_for(name, kwargs);
      const auto cached = decode(session, prompts, config);
      const auto recomputed = decode(reference, prompts, config);
      for (size_t i = 0; i < prompts.size(); ++i) {
        CAPTURE(i);
        CHECK(tokens_of(cached[i].sequences) == tokens_of(recomputed[i].sequences));
        for (size_t s = 0; s < cached[i].sequences.size(); ++s)
          CHECK(std::fabs(cached[i].sequences[s].score - recomputed[i].sequences[s].score) <= 1e-5);
      }
      // Beams shared the prompt's blocks and swapped tables: far fewer blocks
      // than rows x length.
      CHECK(session.cache().blocks_in_use() <= session.rows() * 3);
    }
  }
}
