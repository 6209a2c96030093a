#include "cli/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace xfmr::cli {

namespace {

// Fewer inputs than this finish before a bar would help.
constexpr size_t kMinimumInputs = 10;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
// Not a terminal: one status line every so often, a log file's worth.
constexpr auto kLogInterval = std::chrono::seconds(5);

int terminal_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20) return size.ws_col;
  return 80;
}

std::string duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string rate_text(double rate) {
  if (rate >= 100) return fmt::format("{:.0f}/s", rate);
  return fmt::format("{:.1f}/s", rate);
}

// stderr is written with write(2): the bar must reach the terminal now, and
// stdio's buffering of stderr is not something to rely on.
void put(const std::string& text) {
  std::fflush(stderr);
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, data, left);
    if (n <= 0) return;  // a progress bar is not worth failing for
    data += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

Progress::Progress(std::optional<bool> forced, bool quiet, std::function<std::optional<size_t>()> total)
    : total_source_(std::move(total)) {
  terminal_ = ::isatty(STDERR_FILENO) != 0;
  enabled_ = !quiet && forced.value_or(terminal_);
  shares_terminal_ = terminal_ && ::isatty(STDOUT_FILENO) != 0;
}

void Progress::advance(size_t records) {
  done_ += records;
  if (!enabled_ || done_ < kMinimumInputs) return;
  if (!started_) {
    total_ = total_source_();
    if (total_ && *total_ < kMinimumInputs) enabled_ = false;
    if (!enabled_) return;
  }
  auto now = Clock::now();
  // A bar erased for a record or a message comes back at once; otherwise redraws are spaced.
  const bool shown = terminal_ ? visible_ : started_;
  const Clock::duration interval = terminal_ ? Clock::duration(kRedrawInterval) : Clock::duration(kLogInterval);
  if (shown && now - last_draw_ < interval) return;
  last_draw_ = now;
  draw(false);
}

void Progress::stdout_streams(bool streams) {
  if (streams && shares_terminal_) enabled_ = false;
}

void Progress::before_record() {
  if (shares_terminal_) clear();
}

void Progress::clear() {
  if (!visible_ || !terminal_) return;
  put("\r\033[K");
  visible_ = false;
}

void Progress::finish() {
  if (!started_) return;
  draw(true);
  if (terminal_) put("\n");
  visible_ = false;
}

std::string Progress::status_line(bool final, int width) const {
  double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  std::string count = total_ ? fmt::format("{}/{}", done_, *total_) : fmt::format("{}", done_);
  std::string right = fmt::format(" {} {} {}", count, rate_text(rate), duration(elapsed));
  if (!total_ || *total_ == 0) return "xfmr:" + right;
  double fraction = std::min(1.0, static_cast<double>(done_) / *total_);
  if (!final && rate > 0) right += fmt::format(" ETA {}", duration((*total_ - std::min(done_, *total_)) / rate));
  std::string percent = fmt::format("{:3.0f}%", fraction * 100);
  if (width == 0) return "xfmr: " + percent + right;  // a log line: no bar
  int bar = std::max(10, width - static_cast<int>(percent.size() + right.size()) - 4);
  int filled = static_cast<int>(fraction * bar);
  return fmt::format("{} [{}{}]{}", percent, std::string(filled, '#'), std::string(bar - filled, '.'), right);
}

void Progress::draw(bool final) {
  started_ = true;
  if (terminal_) {
    put("\r\033[K" + status_line(final, terminal_width()));
    visible_ = true;
  } else {
    put(status_line(final, 0) + "\n");
  }
}

}  // namespace xfmr::cli
