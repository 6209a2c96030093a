#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

// Length of the valid character at s[pos], or 0 with `bad` set to the length
// of the maximal invalid prefix (at least 1), following the Unicode
// "substitution of maximal subparts" practice.
size_t valid_char_length(const unsigned char* s, size_t size, size_t pos, size_t& bad) {
  unsigned char c = s[pos];
  bad = 1;
  if (c < 0x80) return 1;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    if (pos + k >= size) {
      bad = k;
      return 0;
    }
    unsigned char b = s[pos + k];
    unsigned char low = k == 1 ? lo : 0x80, high = k == 1 ? hi : 0xBF;
    if (b < low || b > high) {
      bad = k;
      return 0;
    }
  }
  return need + 1;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t pos = 0, bad = 0;
  while (pos < text.size()) {
    if (s[pos] < 0x80) {
      ++pos;
      continue;
    }
    size_t n = valid_char_length(s, text.size(), pos, bad);
    if (n == 0) return false;
    pos += n;
  }
  return true;
}

size_t count_code_points(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

void code_point_index(std::string_view text, std::vector<uint32_t>& index) {
  index.resize(text.size() + 1);
  uint32_t cp = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++cp;
    index[i] = cp;
  }
  index[text.size()] = text.empty() ? 0 : cp + 1;
}

std::string utf8_lossy(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t pos = 0, bad = 0;
  while (pos < bytes.size()) {
    size_t n = valid_char_length(s, bytes.size(), pos, bad);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      pos += bad;
    } else {
      out.append(bytes.substr(pos, n));
      pos += n;
    }
  }
  return out;
}

}  // namespace xfmr::tok
