// Every case of test/fixtures/tokenizers/*.golden.json, from tokenizer.json
// and, separately, from the legacy files.
#include <doctest/doctest.h>

#include <functional>
#include <iostream>

#include "golden_util.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/tokenizer.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok::test {
namespace {

using nlohmann::json;

struct Outcome {
  int passed = 0;
  int total = 0;
  std::vector<std::string> failures;
  void check(bool ok, const std::string& what) {
    ++total;
    if (ok) {
      ++passed;
    } else if (failures.size() < 12) {
      failures.push_back(what);
    }
  }
};

template <class T>
std::vector<T> as_vector(const json& j) {
  return j.get<std::vector<T>>();
}

// Runs one golden file against one tokenizer; `slow` picks the legacy values.
// MarianTokenizer (transformers' default create_token_type_ids_from_sequences)
// lists no type id for the final </s>; our encodings keep one per token, so
// the golden list is compared with that last value appended.
Outcome run_golden(const json& golden, const Tokenizer& tok, bool slow) {
  Outcome r;
  const bool marian_quirk = tok.kind() == "marian";
  int index = 0;
  for (const json& c : golden["cases"]) {
    const json* expected = &c;
    json merged;
    if (slow && c.contains("slow")) {
      merged = c;
      for (const auto& [k, v] : c["slow"].items()) merged[k] = v;
      expected = &merged;
    }
    const json& e = *expected;
    const std::string label = "case " + std::to_string(index++) + " " + c["text"].dump() +
                              (c.contains("text_pair") ? " + " + c["text_pair"].dump() : "") +
                              (c["add_special_tokens"].get<bool>() ? "" : " (no specials)");
    EncodeOptions options;
    options.add_special_tokens = c["add_special_tokens"].get<bool>();
    Encoding enc;
    try {
      enc = c.contains("text_pair") && !c["text_pair"].is_null()
                ? tok.encode_pair(c["text"].get<std::string>(), c["text_pair"].get<std::string>(), options)
                : tok.encode(c["text"].get<std::string>(), options);
    } catch (const std::exception& ex) {
      r.check(false, label + ": threw " + ex.what());
      continue;
    }
    bool ok = true;
    std::string why;
    auto expect = [&](bool good, const std::string& what) {
      if (!good && ok) why = what;
      ok = ok && good;
    };
    auto ids = as_vector<int32_t>(e["input_ids"]);
    expect(enc.ids == ids, "ids " + show(enc.ids) + " != " + show(ids));
    auto tokens = as_vector<std::string>(e["tokens"]);
    expect(enc.tokens == tokens, "tokens " + show(enc.tokens) + " != " + show(tokens));
    // The slow values of a noted case give ids and tokens only; the type ids
    // and special mask listed belong to the fast encoding.
    const bool lengths_match = e["token_type_ids"].is_null() || e["token_type_ids"].size() == ids.size() ||
                               marian_quirk;
    if (e.contains("token_type_ids") && !e["token_type_ids"].is_null() && lengths_match) {
      auto types = as_vector<int32_t>(e["token_type_ids"]);
      if (marian_quirk && types.size() + 1 == ids.size()) types.push_back(enc.type_ids.empty() ? 0 : enc.type_ids.back());
      expect(enc.type_ids == types, "type ids " + show(enc.type_ids) + " != " + show(types));
    }
    if (e.contains("special_tokens_mask") && !e["special_tokens_mask"].is_null() && lengths_match) {
      auto mask = as_vector<int>(e["special_tokens_mask"]);
      std::vector<int> got(enc.special_tokens_mask.begin(), enc.special_tokens_mask.end());
      expect(got == mask, "special mask " + show(got) + " != " + show(mask));
    }
    std::string decoded = tok.decode(ids, false);
    expect(decoded == e["decoded"].get<std::string>(), "decoded '" + decoded + "' != '" + e["decoded"].get<std::string>() + "'");
    std::string skipped = tok.decode(ids, true);
    expect(skipped == e["decoded_skip_special"].get<std::string>(),
           "decoded_skip_special '" + skipped + "' != '" + e["decoded_skip_special"].get<std::string>() + "'");
    r.check(ok, label + ": " + why);
  }

  const json& pb = golden["padded_batch"];
  {
    std::vector<Encoding> batch;
    for (const auto& t : pb["texts"]) batch.push_back(tok.encode(t.get<std::string>()));
    pad(batch, pb["pad_token_id"].get<int32_t>(),
        pb["padding_side"].get<std::string>() == "left" ? PaddingSide::left : PaddingSide::right);
    bool ok = true;
    std::string why;
    for (size_t i = 0; i < batch.size(); ++i) {
      auto ids = as_vector<int32_t>(pb["input_ids"][i]);
      auto mask = as_vector<int>(pb["attention_mask"][i]);
      std::vector<int> got_mask(batch[i].attention_mask.begin(), batch[i].attention_mask.end());
      if (batch[i].ids != ids) {
        ok = false;
        why = "padded ids " + show(batch[i].ids) + " != " + show(ids);
      }
      if (got_mask != mask) {
        ok = false;
        why = "attention mask " + show(got_mask) + " != " + show(mask);
      }
    }
    r.check(ok, "padded_batch: " + why);
  }
  {
    const json& t = golden["truncated"];
    EncodeOptions o;
    o.max_length = t["max_length"].get<size_t>();
    auto enc = tok.encode(t["text"].get<std::string>(), o);
    auto ids = as_vector<int32_t>(t["input_ids"]);
    r.check(enc.ids == ids, "truncated: " + show(enc.ids) + " != " + show(ids));
  }
  {
    const json& t = golden["truncated_pair_only_second"];
    EncodeOptions o;
    o.max_length = t["max_length"].get<size_t>();
    o.truncation = Truncation::only_second;
    Encoding enc;
    try {
      enc = tok.encode_pair(t["text"].get<std::string>(), t["text_pair"].get<std::string>(), o);
    } catch (const std::exception& ex) {
      r.check(false, std::string("truncated_pair_only_second threw ") + ex.what());
      return r;
    }
    auto ids = as_vector<int32_t>(t["input_ids"]);
    auto types = as_vector<int32_t>(t["token_type_ids"]);
    if (marian_quirk && types.size() + 1 == ids.size()) types.push_back(enc.type_ids.empty() ? 0 : enc.type_ids.back());
    r.check(enc.ids == ids && enc.type_ids == types, "truncated_pair_only_second: " + show(enc.ids) + " / " +
                                                         show(enc.type_ids) + " != " + show(ids) + " / " + show(types));
  }
  return r;
}

struct GoldenSource {
  const char* golden;
  const char* folder;          // real/<folder>
  bool has_tokenizer_json;
  const char* legacy_class;    // tokenizer class for the legacy files ("" = from the folder)
};

const GoldenSource kSources[] = {
    {"bert-base-uncased", "google-bert--bert-base-uncased", true, ""},
    {"bert-base-cased", "google-bert--bert-base-cased", true, ""},
    {"gpt2", "openai-community--gpt2", true, ""},
    {"roberta", "distilbert--distilroberta-base", true, ""},
    {"bart", "facebook--bart-large-cnn", true, ""},
    {"t5-small", "google-t5--t5-base", true, ""},
    {"albert-base-v2", "albert--albert-base-v2", false, "AlbertTokenizer"},
    {"mistral-v0.3", "mistralai--Mistral-7B-Instruct-v0.3", true, ""},
    {"opus-mt-zh-en", "Helsinki-NLP--opus-mt-zh-en", false, ""},
};

void report(const char* golden, const char* path, const Outcome& r) {
  std::cout << "[golden] " << golden << " (" << path << "): " << r.passed << "/" << r.total << " passed\n";
  for (const auto& f : r.failures) std::cout << "    FAIL " << f << "\n";
}

}  // namespace

TEST_CASE("tokenizer goldens from tokenizer.json") {
  for (const auto& s : kSources) {
    if (!s.has_tokenizer_json) continue;
    CAPTURE(s.golden);
    json golden = load_json(fixtures() / "tokenizers" / (std::string(s.golden) + ".golden.json"));
    auto tok = Tokenizer::from_folder(fixtures() / "real" / s.folder);
    Outcome r = run_golden(golden, *tok, false);
    report(s.golden, "tokenizer.json", r);
    CHECK(r.passed == r.total);
  }
}

TEST_CASE("tokenizer goldens from legacy files") {
  for (const auto& s : kSources) {
    CAPTURE(s.golden);
    json golden = load_json(fixtures() / "tokenizers" / (std::string(s.golden) + ".golden.json"));
    auto dir = fixtures() / "real" / s.folder;
    std::unique_ptr<Tokenizer> tok;
    try {
      tok = *s.legacy_class ? load_legacy(dir, s.legacy_class) : Tokenizer::from_legacy_files(dir);
    } catch (const std::exception& e) {
      FAIL_CHECK("loading legacy files failed: " << e.what());
      continue;
    }
    Outcome r = run_golden(golden, *tok, true);
    report(s.golden, "legacy", r);
    CHECK(r.passed == r.total);
  }
}

}  // namespace xfmr::tok::test

namespace xfmr::tok::test {

// Folders with only a sentencepiece model and no configuration: the class is
// recognised from the model's special pieces.
TEST_CASE("bare sentencepiece folders give the slow goldens through from_folder") {
  const std::pair<const char*, const char*> bare[] = {{"t5-small", "google-t5--t5-small"},
                                                      {"albert-base-v2", "albert--albert-base-v2"}};
  for (const auto& [golden_name, folder] : bare) {
    CAPTURE(golden_name);
    json golden = load_json(fixtures() / "tokenizers" / (std::string(golden_name) + ".golden.json"));
    auto tok = Tokenizer::from_folder(fixtures() / "real" / folder);
    Outcome r = run_golden(golden, *tok, true);
    report(golden_name, folder, r);
    CHECK(r.passed == r.total);
  }
}

TEST_CASE("tokenizer facts used by the other stages") {
  auto bert = Tokenizer::from_folder(fixtures() / "real" / "google-bert--bert-base-uncased");
  CHECK(bert->kind() == "wordpiece");
  CHECK(bert->model_max_length() == 512);
  CHECK(bert->special_ids().mask == 103);
  CHECK(bert->special_ids().pad == 0);
  CHECK(bert->is_special(101));
  CHECK_FALSE(bert->is_special(1045));
  CHECK(bert->token_to_id("[MASK]") == 103);
  CHECK(bert->id_to_token(2293) == "love");
  CHECK(bert->vocab_size() == 30522);
  CHECK(bert->tokens_to_string(std::vector<std::string>{"nl", "##p", "rocks"}) == "nlp rocks");
  auto gpt2 = Tokenizer::from_folder(fixtures() / "real" / "openai-community--gpt2");
  CHECK(gpt2->kind() == "byte-level-bpe");
  CHECK(gpt2->model_max_length() == 1024);
  CHECK(gpt2->special_ids().eos == 50256);
  CHECK_FALSE(gpt2->continuing_subword_prefix().has_value());
  auto t5 = Tokenizer::from_folder(fixtures() / "real" / "google-t5--t5-base");
  CHECK(t5->kind() == "unigram");
  CHECK(t5->vocab_size() == 32100);
  CHECK(t5->token_to_id("<extra_id_0>") == 32099);
  auto marian = Tokenizer::from_folder(fixtures() / "real" / "Helsinki-NLP--opus-mt-zh-en");
  CHECK(marian->kind() == "marian");
  CHECK(marian->special_ids().pad == 65000);
  CHECK(marian->special_ids().eos == 0);
  auto llama = Tokenizer::from_folder(fixtures() / "models" / "tiny-llama");
  CHECK(llama->special_ids().bos == 1);
  CHECK(llama->model_max_length() == 0);
  // Streaming decode of a growing id list: every prefix decodes.
  auto ids = gpt2->encode("Streaming caf\xC3\xA9 \xF0\x9F\x98\x80 text").ids;
  for (size_t n = 0; n <= ids.size(); ++n) {
    CHECK(is_valid_utf8(gpt2->decode(std::span<const int32_t>(ids.data(), n), true)));
  }
  CHECK(gpt2->decode(ids, true) == "Streaming caf\xC3\xA9 \xF0\x9F\x98\x80 text");
}

}  // namespace xfmr::tok::test
