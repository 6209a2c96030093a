#include <doctest/doctest.h>

#include "tokenize/tokenizer.hpp"

TEST_CASE("embedded default tokenizer encodes like bert-base-uncased") {
  auto tok = xfmr::tok::Tokenizer::embedded_default();
  auto e = tok->encode("I love NLP!");
  CHECK(e.ids == std::vector<int32_t>{101, 1045, 2293, 17953, 2361, 999, 102});
  CHECK(e.tokens == std::vector<std::string>{"[CLS]", "i", "love", "nl", "##p", "!", "[SEP]"});
}
