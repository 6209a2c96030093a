#pragma once
// Where inputs come from (docs/cli.md "Inputs"): arguments, or lines of stdin
// or of a file (-f), each either plain text or a JSONL object (--input jsonl).
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/io/input_record.hpp"

namespace xfmr::cli {

enum class InputFormat { text, jsonl };

struct InputOptions {
  InputFormat format = InputFormat::text;
  std::vector<std::string> arguments;  // non-empty: these are the inputs
  std::string file;                    // "" or "-": standard input
  bool skip_empty = false;
  // The field a plain-text line fills ("text"; qa fills "context", tokenize --decode "ids").
  std::string line_field = "text";
};

class InputSource {
 public:
  virtual ~InputSource() = default;
  static std::unique_ptr<InputSource> open(const InputOptions& options);

  // Reads the next input; false at the end of the inputs.
  virtual bool next(InputRecord& record) = 0;
  // True when next() would return without waiting for more input: batches are
  // filled only from what is already there, so interactive use stays responsive.
  virtual bool ready() = 0;
  // The number of inputs when it is known up front (arguments, -f FILE).
  virtual std::optional<size_t> total() = 0;
};

// Turns a raw line (no newline) into a record: UTF-8 check, JSON parse, id.
void fill_record(InputRecord& record, std::string_view line, const InputOptions& options);

}  // namespace xfmr::cli
