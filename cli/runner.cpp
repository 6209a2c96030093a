#include <unistd.h>

#include <signal.h>

#include <csignal>
#include <memory>

#include <fmt/format.h>

#include "cli/io/input_source.hpp"
#include "cli/progress.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"

namespace xfmr::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

// The first Ctrl-C finishes the current batch and flushes; a second one ends the process.
extern "C" void on_sigint(int) {
  if (g_interrupted) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
  }
  g_interrupted = 1;
}

// Without SA_RESTART, so that a read() waiting for input returns and the run can end.
void catch_sigint() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
}

OutputFormat output_format(const std::string& name) {
  if (name.empty()) return ::isatty(1) ? OutputFormat::text : OutputFormat::jsonl;
  if (name == "text") return OutputFormat::text;
  if (name == "json") return OutputFormat::json;
  if (name == "jsonl") return OutputFormat::jsonl;
  if (name == "tsv") return OutputFormat::tsv;
  throw UsageError(fmt::format("--output: unknown format {} (text, json, jsonl, tsv)", name));
}

// The id goes first, so that a reader sees which input a record answers.
Record with_id(const InputRecord& input, Record body) {
  if (!input.id) return body;
  Record record = Record::object();
  record["id"] = *input.id;
  for (auto& [key, value] : body.items())
    if (key != "id") record[key] = std::move(value);
  return record;
}

void run_batch(Task& task, std::span<const InputRecord* const> records, std::span<Outcome> outcomes) {
  try {
    task.run(records, outcomes);
    return;
  } catch (const InputError& e) {
    if (records.size() == 1) {
      outcomes[0].error = e.what();
      return;
    }
  }
  for (size_t i = 0; i < records.size(); ++i) {
    try {
      task.run(records.subspan(i, 1), outcomes.subspan(i, 1));
    } catch (const InputError& e) {
      outcomes[i] = Outcome{};
      outcomes[i].error = e.what();
    }
  }
}

}  // namespace

bool interrupted() { return g_interrupted != 0; }

int run_task(Task& task, const GlobalOptions& options, const std::vector<std::string>& arguments) {
  InputOptions input_options;
  if (options.input == "jsonl") input_options.format = InputFormat::jsonl;
  else if (options.input != "text") throw UsageError(fmt::format("--input: unknown format {} (text, jsonl)", options.input));
  input_options.arguments = arguments;
  input_options.file = options.file;
  input_options.skip_empty = options.skip_empty;
  input_options.line_field = task.line_field();
  OutputFormat format = output_format(options.output);

  task.prepare(options);
  auto source = InputSource::open(input_options);
  auto writer = RecordWriter::create(format, task);
  Progress progress(options.progress, options.quiet, [&] { return source->total(); });
  progress.stdout_streams(task.text_already_printed());

  catch_sigint();
  const size_t batch_size = std::max<size_t>(1, options.batch_size);
  std::vector<InputRecord> batch(batch_size);
  std::vector<const InputRecord*> readable;
  std::vector<Outcome> outcomes;
  bool any_failed = false;
  bool more = true;
  while (more && !interrupted()) {
    size_t count = 0;
    // The first input of a batch may wait; the rest are taken only if already there.
    while (count < batch_size && (count == 0 || source->ready())) {
      if (!source->next(batch[count])) {
        more = false;
        break;
      }
      ++count;
    }
    if (count == 0) break;
    readable.clear();
    for (size_t i = 0; i < count; ++i)
      if (batch[i].error.empty()) readable.push_back(&batch[i]);
    outcomes.assign(readable.size(), Outcome{});
    if (!readable.empty()) run_batch(task, readable, outcomes);

    for (size_t i = 0, r = 0; i < count; ++i) {
      const InputRecord& input = batch[i];
      std::string error = input.error;
      Record body;
      if (error.empty()) {
        Outcome& outcome = outcomes[r++];
        error = outcome.error;
        body = std::move(outcome.record);
      }
      if (!error.empty()) {
        any_failed = true;
        body = Record::object();
        body["error"] = error;
        if (!options.quiet) {
          std::string where = input.line_number ? fmt::format("line {}", input.line_number)
                                                : fmt::format("input {}", input.index + 1);
          progress.clear();
          fmt::print(stderr, "xfmr: error: {}: {}\n", where, error);
        }
      }
      progress.before_record();
      writer->write(with_id(input, std::move(body)));
      progress.advance();
      if (!error.empty() && options.fail_fast) {
        more = false;
        break;
      }
    }
  }
  writer->finish();
  progress.finish();
  if (interrupted()) return static_cast<int>(ExitCode::interrupted);
  return any_failed ? static_cast<int>(ExitCode::input) : 0;
}

}  // namespace xfmr::cli
