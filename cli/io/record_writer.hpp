#pragma once
// Output records (docs/cli.md "Outputs"): one per input, in input order,
// flushed one at a time. JSON shapes are the task's; text and TSV lines come
// from the task's RecordFormatter.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/io/record.hpp"

namespace xfmr::cli {

enum class OutputFormat { text, json, jsonl, tsv };

// Scores are printed with 6 significant digits, as cli.md asks: the value is
// rounded once here and nlohmann prints the shortest form that reads back.
double round_score(double value);

class RecordFormatter {
 public:
  virtual ~RecordFormatter() = default;
  // One readable line (without "\n") for a successful record.
  virtual std::string text_line(const Record& record) const = 0;
  virtual std::vector<std::string> tsv_header() const = 0;
  // One or more TSV rows (e.g. one per entity), fields without tabs/newlines.
  virtual std::vector<std::vector<std::string>> tsv_rows(const Record& record) const = 0;
  // True when the task has already printed its text output itself (generate --stream).
  virtual bool text_already_printed() const { return false; }
};

// Raised when stdout is closed under us (`xfmr ... | head -1`): stop quietly.
struct BrokenPipe {};

class RecordWriter {
 public:
  static std::unique_ptr<RecordWriter> create(OutputFormat format, const RecordFormatter& formatter,
                                              std::FILE* out = stdout);
  virtual ~RecordWriter() = default;
  virtual void write(const Record& record) = 0;
  // Closes the output (e.g. the JSON array); called once at the end.
  virtual void finish() = 0;
};

// Writes and flushes, turning EPIPE into BrokenPipe.
void write_out(std::FILE* out, std::string_view text);

// A TSV field: tabs and newlines would break the columns, so they become spaces.
std::string tsv_field(std::string_view text);

}  // namespace xfmr::cli
