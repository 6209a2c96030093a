// xfmr completions bash|zsh|fish: the shell completion script, generated from
// the CLI definitions. Hidden options serve the scripts and the docs:
//   --list-models      Hub ids in the Hugging Face cache (the scripts call it for -m)
//   --list-flags SUB   every flag spelling of a subcommand (the man page test)
//   --man-options SUB  the roff OPTIONS section of a man page (scripts/regenerate-docs.sh)
#include <fmt/format.h>

#include "cli/completion/generators.hpp"
#include "cli/model_resolution.hpp"
#include "cli/subcommand.hpp"
#include "core/error.hpp"

namespace xfmr::cli {

namespace {

struct CompletionsFlags {
  std::string shell;
  bool list_models = false;
  std::string list_flags;
  std::string man_options;
};

const CommandSpec& command_named(const CliSpec& spec, const std::string& name) {
  if (const CommandSpec* command = spec.find(name)) return *command;
  std::string known = spec.root.name;
  for (const auto& c : spec.commands) known += ", " + c.name;
  throw UsageError(fmt::format("no subcommand {} (known: {})", name, known));
}

int run_completions(CLI::App& root, const CompletionsFlags& flags) {
  int asked = !flags.shell.empty() + flags.list_models + !flags.list_flags.empty() + !flags.man_options.empty();
  if (asked != 1) throw UsageError("completions: name one shell: bash, zsh or fish");
  if (flags.list_models) {
    for (const auto& id : cached_model_ids()) fmt::print("{}\n", id);
    return 0;
  }
  CliSpec spec = read_cli_spec(root);
  if (!flags.list_flags.empty()) {
    command_named(spec, flags.list_flags);
    for (const auto& name : flag_names(spec, flags.list_flags)) fmt::print("{}\n", name);
  } else if (!flags.man_options.empty()) {
    command_named(spec, flags.man_options);
    fmt::print("{}", man_options(spec, flags.man_options));
  } else if (flags.shell == "bash") {
    fmt::print("{}", bash_completion(spec));
  } else if (flags.shell == "zsh") {
    fmt::print("{}", zsh_completion(spec));
  } else {
    fmt::print("{}", fish_completion(spec));
  }
  return 0;
}

}  // namespace

void register_completions(CommandLine& cli) {
  auto flags = std::make_shared<CompletionsFlags>();
  auto* app = cli.root.add_subcommand("completions", "Print the shell completion script for bash, zsh or fish");
  app->footer(
      "Install (or see `cmake --install`, which does it):\n"
      "  bash: xfmr completions bash > ~/.local/share/bash-completion/completions/xfmr\n"
      "  zsh:  xfmr completions zsh > ~/.zfunc/_xfmr   (with fpath+=(~/.zfunc) before compinit)\n"
      "  fish: xfmr completions fish > ~/.config/fish/completions/xfmr.fish");
  app->add_option("SHELL", flags->shell, "The shell to complete for")->check(CLI::IsMember({"bash", "zsh", "fish"}));
  // Hidden (empty group): tools for the scripts and the docs, not for people.
  app->add_flag("--list-models", flags->list_models, "Print the Hub ids in the Hugging Face cache")->group("");
  app->add_option("--list-flags", flags->list_flags, "Print every flag of a subcommand")->group("");
  app->add_option("--man-options", flags->man_options, "Print a man page's OPTIONS section")->group("");
  cli.subcommands.push_back({app, [flags, &root = cli.root]() { return run_completions(root, *flags); }});
}

}  // namespace xfmr::cli
