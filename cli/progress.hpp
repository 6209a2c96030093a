#pragma once
// The progress bar on stderr (docs/cli.md "Interaction"): drawn only when
// stderr is a terminal (or with --progress), never with --no-progress or -q,
// and never mixed with the records on stdout.
//
//   Progress progress(options.progress, options.quiet, [&] { return source->total(); });
//   for each record: progress.before_record(); write it; progress.advance();
//   progress.clear() before any other message on stderr; progress.finish() at the end.
//
// On a terminal the bar is one line redrawn in place: count, rate, elapsed time,
// and, when the total is known (-f FILE), percentage and ETA. Forced onto a
// pipe or a file (--progress), it prints a plain status line every few seconds.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace xfmr::cli {

class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  // total() is asked once, when the bar is first drawn (counting a file costs a pass).
  Progress(std::optional<bool> forced, bool quiet, std::function<std::optional<size_t>()> total);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // The task writes to stdout while it runs (generate --stream): when stdout is
  // the same terminal, the streamed text is the progress, and no bar is drawn.
  void stdout_streams(bool streams);

  void advance(size_t records = 1);
  // Call before writing a record to stdout: when stdout is the same terminal, the
  // bar is erased so that the record starts on a clean line (advance() redraws it).
  void before_record();
  // Erases the bar so that a message can be printed on stderr on a clean line.
  void clear();
  // Draws the final state (100%, total time) and ends the line.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  std::string status_line(bool final, int width) const;
  void draw(bool final);

  bool enabled_ = false;
  bool terminal_ = false;           // stderr is a terminal: redraw in place
  bool shares_terminal_ = false;    // stdout is a terminal too: records and bar share lines
  bool started_ = false;            // the bar has been drawn at least once
  bool visible_ = false;            // the bar is on the screen now
  size_t done_ = 0;
  std::optional<size_t> total_;
  std::function<std::optional<size_t>()> total_source_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
};

}  // namespace xfmr::cli
