#include "tokenize/byte_level.hpp"

#include <array>

#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

struct ByteTables {
  std::array<std::string, 256> chars;
  std::array<int16_t, 512> bytes;
  ByteTables() {
    bytes.fill(-1);
    uint32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      uint32_t cp = printable ? static_cast<uint32_t>(b) : next++;
      append_utf8(chars[b], cp);
      bytes[cp] = static_cast<int16_t>(b);
    }
  }
};

const ByteTables& tables() {
  static const ByteTables t;
  return t;
}

}  // namespace

std::string_view byte_level_char(uint8_t byte) { return tables().chars[byte]; }

int byte_level_byte(uint32_t cp) { return cp < 512 ? tables().bytes[cp] : -1; }

bool byte_level_decode(std::string_view token, std::string& bytes) {
  size_t before = bytes.size();
  size_t pos = 0, len = 0;
  while (pos < token.size()) {
    int b = byte_level_byte(decode_utf8(token, pos, len));
    if (b < 0) {
      bytes.resize(before);
      return false;
    }
    bytes.push_back(static_cast<char>(b));
    pos += len;
  }
  return true;
}

}  // namespace xfmr::tok
