#pragma once
// The command line as plain data, read from the CLI11 definitions: what the
// completion scripts and the man pages' OPTIONS sections are generated from,
// so that they can never disagree with the flags xfmr really accepts.
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace xfmr::cli {

// What the shell should offer for an option's value (or a positional).
enum class ValueKind {
  none,     // a flag: takes no value
  text,     // free text or a number: nothing to offer
  choice,   // one of `choices`
  file,     // a file name
  model,    // a model folder or a Hub id found in the Hugging Face cache
};

struct OptionSpec {
  std::vector<std::string> short_names;  // "-m"
  std::vector<std::string> long_names;   // "--model", "--no-progress"
  std::string group;                     // CLI11 group ("Options", "Decoding (...)")
  std::string description;
  std::string value_name;                // "MODEL", "INT", "TEXT" (empty for flags)
  ValueKind kind = ValueKind::none;
  std::vector<std::string> choices;      // from an IsMember validator
  std::vector<std::string> constraints;  // other validators, in words ("a positive number")
  std::string default_value;             // as CLI11 captured it ("" when none)
  std::string env;                       // environment variable read as a default
  bool repeatable = false;               // may be given several times, each adding values

  std::vector<std::string> names() const;  // short names, then long names
};

struct PositionalSpec {
  std::string name;  // "INPUT", "SHELL"
  std::string description;
  ValueKind kind = ValueKind::text;
  std::vector<std::string> choices;
  bool many = false;
};

struct CommandSpec {
  std::string name;  // "xfmr" for the root
  std::string description;
  std::vector<OptionSpec> options;  // hidden ones (empty group) left out
  std::vector<PositionalSpec> positionals;
};

struct CliSpec {
  CommandSpec root;                   // the global options (valid before or after a subcommand)
  std::vector<CommandSpec> commands;  // visible subcommands, in registration order
  const CommandSpec* find(const std::string& name) const;
};

CliSpec read_cli_spec(CLI::App& root);

// Every flag spelling valid for a subcommand ("xfmr": the root alone): its own
// options, then the global ones, without duplicates.
std::vector<std::string> flag_names(const CliSpec& spec, const std::string& command);

}  // namespace xfmr::cli
