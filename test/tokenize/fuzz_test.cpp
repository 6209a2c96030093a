// Random bytes, random valid UTF-8 and very long inputs through every kind of
// tokenizer: no crash, invalid UTF-8 rejected with InputError, sane offsets,
// and no quadratic blow-up on long runs.
#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <thread>

#include "core/error.hpp"
#include "golden_util.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok::test {
namespace {

struct Named {
  std::string name;
  std::unique_ptr<Tokenizer> tok;
};

std::vector<Named> all_tokenizers() {
  const auto real = fixtures() / "real";
  std::vector<Named> out;
  out.push_back({"bert fast", Tokenizer::from_folder(real / "google-bert--bert-base-uncased")});
  out.push_back({"bert legacy", Tokenizer::from_legacy_files(real / "google-bert--bert-base-cased")});
  out.push_back({"gpt2 fast", Tokenizer::from_folder(real / "openai-community--gpt2")});
  out.push_back({"roberta legacy", Tokenizer::from_legacy_files(real / "distilbert--distilroberta-base")});
  out.push_back({"t5 fast", Tokenizer::from_folder(real / "google-t5--t5-base")});
  out.push_back({"t5 legacy", Tokenizer::from_legacy_files(real / "google-t5--t5-base")});
  out.push_back({"albert legacy", load_legacy(real / "albert--albert-base-v2", "AlbertTokenizer")});
  out.push_back({"mistral fast", Tokenizer::from_folder(real / "mistralai--Mistral-7B-Instruct-v0.3")});
  out.push_back({"mistral legacy", Tokenizer::from_legacy_files(real / "mistralai--Mistral-7B-Instruct-v0.3")});
  out.push_back({"marian", Tokenizer::from_folder(real / "Helsinki-NLP--opus-mt-zh-en")});
  return out;
}

std::string random_utf8(std::mt19937& rng, size_t chars) {
  static const std::pair<uint32_t, uint32_t> ranges[] = {
      {0x20, 0x7E},     {0x09, 0x0D},     {0x00, 0x1F},     {0xA0, 0x24F},    {0x300, 0x36F},
      {0x370, 0x3FF},   {0x400, 0x4FF},   {0x590, 0x6FF},   {0x900, 0x97F},   {0x1100, 0x11FF},
      {0x2000, 0x206F}, {0x2100, 0x22FF}, {0x2580, 0x25FF}, {0x3000, 0x30FF}, {0x4E00, 0x9FFF},
      {0xAC00, 0xD7A3}, {0xFE00, 0xFE0F}, {0xFF00, 0xFFEF}, {0xFFF0, 0xFFFF}, {0x1F300, 0x1FAFF},
      {0xE0000, 0xE007F}, {0x10000, 0x10FFFF}};
  std::uniform_int_distribution<size_t> pick(0, std::size(ranges) - 1);
  std::string s;
  for (size_t i = 0; i < chars; ++i) {
    auto [lo, hi] = ranges[pick(rng)];
    uint32_t cp = std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
    if (rng() % 4 == 0) cp = " <>[]#'.,!?"[rng() % 11];
    append_utf8(s, cp);
  }
  return s;
}

void check_encoding(const Encoding& e, size_t text_chars) {
  REQUIRE(e.tokens.size() == e.ids.size());
  REQUIRE(e.offsets.size() == e.ids.size());
  REQUIRE(e.word_ids.size() == e.ids.size());
  REQUIRE(e.type_ids.size() == e.ids.size());
  for (const auto& o : e.offsets) {
    REQUIRE(o.start <= o.end);
    REQUIRE(o.end <= text_chars);
  }
}

}  // namespace

TEST_CASE("utf8 validation") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xC3"));              // truncated
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\x80"));
  CHECK(utf8_lossy("a\xF0\x9F\x98") == "a\xEF\xBF\xBD");
  CHECK(utf8_lossy("\xE2\x82") == "\xEF\xBF\xBD");
  CHECK(utf8_lossy("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("fuzz: random bytes and random UTF-8 never crash") {
  auto toks = all_tokenizers();
  std::mt19937 rng(1234);
  for (auto& [name, tok] : toks) {
    CAPTURE(name);
    for (int round = 0; round < 150; ++round) {
      std::string bytes(rng() % 64, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      if (is_valid_utf8(bytes)) {
        check_encoding(tok->encode(bytes), count_code_points(bytes));
      } else {
        CHECK_THROWS_AS(tok->encode(bytes), InputError);
        CHECK_THROWS_AS(tok->encode_pair("ok", bytes), InputError);
      }
      std::string text = random_utf8(rng, rng() % 120);
      std::string pair = random_utf8(rng, rng() % 60);
      auto e = tok->encode(text);
      check_encoding(e, count_code_points(text));
      EncodeOptions o;
      o.max_length = 8 + rng() % 40;
      o.truncation = static_cast<Truncation>(rng() % 3);
      o.stride = rng() % 4;
      o.return_overflowing = true;
      try {
        auto p = tok->encode_pair(text, pair, o);
        for (const auto& over : p.overflowing) REQUIRE(over.ids.size() == over.offsets.size());
      } catch (const InputError&) {
        // A sequence too short to truncate as asked is an input error.
      }
      std::string decoded = tok->decode(e.ids, false);
      CHECK(is_valid_utf8(decoded));
      CHECK(is_valid_utf8(tok->decode(e.ids, true)));
      std::vector<int32_t> ids;
      for (int k = 0; k < 20; ++k) ids.push_back(static_cast<int32_t>(rng() % (tok->vocab_size() + 10)) - 5);
      CHECK(is_valid_utf8(tok->decode(ids, false)));
      CHECK(is_valid_utf8(tok->tokens_to_string(e.tokens)));
    }
  }
}

// Quadratic work on 100k characters takes minutes; linear work well under a
// second, or a few seconds under the sanitizers' ~10x slowdown.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kLongInputSeconds = 30.0;
#else
constexpr double kLongInputSeconds = 5.0;
#endif

TEST_CASE("fuzz: very long inputs stay fast") {
  auto toks = all_tokenizers();
  std::mt19937 rng(99);
  const std::vector<std::pair<std::string, std::string>> inputs = [&] {
    std::vector<std::pair<std::string, std::string>> v;
    v.emplace_back("100k a", std::string(100000, 'a'));
    v.emplace_back("100k spaces", std::string(100000, ' '));
    std::string e_acute;
    for (int i = 0; i < 50000; ++i) e_acute += "\xC3\xA9";
    v.emplace_back("50k e-acute", e_acute);
    std::string emoji;
    for (int i = 0; i < 25000; ++i) emoji += "\xF0\x9F\x98\x80";
    v.emplace_back("25k emoji", emoji);
    std::string digits;
    for (int i = 0; i < 100000; ++i) digits += static_cast<char>('0' + i % 10);
    v.emplace_back("100k digits", digits);
    v.emplace_back("100k random", random_utf8(rng, 100000));
    return v;
  }();
  for (auto& [name, tok] : toks) {
    for (const auto& [label, text] : inputs) {
      CAPTURE(name);
      CAPTURE(label);
      auto start = std::chrono::steady_clock::now();
      auto e = tok->encode(text);
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      check_encoding(e, count_code_points(text));
      CHECK(seconds < kLongInputSeconds);
      CHECK(is_valid_utf8(tok->decode(e.ids, true)));
    }
  }
}

}  // namespace xfmr::tok::test

namespace xfmr::tok::test {

TEST_CASE("one tokenizer encodes from several threads at once") {
  auto toks = all_tokenizers();
  std::mt19937 rng(7);
  std::vector<std::string> texts;
  for (int i = 0; i < 64; ++i) texts.push_back(random_utf8(rng, 20 + rng() % 80) + " the quick brown fox " + std::to_string(i));
  for (auto& [name, tok] : toks) {
    CAPTURE(name);
    std::vector<std::vector<int32_t>> expected;
    for (const auto& t : texts) expected.push_back(tok->encode(t).ids);
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int w = 0; w < 4; ++w) {
      threads.emplace_back([&, w] {
        for (int round = 0; round < 5; ++round) {
          for (size_t i = 0; i < texts.size(); ++i) {
            if (tok->encode(texts[(i + w * 7) % texts.size()]).ids != expected[(i + w * 7) % texts.size()]) ++mismatches[w];
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    for (int m : mismatches) CHECK(m == 0);
  }
}

}  // namespace xfmr::tok::test
