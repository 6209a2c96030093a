#pragma once
// Python slices strings by code point; these map code point positions to bytes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xfmr::heads {

class CodePointIndex {
 public:
  explicit CodePointIndex(std::string_view text) : text_(text) {
    for (size_t i = 0; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts_.push_back(i);
    starts_.push_back(text.size());
  }
  size_t size() const { return starts_.size() - 1; }
  // text[begin:end] in code points, clamped as Python clamps slices.
  std::string_view slice(size_t begin, size_t end) const {
    begin = std::min(begin, size());
    end = std::max(begin, std::min(end, size()));
    return text_.substr(starts_[begin], starts_[end] - starts_[begin]);
  }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

inline size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace xfmr::heads
