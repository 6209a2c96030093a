#pragma once
#include <string>
#include <vector>

namespace xfmr::cli {

// Buffered line reader over a file descriptor; lines lose their "\n" and a
// trailing "\r". Never blocks in has_buffered_line().
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  bool read_line(std::string& line);  // false at end of file
  // True if a complete line (or end of file) can be returned without blocking.
  bool ready();

 private:
  bool fill(bool blocking);
  int fd_;
  std::vector<char> buffer_ = std::vector<char>(1 << 16);
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
};

}  // namespace xfmr::cli
