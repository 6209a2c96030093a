#pragma once
// GPT-2's byte <-> printable character table.
#include <cstdint>
#include <string>
#include <string_view>

namespace xfmr::tok {

// UTF-8 of the character standing for `byte`.
std::string_view byte_level_char(uint8_t byte);
// Byte for a byte-level character, or -1 when `cp` is not one.
int byte_level_byte(uint32_t cp);

// Maps a byte-level token string back to raw bytes; false when some character
// is not byte-level (the caller then keeps the token as it is).
bool byte_level_decode(std::string_view token, std::string& bytes);

}  // namespace xfmr::tok
