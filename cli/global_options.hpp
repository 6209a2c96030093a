#pragma once
#include <cstddef>
#include <optional>
#include <string>

namespace xfmr::cli {

// Options valid before or after any subcommand (docs/cli.md "Shape").
struct GlobalOptions {
  std::string model;             // -m; XFMR_MODEL when not given
  std::string revision = "main";
  int threads = 0;               // 0: one per core
  std::string output;            // text|json|jsonl|tsv; "" = text on a terminal, else jsonl
  size_t batch_size = 8;
  size_t max_length = 0;         // 0: the model's maximum
  std::optional<bool> progress;  // unset: on when stderr is a terminal
  bool quiet = false;
  bool verbose = false;
  std::string input = "text";    // text|jsonl
  std::string file;              // -f; "" = stdin
  bool skip_empty = false;
  bool fail_fast = false;
};

}  // namespace xfmr::cli
