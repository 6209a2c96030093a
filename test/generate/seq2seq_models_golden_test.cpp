// tiny-t5, tiny-bart and tiny-marian decoded through generate/decode.hpp with
// the model's GenerationConfig (config.json + generation_config.json + the
// case's generate() kwargs): every golden `generate` case gives transformers'
// ids exactly (decoder start token included) and its beam `sequences_scores`
// within 1e-4; a batch of sources gives the ids of each source alone; beam
// search over the caches (self-attention reorder, shared cross-attention)
// equals beam search recomputing every prefix from scratch.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/seq2seq.hpp"
#include "core/seq2seq_session.hpp"
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

std::vector<std::vector<int32_t>> golden_sources(const std::string& name) {
  std::vector<std::vector<int32_t>> sources;
  const json golden = read_json(model_dir(name) + "/golden.json");
  for (const auto& c : golden.at("cases")) {
    sources.push_back(c.at("input_ids").get<std::vector<int32_t>>());
  }
  return sources;
}

// Decodes `sources` together: each source's decoder starts from the start token.
std::vector<DecodedInput> generate(Seq2SeqSession& session, const std::vector<std::vector<int32_t>>& sources,
                                   const GenerationConfig& config) {
  session.encode(sources);
  const int32_t start = decoder_start_token(config).value();
  return decode(session, std::vector<std::vector<int32_t>>(sources.size(), {start}), config);
}

// A StepModel without caches: every call encodes the row's source again and
// runs its whole decoder prefix as the prompt of a fresh start(). The
// reference for the caches, beam reorder and the sharing of cross-attention.
class RecomputingModel final : public StepModel {
 public:
  RecomputingModel(const Seq2SeqModel& model, std::vector<std::vector<int32_t>> sources)
      : model_(model), session_(model), sources_(std::move(sources)) {}
  int32_t vocab_size() const override { return model_.vocab_size(); }
  void start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) override {
    rows_.clear();
    row_source_.clear();
    for (size_t p = 0; p < prompts.size(); ++p) {
      for (int32_t c = 0; c < copies; ++c) {
        rows_.push_back(prompts[p]);
        row_source_.push_back(p);
      }
    }
    write(logits);
  }
  void step(std::span<const int32_t> tokens, std::span<float> logits) override {
    for (size_t r = 0; r < rows_.size(); ++r) rows_[r].push_back(tokens[r]);
    write(logits);
  }
  void reorder(std::span<const int32_t> parents) override {
    std::vector<std::vector<int32_t>> moved;
    std::vector<size_t> moved_source;
    for (int32_t p : parents) {
      moved.push_back(rows_[static_cast<size_t>(p)]);
      moved_source.push_back(row_source_[static_cast<size_t>(p)]);
    }
    rows_ = std::move(moved);
    row_source_ = std::move(moved_source);
  }

 private:
  void write(std::span<float> logits) {
    const auto vocab = static_cast<size_t>(model_.vocab_size());
    for (size_t r = 0; r < rows_.size(); ++r) {
      session_.encode({sources_[row_source_[r]]});
      session_.start({rows_[r]}, 1, logits.subspan(r * vocab, vocab));
    }
  }
  const Seq2SeqModel& model_;
  Seq2SeqSession session_;
  std::vector<std::vector<int32_t>> sources_;
  std::vector<std::vector<int32_t>> rows_;
  std::vector<size_t> row_source_;
};

test::Tally check_seq2seq_goldens(const std::string& name) {
  const Seq2SeqModel model = Seq2SeqModel::load(model_dir(name));
  Seq2SeqSession session(model);
  return test::check_generate_goldens(name, "source", [&](const std::vector<int32_t>& source, const GenerationConfig& config) {
    return generate(session, {source}, config).at(0);
  });
}

}  // namespace

TEST_CASE("generate goldens: tiny-t5, every case identical") {
  test::check_all_identical("tiny-t5", check_seq2seq_goldens("tiny-t5"), 18);
}

TEST_CASE("generate goldens: tiny-bart (forced BOS and EOS), every case identical") {
  test::check_all_identical("tiny-bart", check_seq2seq_goldens("tiny-bart"), 9);
}

TEST_CASE("generate goldens: tiny-marian (forced EOS), every case identical") {
  test::check_all_identical("tiny-marian", check_seq2seq_goldens("tiny-marian"), 18);
}

TEST_CASE("a batch of sources gives the ids of each source alone, greedy and beams") {
  for (const std::string name : {"tiny-t5", "tiny-bart", "tiny-marian"}) {
    CAPTURE(name);
    const Seq2SeqModel model = Seq2SeqModel::load(model_dir(name));
    Seq2SeqSession session(model);
    std::vector<std::vector<int32_t>> sources = golden_sources(name);
    sources.push_back({sources[0].begin(), sources[0].begin() + 3});  // a prefix of another source
    sources.push_back(sources.back());                                // the same source twice
    for (const json& kwargs : {json{{"max_new_tokens", 12}}, json{{"max_new_tokens", 12}, {"repetition_penalty", 1.3}},
                               json{{"max_new_tokens", 12}, {"num_beams", 4}},
                               json{{"max_new_tokens", 9}, {"num_beams", 5}, {"num_return_sequences", 3}}}) {
      CAPTURE(kwargs.dump());
      const GenerationConfig config = config_for(name, kwargs);
      const auto together = generate(session, sources, config);
      REQUIRE(together.size() == sources.size());
      for (size_t i = 0; i < sources.size(); ++i) {
        CAPTURE(i);
        const auto alone = generate(session, {sources[i]}, config);
        CHECK(tokens_of(together[i].sequences) == tokens_of(alone[0].sequences));
        for (size_t s = 0; s < alone[0].sequences.size(); ++s)
          CHECK(std::fabs(together[i].sequences[s].score - alone[0].sequences[s].score) <= 1e-5);
      }
    }
  }
}

TEST_CASE("seq2seq beam search over the caches equals beam search recomputing every prefix") {
  for (const std::string name : {"tiny-t5", "tiny-bart", "tiny-marian"}) {
    CAPTURE(name);
    const Seq2SeqModel model = Seq2SeqModel::load(model_dir(name));
    Seq2SeqSession session(model);
    const auto sources = golden_sources(name);
    RecomputingModel reference(model, sources);
    for (const json& kwargs : {json{{"max_new_tokens", 16}, {"num_beams", 4}},
                               json{{"max_new_tokens", 16}, {"num_beams", 3}, {"no_repeat_ngram_size", 2}}}) {
      CAPTURE(kwargs.dump());
      const GenerationConfig config = config_for(name, kwargs);
      const auto cached = generate(session, sources, config);
      const int32_t start = decoder_start_token(config).value();
      const auto recomputed = decode(reference, std::vector<std::vector<int32_t>>(sources.size(), {start}), config);
      for (size_t i = 0; i < sources.size(); ++i) {
        CAPTURE(i);
        CHECK(tokens_of(cached[i].sequences) == tokens_of(recomputed[i].sequences));
        for (size_t s = 0; s < cached[i].sequences.size(); ++s)
          CHECK(std::fabs(cached[i].sequences[s].score - recomputed[i].sequences[s].score) <= 1e-4);
      }
      // Beams shared the start token's block and swapped tables.
      CHECK(session.cache().blocks_in_use() <= session.rows() * 2);
    }
  }
}
