#include "cli/io/record_writer.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "cli/io/json_text.hpp"
#include "core/error.hpp"

namespace xfmr::cli {

double round_score(double value) {
  if (!std::isfinite(value) || value == 0.0) return value;
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6);
  double rounded = value;
  std::from_chars(buffer, result.ptr, rounded);
  return rounded;
}

void write_out(std::FILE* out, std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), out) != text.size() || std::fflush(out) != 0) {
    if (errno == EPIPE) throw BrokenPipe{};
    throw Error(ExitCode::internal, fmt::format("cannot write output: {}", std::strerror(errno)));
  }
}

std::string tsv_field(std::string_view text) {
  std::string field(text);
  for (char& c : field)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return field;
}

namespace {

class JsonlWriter final : public RecordWriter {
 public:
  explicit JsonlWriter(std::FILE* out) : out_(out) {}
  void write(const Record& record) override { write_out(out_, json_text(record) + "\n"); }
  void finish() override {}

 private:
  std::FILE* out_;
};

// Streams the array element by element so nothing is held back until the end.
class JsonArrayWriter final : public RecordWriter {
 public:
  explicit JsonArrayWriter(std::FILE* out) : out_(out) {}
  void write(const Record& record) override {
    write_out(out_, (first_ ? "[\n" : ",\n") + json_text(record));
    first_ = false;
  }
  void finish() override { write_out(out_, first_ ? "[]\n" : "\n]\n"); }

 private:
  std::FILE* out_;
  bool first_ = true;
};

std::string error_text(const Record& record) {
  return "error: " + record["error"].get<std::string>();
}

class TextWriter final : public RecordWriter {
 public:
  TextWriter(const RecordFormatter& formatter, std::FILE* out) : formatter_(formatter), out_(out) {}
  void write(const Record& record) override {
    bool failed = record.contains("error");
    if (!failed && formatter_.text_already_printed()) return;
    std::string line = failed ? error_text(record) : formatter_.text_line(record);
    write_out(out_, line + "\n");
  }
  void finish() override {}

 private:
  const RecordFormatter& formatter_;
  std::FILE* out_;
};

class TsvWriter final : public RecordWriter {
 public:
  TsvWriter(const RecordFormatter& formatter, std::FILE* out) : formatter_(formatter), out_(out) {}
  void write(const Record& record) override {
    if (!header_written_) {
      write_row({"index"}, formatter_.tsv_header());
      header_written_ = true;
    }
    std::string index = std::to_string(index_++);
    if (record.contains("error")) {
      std::vector<std::string> row(formatter_.tsv_header().size());
      if (!row.empty()) row.back() = tsv_field(error_text(record));
      write_row({index}, row);
      return;
    }
    for (const auto& row : formatter_.tsv_rows(record)) write_row({index}, row);
  }
  void finish() override {
    if (!header_written_) write_row({"index"}, formatter_.tsv_header());
  }

 private:
  void write_row(std::vector<std::string> leading, const std::vector<std::string>& fields) {
    std::string line;
    for (const auto& f : leading) line += f + "\t";
    for (size_t i = 0; i < fields.size(); ++i) line += (i ? "\t" : "") + fields[i];
    write_out(out_, line + "\n");
  }
  const RecordFormatter& formatter_;
  std::FILE* out_;
  bool header_written_ = false;
  size_t index_ = 0;
};

}  // namespace

std::unique_ptr<RecordWriter> RecordWriter::create(OutputFormat format, const RecordFormatter& formatter,
                                                   std::FILE* out) {
  switch (format) {
    case OutputFormat::jsonl: return std::make_unique<JsonlWriter>(out);
    case OutputFormat::json: return std::make_unique<JsonArrayWriter>(out);
    case OutputFormat::text: return std::make_unique<TextWriter>(formatter, out);
    case OutputFormat::tsv: return std::make_unique<TsvWriter>(formatter, out);
  }
  throw Error(ExitCode::internal, "unknown output format");
}

}  // namespace xfmr::cli
