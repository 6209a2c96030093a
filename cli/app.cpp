#include "cli/app.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr::cli {

namespace {

constexpr const char* kExamples = R"(Examples:
  xfmr tokenize "I love NLP!"
  echo "I love this movie" | xfmr classify -m ./distilbert-sst2
  xfmr ner -m dslim/bert-base-NER "My name is Wolfgang and I live in Berlin"
  xfmr qa -m ./distilbert-squad --question "Where do I live?" --context "My name is Wolfgang and I live in Berlin"
  xfmr fill-mask -m distilbert/distilroberta-base "Paris is the <mask> of France."
  xfmr generate -m gpt2 --num-beams 4 --no-repeat-ngram-size 2 "Once upon a time"
  xfmr translate -m google-t5/t5-small "The house is wonderful."
  cat docs.jsonl | xfmr summarize -m sshleifer/distilbart-cnn-12-6 --input jsonl -o jsonl
  xfmr choose -m ./bert-swag --prompt "She opened the door" --choice "and walked in." --choice "and ate the door."

Exit codes: 0 ok, 1 internal error, 2 usage error, 3 model not found or not loadable,
4 some inputs failed (their records carry "error"), 130 interrupted.)";

void add_global_options(CLI::App& app, GlobalOptions& o) {
  app.add_option("-m,--model", o.model, "Model folder, or Hub id in the Hugging Face cache")
      ->envname("XFMR_MODEL")
      ->type_name("MODEL");
  app.add_option("--revision", o.revision, "Hub revision (branch, tag or commit) for -m org/name")
      ->capture_default_str();
  app.add_option("-t,--threads", o.threads, "Threads for the matrix products (default: one per core)")
      ->check(CLI::Range(0, 1024));
  app.add_option("-o,--output", o.output, "Output format (default: text on a terminal, else jsonl)")
      ->check(CLI::IsMember({"text", "json", "jsonl", "tsv"}));
  app.add_option("--input", o.input, "Input format: one text per line, or one JSON object per line")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  app.add_option("-f,--file", o.file, "Read inputs from FILE instead of standard input")->type_name("FILE");
  app.add_option("--batch-size", o.batch_size, "Inputs run through the model together")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--max-length", o.max_length, "Truncate inputs to N tokens (default: the model's maximum)");
  app.add_flag("--progress,!--no-progress", o.progress, "Show a progress bar on stderr (default: when it is a terminal)");
  o.progress.reset();  // CLI11 2.1 stores false in an optional<bool> flag when adding it: unset means "not given"
  app.add_flag("--skip-empty", o.skip_empty, "Skip empty input lines instead of answering them");
  app.add_flag("--fail-fast", o.fail_fast, "Stop at the first input that fails (exit 4)");
  app.add_flag("-q,--quiet", o.quiet, "Print no warnings or per-input errors on stderr");
  app.add_flag("-v,--verbose", o.verbose, "Print what is loaded and how long it takes on stderr");
  // As in git: a global option given twice (e.g. in an alias and again) keeps the last value.
  for (CLI::Option* option : app.get_options())
    if (option->get_type_size() != 0) option->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

}  // namespace

Application::Application() {
  app.footer(kExamples);
  app.set_version_flag("--version", std::string("xfmr ") + XFMR_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  add_global_options(app, options);
  CommandLine cli{app, options, subcommands};
  register_tokenize(cli);
  register_classify(cli);
  register_ner(cli);
  register_qa(cli);
  register_fill_mask(cli);
  register_choose(cli);
  register_generate(cli);
  register_translate(cli);
  register_summarize(cli);
  register_info(cli);
  register_completions(cli);
}

void add_inputs(CLI::App& app, std::vector<std::string>& inputs) {
  // Inputs are taken verbatim: with extra args allowed, CLI11 would split an input
  // written as "[a, b]" into a list; the huge expected count makes the positional
  // take every argument instead, and TakeAll keeps CLI11 from checking that count.
  app.add_option("INPUT", inputs, "Inputs (default: one per line of standard input)")
      ->expected(1 << 30)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->option_text("TEXT ...");
}

int run_application(int argc, char** argv) {
  Application application;
  try {
    application.app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    const CLI::App* target = &application.app;
    for (const auto& sub : application.subcommands)
      if (sub.app->parsed()) target = sub.app;
    fmt::print("{}", target->help());
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    fmt::print("{}", application.app.help("", CLI::AppFormatMode::All));
    return 0;
  } catch (const CLI::CallForVersion& e) {
    fmt::print("{}\n", e.what());
    return 0;
  } catch (const CLI::ParseError& e) {
    throw UsageError(fmt::format("{}\nRun 'xfmr --help' for usage.", e.what()));
  }
  for (auto& sub : application.subcommands)
    if (sub.app->parsed()) return sub.run();
  throw UsageError("no subcommand given");
}

}  // namespace xfmr::cli
