#pragma once
// A subcommand's work, seen by the shared runner: the runner reads inputs,
// batches them, hands them to the task and writes what it returns.
#include <span>
#include <string>

#include "cli/global_options.hpp"
#include "cli/io/input_record.hpp"
#include "cli/io/record_writer.hpp"

namespace xfmr::cli {

// The result of one input: a record, or the reason it failed.
struct Outcome {
  Record record = Record::object();
  std::string error;
};

class Task : public RecordFormatter {
 public:
  // Loads the model and checks the flags; called once, after parsing.
  virtual void prepare(const GlobalOptions& options) = 0;
  // outcomes[i] answers records[i]. A task may throw InputError for a whole
  // batch; the runner then retries the records one at a time.
  virtual void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) = 0;
  // The field that a plain line of text fills.
  virtual std::string line_field() const { return "text"; }
};

// Reads every input, runs the task and writes the records; returns the exit code.
int run_task(Task& task, const GlobalOptions& options, const std::vector<std::string>& arguments);

// Set by the SIGINT handler; the runner stops after the current batch.
bool interrupted();

}  // namespace xfmr::cli
