#pragma once
// Text generated from the CLI definitions: the shell completion scripts
// (completions/) and the OPTIONS sections of the man pages (man/).
#include <string>

#include "cli/completion/cli_spec.hpp"

namespace xfmr::cli {

std::string bash_completion(const CliSpec& spec);
std::string zsh_completion(const CliSpec& spec);
std::string fish_completion(const CliSpec& spec);

// The roff text of one page's OPTIONS section: the command's own options by
// group, then (for a subcommand) the global options. `command` is a
// subcommand's name or "xfmr".
std::string man_options(const CliSpec& spec, const std::string& command);

// 'text' for sh-like shells: the only character needing care is the quote itself.
std::string shell_quote(const std::string& text);

}  // namespace xfmr::cli
