// Pipeline components the goldens do not reach: the other normalizers,
// pre-tokenizers, decoders and the Llama-3 style split pattern.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "golden_util.hpp"
#include "tokenize/decoders.hpp"
#include "tokenize/hf_config.hpp"
#include "tokenize/normalizers.hpp"
#include "tokenize/pipeline.hpp"
#include "tokenize/pre_tokenizers.hpp"
#include "tokenize/regex_split.hpp"

namespace xfmr::tok::test {
namespace {

using nlohmann::json;

std::vector<std::string> matches(const std::string& pattern, const std::string& text) {
  auto m = make_regex_matcher(pattern);
  REQUIRE(m != nullptr);
  std::vector<MatchRange> ranges;
  m->find(text, ranges);
  std::vector<std::string> out;
  for (const auto& r : ranges) {
    if (r.is_match) out.push_back(text.substr(r.begin, r.end - r.begin));
  }
  return out;
}

std::vector<std::string> pre_tokenize(const json& spec, const std::string& text) {
  auto pre = make_pre_tokenizer(spec);
  Pieces p;
  p.buffer.assign_original(text, 0);
  p.spans.push_back({0, static_cast<uint32_t>(text.size()), -1});
  pre->pre_tokenize(p);
  std::vector<std::string> out;
  for (const auto& s : p.spans) out.emplace_back(p.text(s));
  return out;
}

std::string normalize(const json& spec, const std::string& text) {
  auto n = make_normalizer(spec);
  return normalize_string(n.get(), text);
}

std::vector<std::string> decode_chain(const json& spec, std::vector<std::string> tokens) {
  make_decoder(spec)->decode_chain(tokens);
  return tokens;
}

using Strings = std::vector<std::string>;

// Expected splits: JavaScript RegExp ("gu") on the same patterns.
const char* kLlama3 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* kGpt2 = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

}  // namespace

TEST_CASE("Llama-3 and GPT-2 split patterns match the regex engines") {
  const std::string line2 = "I'M \tTabbed\r\n\r\nline  \xC2\xA0nbsp 3.14159 \xC2\xA1Ol\xC3\xA9! \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E x  ";
  CHECK(matches(kLlama3, "Hello world's 12345 \n\n  x!!\n") ==
        Strings{"Hello", " world", "'s", " ", "123", "45", " \n\n", " ", " x", "!!\n"});
  CHECK(matches(kLlama3, line2) == Strings{"I", "'M", " ", "\tTabbed", "\r\n\r\n", "line", "  ", "\xC2\xA0nbsp", " ",
                                           "3", ".", "141", "59", " \xC2\xA1", "Ol\xC3\xA9", "!",
                                           " \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", " x", "  "});
  CHECK(matches(kLlama3, "'''s  .") == Strings{"'''", "s", " ", " ."});
  CHECK(matches(kGpt2, "Hello world's 12345 \n\n  x!!\n") ==
        Strings{"Hello", " world", "'s", " 12345", " \n\n ", " x", "!!", "\n"});
  CHECK(matches(kGpt2, line2) == Strings{"I", "'", "M", " ", "\t", "Tabbed", "\r\n\r", "\n", "line", "  ",
                                         "\xC2\xA0", "nbsp", " 3", ".", "14159", " \xC2\xA1", "Ol\xC3\xA9", "!",
                                         " \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", " x", "  "});
  CHECK(matches(kGpt2, "a\n\n") == Strings{"a", "\n\n"});
  CHECK(make_regex_matcher("(?<=x)y") == nullptr);
}

TEST_CASE("unsupported Split patterns are refused by name") {
  json spec = {{"type", "Split"}, {"pattern", {{"Regex", "(?<=x)y"}}}, {"behavior", "Isolated"}, {"invert", false}};
  try {
    make_pre_tokenizer(spec);
    FAIL("expected ModelError");
  } catch (const ModelError& e) {
    CHECK(std::string(e.what()).find("(?<=x)y") != std::string::npos);
  }
}

TEST_CASE("pre-tokenizers") {
  CHECK(pre_tokenize({{"type", "Whitespace"}}, "Hey man!! 3.5") == Strings{"Hey", "man", "!!", "3", ".", "5"});
  CHECK(pre_tokenize({{"type", "WhitespaceSplit"}}, "Hey  man!\tx ") == Strings{"Hey", "man!", "x"});
  CHECK(pre_tokenize({{"type", "Punctuation"}, {"behavior", "Isolated"}}, "Hey, you!") ==
        Strings{"Hey", ",", " you", "!"});
  CHECK(pre_tokenize({{"type", "Punctuation"}, {"behavior", "MergedWithPrevious"}}, "Hey, you!") ==
        Strings{"Hey,", " you!"});
  CHECK(pre_tokenize({{"type", "Punctuation"}, {"behavior", "MergedWithNext"}}, "Hey, you!") ==
        Strings{"Hey", ", you", "!"});
  CHECK(pre_tokenize({{"type", "Digits"}, {"individual_digits", true}}, "abc123x") ==
        Strings{"abc", "1", "2", "3", "x"});
  CHECK(pre_tokenize({{"type", "Digits"}, {"individual_digits", false}}, "abc123x") == Strings{"abc", "123", "x"});
  CHECK(pre_tokenize({{"type", "CharDelimiterSplit"}, {"delimiter", "-"}}, "a-b--c") == Strings{"a", "b", "c"});
  CHECK(pre_tokenize({{"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", "Removed"}, {"invert", false}},
                     "a b  c") == Strings{"a", "b", "c"});
  CHECK(pre_tokenize({{"type", "Split"}, {"pattern", {{"String", "ab"}}}, {"behavior", "Contiguous"}, {"invert", false}},
                     "xababy") == Strings{"x", "abab", "y"});
  CHECK(pre_tokenize({{"type", "Split"}, {"pattern", {{"Regex", "\\p{N}"}}}, {"behavior", "Isolated"}, {"invert", true}},
                     "a12b") == Strings{"a", "1", "2", "b"});
  CHECK(pre_tokenize({{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}, {"split", true}},
                     "Hey  friend!") == Strings{"\xE2\x96\x81Hey", "\xE2\x96\x81", "\xE2\x96\x81" "friend!"});
  CHECK(pre_tokenize({{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "never"}, {"split", false}},
                     "Hey you") == Strings{"Hey\xE2\x96\x81you"});
  CHECK(pre_tokenize({{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", true}}, "Hi there") ==
        Strings{"\xC4\xA0Hi", "\xC4\xA0there"});
  CHECK(pre_tokenize({{"type", "Sequence"},
                      {"pretokenizers", {{{"type", "WhitespaceSplit"}}, {{"type", "Digits"}, {"individual_digits", true}}}}},
                     "ab12 c") == Strings{"ab", "1", "2", "c"});
}

TEST_CASE("normalizers") {
  CHECK(normalize({{"type", "NFC"}}, "e\xCC\x81") == "\xC3\xA9");
  CHECK(normalize({{"type", "NFD"}}, "\xC3\xA9") == "e\xCC\x81");
  CHECK(normalize({{"type", "NFKC"}}, "\xEF\xAC\x81 \xE2\x84\xA2") == "fi TM");
  CHECK(normalize({{"type", "NFKD"}}, "\xC3\xA9\xE2\x91\xA0") == "e\xCC\x81" "1");
  CHECK(normalize({{"type", "NFC"}}, "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB") == "\xED\x95\x9C");  // Hangul jamo
  CHECK(normalize({{"type", "Lowercase"}}, "\xC3\x80" "BC \xC4\xB0") == "\xC3\xA0" "bc i\xCC\x87");
  CHECK(normalize({{"type", "Sequence"}, {"normalizers", {{{"type", "NFD"}}, {{"type", "StripAccents"}}}}},
                  "caf\xC3\xA9 na\xC3\xAFve") == "cafe naive");
  CHECK(normalize({{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "\xE2\x96\x81"}}, "a b") ==
        "a\xE2\x96\x81" "b");
  CHECK(normalize({{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", " "}}, "a   b c") == "a b c");
  CHECK(normalize({{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}, "ab") == "\xE2\x96\x81" "ab");
  CHECK(normalize({{"type", "Prepend"}, {"prepend", "\xE2\x96\x81"}}, "") == "");
  CHECK(normalize({{"type", "Strip"}, {"strip_left", true}, {"strip_right", true}}, "  a b \t") == "a b");
  CHECK(normalize({{"type", "BertNormalizer"}, {"clean_text", true}, {"handle_chinese_chars", true},
                   {"strip_accents", nullptr}, {"lowercase", true}},
                  "H\xC3\xA9llo\x01\tW\xE4\xB8\xAD") == "hello w \xE4\xB8\xAD ");
  CHECK(normalize({{"type", "Nmt"}}, "a\x01\tb") == "a b");
}

TEST_CASE("decoders") {
  CHECK(decode_chain({{"type", "ByteFallback"}}, {"<0xE2>", "<0x96>", "<0x81>", "a", "<0xFF>", "<0x41>"}) ==
        Strings{"\xE2\x96\x81", "a", "\xEF\xBF\xBD", "\xEF\xBF\xBD"});
  CHECK(decode_chain({{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 1}}, {"  a ", "b"}) ==
        Strings{" a", "b"});
  CHECK(decode_chain({{"type", "BPEDecoder"}, {"suffix", "</w>"}}, {"hel", "lo</w>", "you</w>"}) ==
        Strings{"hel", "lo ", "you"});
  CHECK(decode_chain({{"type", "Sequence"},
                      {"decoders", {{{"type", "Replace"}, {"pattern", {{"String", "\xE2\x96\x81"}}}, {"content", " "}},
                                    {{"type", "Fuse"}}}}},
                     {"\xE2\x96\x81" "a", "b"}) == Strings{" ab"});
  CHECK(decode_chain({{"type", "Metaspace"}, {"replacement", "\xE2\x96\x81"}, {"prepend_scheme", "always"}},
                     {"\xE2\x96\x81Hey", "\xE2\x96\x81" "friend"}) == Strings{"Hey", " friend"});
  CHECK(decode_chain({{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}, {"un", "##aff", "##able", "."}) ==
        Strings{"un", "aff", "able", "."});
}

TEST_CASE("a 2020-era tokenizer.json without model type and a WordLevel model") {
  json wordlevel = {{"version", "1.0"},
                    {"added_tokens", json::array()},
                    {"normalizer", {{"type", "Lowercase"}}},
                    {"pre_tokenizer", {{"type", "Whitespace"}}},
                    {"post_processor", nullptr},
                    {"decoder", nullptr},
                    {"model", {{"vocab", {{"[UNK]", 0}, {"hello", 1}, {"world", 2}, {"!", 3}}}, {"unk_token", "[UNK]"}}}};
  auto tok = build_from_tokenizer_json(wordlevel.dump(), TokenizerConfig{});
  auto e = tok->encode("Hello big World!");
  CHECK(e.ids == std::vector<int32_t>{1, 0, 2, 3});
  CHECK(tok->decode(e.ids, false) == "hello [UNK] world!");
  CHECK(tok->kind() == "wordlevel");
}

TEST_CASE("configuration quirks") {
  auto c = parse_tokenizer_config(R"({"model_max_length": 1000000000000000019884624838656, "padding_side": "left"})", "",
                                  "", "");
  CHECK(c.model_max_length == 0);
  CHECK(c.padding_side == PaddingSide::left);
  auto d = parse_tokenizer_config(R"({"max_len": 512, "tokenizer_class": "BertTokenizerFast"})", "", "", "");
  CHECK(d.model_max_length == 512);
  CHECK(d.tokenizer_class == "BertTokenizer");
  CHECK_THROWS_AS(parse_tokenizer_config("{not json", "", "", ""), ModelError);
}

}  // namespace xfmr::tok::test
