#include "tokenize/unicode.hpp"

#include <algorithm>
#include <cstddef>

#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace tables {
extern const uint32_t category_starts[];
extern const size_t category_starts_size;
extern const uint8_t category_values[];
extern const uint32_t lower_cps[];
extern const size_t lower_cps_size;
extern const uint32_t lower_at[];
extern const uint8_t lower_len[];
extern const uint32_t lower_pool[];
extern const uint32_t decomp_cps[];
extern const size_t decomp_cps_size;
extern const uint32_t decomp_canon_at[];
extern const uint8_t decomp_canon_len[];
extern const uint32_t decomp_compat_at[];
extern const uint8_t decomp_compat_len[];
extern const uint32_t decomp_pool[];
extern const uint32_t ccc_first[];
extern const uint32_t ccc_last[];
extern const size_t ccc_first_size;
extern const uint8_t ccc_value[];
extern const uint64_t compose_keys[];
extern const size_t compose_keys_size;
extern const uint32_t compose_values[];
}  // namespace tables

namespace {

constexpr uint32_t kHangulBase = 0xAC00, kHangulL = 0x1100, kHangulV = 0x1161, kHangulT = 0x11A7;
constexpr uint32_t kHangulLCount = 19, kHangulVCount = 21, kHangulTCount = 28;
constexpr uint32_t kHangulNCount = kHangulVCount * kHangulTCount;
constexpr uint32_t kHangulSCount = kHangulLCount * kHangulNCount;

struct AsciiCategories {
  Category values[128];
  AsciiCategories() {
    for (uint32_t c = 0; c < 128; ++c) {
      const uint32_t* end = tables::category_starts + tables::category_starts_size;
      const uint32_t* it = std::upper_bound(tables::category_starts, end, c);
      values[c] = static_cast<Category>(tables::category_values[it - tables::category_starts - 1]);
    }
  }
};

const AsciiCategories& ascii_categories() {
  static const AsciiCategories table;
  return table;
}

ptrdiff_t find_decomposition(uint32_t cp) {
  const uint32_t* end = tables::decomp_cps + tables::decomp_cps_size;
  const uint32_t* it = std::lower_bound(tables::decomp_cps, end, cp);
  if (it == end || *it != cp) return -1;
  return it - tables::decomp_cps;
}

}  // namespace

Category category(uint32_t cp) {
  if (cp < 128) return ascii_categories().values[cp];
  if (cp >= 0x110000) return Category::Cn;
  const uint32_t* end = tables::category_starts + tables::category_starts_size;
  const uint32_t* it = std::upper_bound(tables::category_starts, end, cp);
  return static_cast<Category>(tables::category_values[it - tables::category_starts - 1]);
}

bool is_letter(uint32_t cp) { return is_letter(category(cp)); }
bool is_number(uint32_t cp) { return is_number(category(cp)); }

bool is_white_space(uint32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20;
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_python_space(uint32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20);
  return is_white_space(cp);
}

bool is_word_char(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
  }
  Category c = category(cp);
  return is_letter(c) || is_mark(c) || is_number(c) || c == Category::Pc;
}

bool is_cjk(uint32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
         (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

bool is_bert_punctuation(uint32_t cp) {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  return is_punctuation(category(cp));
}

int lower_code_points(uint32_t cp, uint32_t out[3]) {
  if (cp < 0x80) {
    out[0] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return 1;
  }
  const uint32_t* end = tables::lower_cps + tables::lower_cps_size;
  const uint32_t* it = std::lower_bound(tables::lower_cps, end, cp);
  if (it == end || *it != cp) {
    out[0] = cp;
    return 1;
  }
  size_t row = it - tables::lower_cps;
  int n = tables::lower_len[row];
  for (int k = 0; k < n && k < 3; ++k) out[k] = tables::lower_pool[tables::lower_at[row] + k];
  return n < 3 ? n : 3;
}

void append_lower(std::string& out, uint32_t cp) {
  uint32_t lowered[3];
  int n = lower_code_points(cp, lowered);
  for (int k = 0; k < n; ++k) append_utf8(out, lowered[k]);
}

uint8_t combining_class(uint32_t cp) {
  if (cp < 0x300) return 0;
  const uint32_t* end = tables::ccc_first + tables::ccc_first_size;
  const uint32_t* it = std::upper_bound(tables::ccc_first, end, cp);
  if (it == tables::ccc_first) return 0;
  size_t row = it - tables::ccc_first - 1;
  return cp <= tables::ccc_last[row] ? tables::ccc_value[row] : 0;
}

void append_decomposition(std::vector<uint32_t>& out, uint32_t cp, bool compat) {
  if (cp >= kHangulBase && cp < kHangulBase + kHangulSCount) {
    uint32_t s = cp - kHangulBase;
    out.push_back(kHangulL + s / kHangulNCount);
    out.push_back(kHangulV + (s % kHangulNCount) / kHangulTCount);
    if (s % kHangulTCount != 0) out.push_back(kHangulT + s % kHangulTCount);
    return;
  }
  if (cp < 0xA0) {
    out.push_back(cp);
    return;
  }
  ptrdiff_t row = find_decomposition(cp);
  if (row < 0) {
    out.push_back(cp);
    return;
  }
  uint32_t at = compat ? tables::decomp_compat_at[row] : tables::decomp_canon_at[row];
  uint8_t len = compat ? tables::decomp_compat_len[row] : tables::decomp_canon_len[row];
  if (len == 0) {
    out.push_back(cp);
    return;
  }
  out.insert(out.end(), tables::decomp_pool + at, tables::decomp_pool + at + len);
}

uint32_t compose_pair(uint32_t first, uint32_t second) {
  if (first >= kHangulL && first < kHangulL + kHangulLCount && second >= kHangulV &&
      second < kHangulV + kHangulVCount) {
    return kHangulBase + ((first - kHangulL) * kHangulVCount + (second - kHangulV)) * kHangulTCount;
  }
  if (first >= kHangulBase && first < kHangulBase + kHangulSCount && (first - kHangulBase) % kHangulTCount == 0 &&
      second > kHangulT && second < kHangulT + kHangulTCount) {
    return first + (second - kHangulT);
  }
  uint64_t key = (static_cast<uint64_t>(first) << 21) | second;
  const uint64_t* end = tables::compose_keys + tables::compose_keys_size;
  const uint64_t* it = std::lower_bound(tables::compose_keys, end, key);
  if (it == end || *it != key) return 0;
  return tables::compose_values[it - tables::compose_keys];
}

void normalize_code_points(std::vector<uint32_t>& cps, NormalForm form) {
  bool compat = form == NormalForm::NFKC || form == NormalForm::NFKD;
  std::vector<uint32_t> out;
  out.reserve(cps.size() + 8);
  for (uint32_t cp : cps) append_decomposition(out, cp, compat);
  // Canonical ordering: stable sort of each run of non-starters by class.
  for (size_t i = 0; i < out.size();) {
    if (combining_class(out[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < out.size() && combining_class(out[j]) != 0) ++j;
    std::stable_sort(out.begin() + i, out.begin() + j,
                     [](uint32_t a, uint32_t b) { return combining_class(a) < combining_class(b); });
    i = j;
  }
  if (form == NormalForm::NFD || form == NormalForm::NFKD) {
    cps.swap(out);
    return;
  }
  // Canonical composition: a character joins the last starter unless a
  // character of the same or higher class (or a starter) stands between them.
  cps.clear();
  ptrdiff_t starter = -1;
  uint8_t last_class = 0;
  for (uint32_t cp : out) {
    uint8_t cls = combining_class(cp);
    if (starter >= 0) {
      bool adjacent = cps.size() == static_cast<size_t>(starter) + 1;
      if (adjacent || last_class < cls) {
        uint32_t composed = compose_pair(cps[starter], cp);
        if (composed != 0) {
          cps[starter] = composed;
          continue;
        }
      }
    }
    if (cls == 0) starter = static_cast<ptrdiff_t>(cps.size());
    last_class = cls;
    cps.push_back(cp);
  }
}

bool is_normalization_boundary(uint32_t cp) {
  if (cp < 0x300) return true;
  if (combining_class(cp) != 0) return false;
  if (cp >= kHangulV && cp < 0x1200) return false;  // Hangul vowels and trailing consonants
  // A few other starters compose with the starter before them.
  static const std::vector<uint32_t> backward = [] {
    std::vector<uint32_t> seconds;
    for (size_t i = 0; i < tables::compose_keys_size; ++i) {
      uint32_t second = static_cast<uint32_t>(tables::compose_keys[i] & 0x1FFFFF);
      if (combining_class(second) == 0) seconds.push_back(second);
    }
    std::sort(seconds.begin(), seconds.end());
    return seconds;
  }();
  return !std::binary_search(backward.begin(), backward.end(), cp);
}

}  // namespace xfmr::tok
