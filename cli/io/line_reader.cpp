#include "cli/io/line_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "cli/task.hpp"
#include "core/error.hpp"

namespace xfmr::cli {

bool LineReader::fill(bool blocking) {
  if (eof_) return false;
  if (!blocking) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
  }
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  for (;;) {
    ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n > 0) {
      end_ += static_cast<size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR) {
      if (!interrupted()) continue;
      eof_ = true;  // Ctrl-C: no more input, finish what was read
      return false;
    }
    throw Error(ExitCode::internal, fmt::format("cannot read input: {}", std::strerror(errno)));
  }
}

bool LineReader::ready() {
  for (;;) {
    if (std::memchr(buffer_.data() + begin_, '\n', end_ - begin_) || eof_) return true;
    if (!fill(false)) return eof_;
  }
}

bool LineReader::read_line(std::string& line) {
  size_t scanned = 0;
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start + scanned, '\n', end_ - begin_ - scanned);
    if (newline) {
      size_t length = static_cast<const char*>(newline) - start;
      line.assign(start, length);
      begin_ += length + 1;
      break;
    }
    scanned = end_ - begin_;
    if (!fill(true)) {
      if (begin_ == end_) return false;
      line.assign(buffer_.data() + begin_, end_ - begin_);  // last line without "\n"
      begin_ = end_;
      break;
    }
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

}  // namespace xfmr::cli
