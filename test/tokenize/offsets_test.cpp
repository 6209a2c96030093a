// Offsets point at each token's surface form in the input (code points).
#include <doctest/doctest.h>

#include <iostream>

#include "golden_util.hpp"
#include "tokenize/byte_level.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/unicode.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok::test {
namespace {

using nlohmann::json;

std::vector<uint32_t> code_points(std::string_view s) {
  std::vector<uint32_t> out;
  size_t pos = 0, len = 0;
  while (pos < s.size()) {
    out.push_back(decode_utf8(s, pos, len));
    pos += len;
  }
  return out;
}

// Compatibility-normalized, lowercased, accents and whitespace removed: what
// is left when normalization is set aside.
std::string comparable(std::string_view s) {
  std::vector<uint32_t> cps = code_points(s);
  normalize_code_points(cps, NormalForm::NFKD);
  std::string out;
  for (uint32_t cp : cps) {
    if (is_mark(category(cp)) || is_white_space(cp) || cp == 0x2581) continue;
    append_lower(out, cp);
  }
  return out;
}

// The text a token stands for, or "" when it cannot be compared (unknown,
// byte fallback, partial UTF-8 bytes).
std::string token_form(const Tokenizer& tok, const std::string& token) {
  if (token.empty() || token == "[UNK]" || token == "<unk>" || token.starts_with("<0x")) return {};
  if (tok.kind() == "byte-level-bpe") {
    std::string bytes;
    if (!byte_level_decode(token, bytes) || !is_valid_utf8(bytes)) return {};
    return bytes;
  }
  if (token.starts_with("##")) return token.substr(2);
  return token;
}

struct Source {
  const char* golden;
  const char* folder;
  const char* legacy_class;
};

const Source kSources[] = {
    {"bert-base-uncased", "google-bert--bert-base-uncased", ""},
    {"bert-base-cased", "google-bert--bert-base-cased", ""},
    {"gpt2", "openai-community--gpt2", ""},
    {"roberta", "distilbert--distilroberta-base", ""},
    {"bart", "facebook--bart-large-cnn", ""},
    {"t5-small", "google-t5--t5-base", ""},
    {"albert-base-v2", "albert--albert-base-v2", "AlbertTokenizer"},
    {"mistral-v0.3", "mistralai--Mistral-7B-Instruct-v0.3", ""},
    {"opus-mt-zh-en", "Helsinki-NLP--opus-mt-zh-en", ""},
};

void check_offsets(const Tokenizer& tok, const json& golden, const std::string& label, int& compared) {
  for (const json& c : golden["cases"]) {
    if (c.contains("text_pair") && !c["text_pair"].is_null()) continue;
    const std::string text = c["text"].get<std::string>();
    const std::vector<uint32_t> cps = code_points(text);
    auto e = tok.encode(text);
    for (size_t i = 0; i < e.ids.size(); ++i) {
      if (e.special_tokens_mask[i] || tok.is_special(e.ids[i])) {
        if (e.special_tokens_mask[i]) CHECK((e.offsets[i].start == 0 && e.offsets[i].end == 0));
        continue;
      }
      const Offset o = e.offsets[i];
      REQUIRE(o.start <= o.end);
      REQUIRE(o.end <= cps.size());
      std::string form = comparable(token_form(tok, e.tokens[i]));
      if (form.empty()) continue;
      std::string surface;
      for (uint32_t k = o.start; k < o.end; ++k) append_utf8(surface, cps[k]);
      INFO(label << " text " << text << " token " << e.tokens[i] << " offsets " << o.start << "-" << o.end);
      // One character may decompose into several tokens (Hangul jamo).
      if (o.end - o.start == 1) {
        CHECK(comparable(surface).find(form) != std::string::npos);
      } else {
        CHECK(comparable(surface) == form);
      }
      ++compared;
    }
  }
}

}  // namespace

TEST_CASE("offsets of every golden text give back each token's surface form") {
  int compared = 0;
  for (const auto& s : kSources) {
    const json golden = load_json(fixtures() / "tokenizers" / (std::string(s.golden) + ".golden.json"));
    const auto dir = fixtures() / "real" / s.folder;
    auto main = *s.legacy_class ? load_legacy(dir, s.legacy_class) : Tokenizer::from_folder(dir);
    check_offsets(*main, golden, std::string(s.golden) + " (from folder)", compared);
    if (std::filesystem::exists(dir / "tokenizer.json")) {
      auto legacy = Tokenizer::from_legacy_files(dir);
      check_offsets(*legacy, golden, std::string(s.golden) + " (legacy)", compared);
    }
  }
  MESSAGE("token surfaces compared: " << compared);
  CHECK(compared > 2000);
}

TEST_CASE("word ids group the pieces of a word; sequence ids mark the pair") {
  auto tok = Tokenizer::embedded_default();
  auto e = tok->encode_pair("I love NLP!", "Hello world");
  CHECK(show(e.word_ids) == show(std::vector<int32_t>{-1, 0, 1, 2, 2, 3, -1, 0, 1, -1}));
  CHECK(show(e.sequence_ids) == show(std::vector<int32_t>{-1, 0, 0, 0, 0, 0, -1, 1, 1, -1}));
  CHECK(show(e.type_ids) == show(std::vector<int32_t>{0, 0, 0, 0, 0, 0, 0, 1, 1, 1}));
}

}  // namespace xfmr::tok::test
