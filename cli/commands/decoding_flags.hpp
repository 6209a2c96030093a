#pragma once
// The decoding flags that generate, translate and summarize share: they
// become transformers' generate() keyword arguments (the "call" layer of
// the GenerationConfig), so their names and meanings are transformers'.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace xfmr::cli {

struct DecodingFlags {
  std::optional<int> max_new_tokens, min_new_tokens, num_beams, num_return_sequences, top_k, no_repeat_ngram_size;
  std::optional<double> temperature, top_p, typical_p, min_p, epsilon_cutoff, repetition_penalty, length_penalty;
  std::optional<bool> do_sample;
  std::string early_stopping;          // "", true, false, never
  std::vector<std::string> bad_words;  // words whose tokens may never be generated
  std::vector<std::string> stop;       // stop strings: the output ends after the first one
  uint64_t seed = 0;
  bool show_ids = false;
  bool show_scores = false;
  std::optional<bool> stream;
  bool print_config = false;

  // The flags the user gave, as generate() keyword arguments (bad words excluded:
  // they need the tokenizer).
  nlohmann::json call_options() const;
};

void add_decoding_flags(CLI::App& app, DecodingFlags& flags);

}  // namespace xfmr::cli
