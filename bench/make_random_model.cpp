// xfmr_make_random_model CONFIG OUT_DIR: a model folder of real size with
// random weights, for benchmarks. The tensor list comes from the core's
// registry (its weight-name tables), so every model type it knows works.
// Copies config.json and the tokenizer / generation files found beside it.
#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "core/config.hpp"
#include "core/error.hpp"
#include "core/random_model.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kSideFiles[] = {
    "tokenizer.json",   "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
    "vocab.txt",        "vocab.json",            "merges.txt",              "spiece.model",
    "tokenizer.model",  "sentencepiece.bpe.model", "source.spm",            "target.spm",
    "generation_config.json",
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write a model folder with random weights for a real config.json"};
  std::string config_arg;
  std::string out_arg;
  uint64_t seed = 42;
  float stddev = 0.02f;
  app.add_option("config", config_arg, "config.json, or the folder holding it")->required();
  app.add_option("out", out_arg, "output folder (created)")->required();
  app.add_option("--seed", seed, "random seed");
  app.add_option("--stddev", stddev, "standard deviation of matrices and embeddings");
  CLI11_PARSE(app, argc, argv);

  try {
    const fs::path config_path = fs::is_directory(config_arg) ? fs::path(config_arg) / "config.json" : fs::path(config_arg);
    const xfmr::ModelConfig config = xfmr::load_model_config(config_path);
    const fs::path out(out_arg);
    fs::create_directories(out);
    fs::copy_file(config_path, out / "config.json", fs::copy_options::overwrite_existing);
    xfmr::write_random_weights(config, out / "model.safetensors", seed, stddev);
    int copied = 0;
    for (const char* name : kSideFiles) {
      const fs::path side = config_path.parent_path() / name;
      if (fs::exists(side)) {
        fs::copy_file(side, out / name, fs::copy_options::overwrite_existing);
        ++copied;
      }
    }
    fmt::print("{}: {} ({}), {} MB of weights, {} tokenizer/generation files copied\n", out.string(),
               config.model_type, config.architecture(), fs::file_size(out / "model.safetensors") >> 20, copied);
  } catch (const xfmr::Error& e) {
    fmt::print(stderr, "xfmr_make_random_model: error: {}\n", e.what());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    fmt::print(stderr, "xfmr_make_random_model: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
