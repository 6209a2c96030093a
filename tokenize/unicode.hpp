#pragma once
// Unicode properties the tokenizers need, from the generated tables
// (tokenize/unicode_tables.cpp, made by tokenize/tools/gen_unicode_tables.py).
#include <cstdint>
#include <string>
#include <vector>

namespace xfmr::tok {

enum class Category : uint8_t {
  Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No, Pc, Pd, Ps, Pe, Pi, Pf, Po,
  Sm, Sc, Sk, So, Zs, Zl, Zp, Cc, Cf, Cs, Co, Cn
};

Category category(uint32_t cp);

inline bool is_letter(Category c) { return c <= Category::Lo; }
inline bool is_mark(Category c) { return c >= Category::Mn && c <= Category::Me; }
inline bool is_number(Category c) { return c >= Category::Nd && c <= Category::No; }
inline bool is_punctuation(Category c) { return c >= Category::Pc && c <= Category::Po; }
inline bool is_symbol(Category c) { return c >= Category::Sm && c <= Category::So; }
inline bool is_other(Category c) { return c >= Category::Cc; }

bool is_letter(uint32_t cp);
bool is_number(uint32_t cp);
// The Unicode White_Space property (Rust's char::is_whitespace, regex \s).
bool is_white_space(uint32_t cp);
// Python's str.isspace().
bool is_python_space(uint32_t cp);
// \w of the regex engines: letters, marks, numbers, connector punctuation.
bool is_word_char(uint32_t cp);
// BERT's CJK ideograph blocks.
bool is_cjk(uint32_t cp);
// BERT's punctuation: ASCII punctuation or any P* category.
bool is_bert_punctuation(uint32_t cp);

// Full lowercase mapping (Python's str.lower, Rust's char::to_lowercase).
void append_lower(std::string& out, uint32_t cp);
// Number of code points `cp` lowercases to, writing them to out[0..3].
int lower_code_points(uint32_t cp, uint32_t out[3]);

uint8_t combining_class(uint32_t cp);

// Appends the full decomposition (canonical, or compatibility when `compat`)
// of cp, Hangul included; cp itself when it has none.
void append_decomposition(std::vector<uint32_t>& out, uint32_t cp, bool compat);
// Canonical composition of a pair, 0 when none.
uint32_t compose_pair(uint32_t first, uint32_t second);

enum class NormalForm { NFC, NFD, NFKC, NFKD };
// Normalizes a code point sequence in place (decompose, reorder, compose).
void normalize_code_points(std::vector<uint32_t>& cps, NormalForm form);
// Whether a character starts a new group for normalization (ccc 0 and stable
// under decomposition): normalizing between such boundaries is independent.
bool is_normalization_boundary(uint32_t cp);

}  // namespace xfmr::tok
