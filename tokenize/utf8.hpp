#pragma once
// UTF-8 helpers shared by the tokenizer and the CLI (which reports invalid
// UTF-8 as an error record instead of tokenizing it).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xfmr::tok {

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Byte length of the character starting with lead byte `lead` (1 for a stray
// continuation byte, so that walking never stalls).
inline size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// Decodes the character at text[pos] of valid UTF-8; returns the code point and
// stores its length. Bounds-safe on any input (truncated sequences decode as
// far as they go).
inline uint32_t decode_utf8(std::string_view text, size_t pos, size_t& length) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  unsigned char lead = s[pos];
  length = utf8_length(lead);
  if (pos + length > text.size()) length = text.size() - pos;
  switch (length) {
    case 1: return lead;
    case 2: return ((lead & 0x1Fu) << 6) | (s[pos + 1] & 0x3Fu);
    case 3: return ((lead & 0x0Fu) << 12) | ((s[pos + 1] & 0x3Fu) << 6) | (s[pos + 2] & 0x3Fu);
    default:
      return ((lead & 0x07u) << 18) | ((s[pos + 1] & 0x3Fu) << 12) | ((s[pos + 2] & 0x3Fu) << 6) |
             (s[pos + 3] & 0x3Fu);
  }
}

inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

inline size_t utf8_encoded_length(uint32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

size_t count_code_points(std::string_view text);

// For each byte of `text`, the index of the code point it belongs to; one more
// entry at the end holding the number of code points.
void code_point_index(std::string_view text, std::vector<uint32_t>& index);

// Replaces each maximal invalid subsequence with U+FFFD, as Python's
// bytes.decode("utf-8", "replace") and Rust's from_utf8_lossy do.
std::string utf8_lossy(std::string_view bytes);

}  // namespace xfmr::tok
