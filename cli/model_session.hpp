#pragma once
// What every model subcommand does first: pick the model (-m, XFMR_MODEL or
// the subcommand's default), set the threads, load tokenizer and weights.
#include <filesystem>
#include <memory>
#include <string>

#include "cli/global_options.hpp"
#include "core/encoder.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::cli {

// -m / XFMR_MODEL, else the subcommand's default Hub id, resolved to a folder.
std::filesystem::path model_folder(const GlobalOptions& options, const char* default_model);

// --threads, or one per core; the only thread setting (BLAS owns the pool).
void apply_threads(const GlobalOptions& options);

// A warning printed once per run (and never with --quiet).
class OnceWarning {
 public:
  void print(const GlobalOptions& options, const std::string& message);

 private:
  bool printed_ = false;
};

struct EncoderSession {
  std::filesystem::path folder;
  std::unique_ptr<tok::Tokenizer> tokenizer;
  std::unique_ptr<EncoderModel> model;
  size_t max_tokens = 0;  // inputs are cut to this many tokens, specials included
};

// Loads an encoder and checks it has the head the subcommand needs.
EncoderSession load_encoder(const GlobalOptions& options, const char* default_model, EncoderHead head,
                            const char* subcommand);

}  // namespace xfmr::cli
