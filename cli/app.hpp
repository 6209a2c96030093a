#pragma once
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"
#include "cli/subcommand.hpp"

namespace xfmr::cli {

// The whole command line: the root app with its global options and every
// subcommand. Also used to generate completions and check the man pages.
struct Application {
  CLI::App app{"xfmr: run Hugging Face transformer models on the CPU", "xfmr"};
  GlobalOptions options;
  std::vector<Subcommand> subcommands;
  Application();
};

int run_application(int argc, char** argv);

}  // namespace xfmr::cli
