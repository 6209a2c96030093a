#pragma once
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace xfmr::cli {

// A registered subcommand: its CLI11 node and what runs when it is chosen.
struct Subcommand {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

struct CommandLine {
  CLI::App& root;
  GlobalOptions& options;
  std::vector<Subcommand>& subcommands;
};

// Each subcommand's file registers itself through one of these.
void register_tokenize(CommandLine& cli);
void register_classify(CommandLine& cli);
void register_ner(CommandLine& cli);
void register_qa(CommandLine& cli);
void register_fill_mask(CommandLine& cli);
void register_generate(CommandLine& cli);
void register_translate(CommandLine& cli);
void register_summarize(CommandLine& cli);
void register_choose(CommandLine& cli);
void register_info(CommandLine& cli);
void register_completions(CommandLine& cli);

// Adds the positional INPUT... arguments every task subcommand takes.
void add_inputs(CLI::App& app, std::vector<std::string>& inputs);

}  // namespace xfmr::cli
