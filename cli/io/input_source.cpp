#include "cli/io/input_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "cli/io/line_reader.hpp"
#include "core/error.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::cli {

void fill_record(InputRecord& record, std::string_view line, const InputOptions& options) {
  record.fields = nlohmann::json::object();
  record.id.reset();
  record.error.clear();
  if (!tok::is_valid_utf8(line)) {
    record.error = "invalid UTF-8";
    return;
  }
  if (options.format == InputFormat::text) {
    record.fields[options.line_field] = std::string(line);
    return;
  }
  auto parsed = nlohmann::json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    record.error = "not a JSON object";
    return;
  }
  if (!parsed.is_object()) {
    record.error = "a JSONL input must be an object, e.g. {\"text\": \"...\"}";
    return;
  }
  if (auto it = parsed.find("id"); it != parsed.end()) record.id = *it;
  record.fields = std::move(parsed);
}

namespace {

class ArgumentSource final : public InputSource {
 public:
  explicit ArgumentSource(const InputOptions& options) : options_(options) {}
  bool next(InputRecord& record) override {
    while (position_ < options_.arguments.size()) {
      const std::string& argument = options_.arguments[position_++];
      if (options_.skip_empty && argument.empty()) continue;
      record.index = index_++;
      record.line_number = 0;
      fill_record(record, argument, options_);
      return true;
    }
    return false;
  }
  bool ready() override { return true; }
  std::optional<size_t> total() override { return options_.arguments.size(); }

 private:
  const InputOptions& options_;
  size_t position_ = 0;
  size_t index_ = 0;
};

class LineSource final : public InputSource {
 public:
  LineSource(const InputOptions& options, int fd, bool owns_fd)
      : options_(options), fd_(fd), owns_fd_(owns_fd), reader_(fd) {}
  ~LineSource() override {
    if (owns_fd_) ::close(fd_);
  }
  bool next(InputRecord& record) override {
    while (reader_.read_line(line_)) {
      ++line_number_;
      if (line_.empty() && (options_.skip_empty || options_.format == InputFormat::jsonl)) continue;
      record.index = index_++;
      record.line_number = line_number_;
      fill_record(record, line_, options_);
      return true;
    }
    return false;
  }
  bool ready() override { return reader_.ready(); }
  std::optional<size_t> total() override {
    if (!owns_fd_) return std::nullopt;
    if (!total_) total_ = count_inputs();
    return total_;
  }

 private:
  // Counts the lines of the file without disturbing the reader's position.
  size_t count_inputs() const {
    size_t lines = 0;
    char buffer[1 << 16];
    off_t offset = 0;
    char last = '\n';
    for (;;) {
      ssize_t n = ::pread(fd_, buffer, sizeof buffer, offset);
      if (n <= 0) break;
      offset += n;
      for (ssize_t i = 0; i < n; ++i) lines += buffer[i] == '\n';
      last = buffer[n - 1];
    }
    return lines + (last != '\n');
  }

  const InputOptions& options_;
  int fd_;
  bool owns_fd_;
  LineReader reader_;
  std::string line_;
  size_t line_number_ = 0;
  size_t index_ = 0;
  std::optional<size_t> total_;
};

}  // namespace

std::unique_ptr<InputSource> InputSource::open(const InputOptions& options) {
  if (!options.arguments.empty()) {
    if (!options.file.empty()) throw UsageError("give inputs as arguments or with --file, not both");
    return std::make_unique<ArgumentSource>(options);
  }
  if (options.file.empty() || options.file == "-") return std::make_unique<LineSource>(options, 0, false);
  int fd = ::open(options.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UsageError(fmt::format("cannot open input file {}: {}", options.file, std::strerror(errno)));
  return std::make_unique<LineSource>(options, fd, true);
}

}  // namespace xfmr::cli
