// The tokenizers of test/fixtures/models/*: the input ids, pair encodings,
// offsets, doc-stride chunks and decoded generations their golden.json holds,
// from tokenizer.json and from the legacy files where the folder has both.
#include <doctest/doctest.h>

#include <iostream>

#include "golden_util.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::tok::test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

bool has_legacy_files(const fs::path& dir) {
  for (const char* f : {"vocab.txt", "vocab.json", "spiece.model", "tokenizer.model", "source.spm"}) {
    if (fs::exists(dir / f)) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::unique_ptr<Tokenizer>>> tokenizers_of(const fs::path& dir) {
  std::vector<std::pair<std::string, std::unique_ptr<Tokenizer>>> out;
  out.emplace_back("from_folder", Tokenizer::from_folder(dir));
  if (fs::exists(dir / "tokenizer.json") && has_legacy_files(dir)) {
    out.emplace_back("legacy", Tokenizer::from_legacy_files(dir));
  }
  return out;
}

std::string text_of(const json& c) {
  for (const char* key : {"text", "source", "prompt"}) {
    if (c.contains(key)) return c[key].get<std::string>();
  }
  return {};
}

}  // namespace

TEST_CASE("model folders: input ids of every golden text, from each tokenizer") {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fixtures() / "models")) {
    const fs::path dir = entry.path();
    if (!fs::exists(dir / "golden.json")) continue;
    const json golden = load_json(dir / "golden.json");
    for (const auto& [path, tok] : tokenizers_of(dir)) {
      CAPTURE(dir.filename().string());
      CAPTURE(path);
      for (const json& c : golden["cases"]) {
        const std::string text = text_of(c);
        if (text.empty() || !c.contains("input_ids") || !c["input_ids"].is_array() || c["input_ids"].empty() ||
            !c["input_ids"][0].is_number()) {
          continue;
        }
        CAPTURE(text);
        auto ids = c["input_ids"].get<std::vector<int32_t>>();
        CHECK(show(tok->encode(text).ids) == show(ids));
        ++checked;
      }
    }
  }
  CHECK(checked >= 20);
}

TEST_CASE("model folders: generated sequences decode to the golden texts") {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fixtures() / "models")) {
    const fs::path dir = entry.path();
    if (!fs::exists(dir / "golden.json")) continue;
    const json golden = load_json(dir / "golden.json");
    for (const auto& [path, tok] : tokenizers_of(dir)) {
      CAPTURE(dir.filename().string());
      CAPTURE(path);
      for (const json& c : golden["cases"]) {
        if (!c.contains("generate")) continue;
        for (const json& g : c["generate"]) {
          for (size_t i = 0; i < g["sequences"].size(); ++i) {
            auto seq = g["sequences"][i].get<std::vector<int32_t>>();
            CHECK(tok->decode(seq, true) == g["texts"][i].get<std::string>());
            ++checked;
          }
        }
      }
    }
  }
  CHECK(checked >= 50);
}

TEST_CASE("multiple choice pairs: ids, type ids and padding") {
  const fs::path dir = fixtures() / "models" / "tiny-bert-choice";
  const json golden = load_json(dir / "golden.json");
  for (const auto& [path, tok] : tokenizers_of(dir)) {
    CAPTURE(path);
    for (const json& c : golden["cases"]) {
      std::vector<Encoding> batch;
      for (const auto& candidate : c["candidates"]) {
        batch.push_back(tok->encode_pair(c["prompt"].get<std::string>(), candidate.get<std::string>()));
      }
      pad(batch, *tok->special_ids().pad, PaddingSide::right);
      for (size_t i = 0; i < batch.size(); ++i) {
        CHECK(show(batch[i].ids) == show(c["input_ids"][i].get<std::vector<int32_t>>()));
        CHECK(show(batch[i].type_ids) == show(c["token_type_ids"][i].get<std::vector<int32_t>>()));
        std::vector<int> mask(batch[i].attention_mask.begin(), batch[i].attention_mask.end());
        CHECK(show(mask) == show(c["attention_mask"][i].get<std::vector<int>>()));
      }
    }
  }
}

TEST_CASE("left-padded batches for generation") {
  for (const char* model : {"tiny-gpt2", "tiny-llama"}) {
    const fs::path dir = fixtures() / "models" / model;
    const json golden = load_json(dir / "golden.json");
    if (!golden.contains("left_padded_batch_greedy")) continue;
    const json& b = golden["left_padded_batch_greedy"];
    auto expected = b["input_ids"].get<std::vector<std::vector<int32_t>>>();
    for (const auto& [path, tok] : tokenizers_of(dir)) {
      CAPTURE(model);
      CAPTURE(path);
      std::vector<Encoding> batch;
      for (const auto& p : b["prompts"]) batch.push_back(tok->encode(p.get<std::string>()));
      // The pad id is the one the golden batch uses (the eos when the model has no pad).
      int32_t pad_id = expected[1][0];
      pad(batch, pad_id, PaddingSide::left);
      for (size_t i = 0; i < batch.size(); ++i) CHECK(show(batch[i].ids) == show(expected[i]));
    }
  }
}

TEST_CASE("ner offsets are the golden code point offsets") {
  const fs::path dir = fixtures() / "models" / "tiny-bert-ner";
  const json golden = load_json(dir / "golden.json");
  for (const auto& [path, tok] : tokenizers_of(dir)) {
    CAPTURE(path);
    for (const json& c : golden["cases"]) {
      auto e = tok->encode(c["text"].get<std::string>());
      std::vector<uint32_t> got;
      for (const auto& o : e.offsets) {
        got.push_back(o.start);
        got.push_back(o.end);
      }
      std::vector<uint32_t> want;
      for (const auto& o : c["offsets"]) {
        want.push_back(o[0].get<uint32_t>());
        want.push_back(o[1].get<uint32_t>());
      }
      CHECK(show(got) == show(want));
      CHECK(show(e.ids) == show(c["input_ids"].get<std::vector<int32_t>>()));
    }
    REQUIRE(tok->continuing_subword_prefix().has_value());
    CHECK(*tok->continuing_subword_prefix() == "##");
  }
}

TEST_CASE("question answering chunks: only_second truncation with stride and overflow") {
  const fs::path dir = fixtures() / "models" / "tiny-distilbert-qa";
  const json golden = load_json(dir / "golden.json");
  int chunks = 0;
  for (const auto& [path, tok] : tokenizers_of(dir)) {
    CAPTURE(path);
    for (const json& c : golden["cases"]) {
      EncodeOptions o;
      o.max_length = c["max_seq_len"].get<size_t>();
      o.truncation = Truncation::only_second;
      o.stride = c["doc_stride"].get<size_t>();
      o.return_overflowing = true;
      auto e = tok->encode_pair(c["question"].get<std::string>(), c["context"].get<std::string>(), o);
      std::vector<const Encoding*> all = {&e};
      for (const auto& over : e.overflowing) all.push_back(&over);
      REQUIRE(all.size() == c["chunks"].size());
      for (size_t i = 0; i < all.size(); ++i) {
        CHECK(show(all[i]->ids) == show(c["chunks"][i]["input_ids"].get<std::vector<int32_t>>()));
        // Context tokens carry sequence id 1 and offsets into the context.
        const std::string context = c["context"].get<std::string>();
        for (size_t k = 0; k < all[i]->ids.size(); ++k) {
          if (all[i]->sequence_ids[k] == 1) CHECK(all[i]->offsets[k].end <= context.size());
        }
        ++chunks;
      }
    }
  }
  CHECK(chunks >= 6);
}

}  // namespace xfmr::tok::test
