#include "cli/commands/decoding_flags.hpp"

namespace xfmr::cli {

nlohmann::json DecodingFlags::call_options() const {
  nlohmann::json options = nlohmann::json::object();
  auto put = [&](const char* key, const auto& value) {
    if (value) options[key] = *value;
  };
  put("max_new_tokens", max_new_tokens);
  put("min_new_tokens", min_new_tokens);
  put("num_beams", num_beams);
  put("num_return_sequences", num_return_sequences);
  put("do_sample", do_sample);
  put("temperature", temperature);
  put("top_k", top_k);
  put("top_p", top_p);
  put("typical_p", typical_p);
  put("min_p", min_p);
  put("epsilon_cutoff", epsilon_cutoff);
  put("repetition_penalty", repetition_penalty);
  put("no_repeat_ngram_size", no_repeat_ngram_size);
  put("length_penalty", length_penalty);
  if (early_stopping == "true") options["early_stopping"] = true;
  if (early_stopping == "false") options["early_stopping"] = false;
  if (early_stopping == "never") options["early_stopping"] = "never";
  if (!stop.empty()) options["stop_strings"] = stop;
  return options;
}

void add_decoding_flags(CLI::App& app, DecodingFlags& f) {
  const char* group = "Decoding (transformers' generate() arguments)";
  auto add = [&](const char* name, auto& value, const char* help) {
    return app.add_option(name, value, help)->group(group);
  };
  add("--max-new-tokens", f.max_new_tokens, "Tokens to generate at most (default: the model's max_length rule)")
      ->check(CLI::PositiveNumber);
  add("--min-new-tokens", f.min_new_tokens, "Tokens to generate before an end token is allowed")->check(CLI::NonNegativeNumber);
  add("--num-beams", f.num_beams, "Beam search with N beams (1: greedy or sampling)")->check(CLI::PositiveNumber);
  add("--num-return-sequences", f.num_return_sequences, "Sequences per input (beams: the N best; sampling: N samples)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--do-sample,!--no-sample", f.do_sample, "Sample instead of taking the likeliest tokens")->group(group);
  f.do_sample.reset();  // CLI11 stores false on registration; unset means "the model's default"
  add("--temperature", f.temperature, "Divide the logits by T before sampling")->check(CLI::PositiveNumber);
  add("--top-k", f.top_k, "Sample among the K likeliest tokens (default 50; 0: all)")->check(CLI::NonNegativeNumber);
  add("--top-p", f.top_p, "Sample within the smallest set of tokens whose probability reaches P")->check(CLI::Range(0.0, 1.0));
  add("--typical-p", f.typical_p, "Locally typical sampling mass")->check(CLI::Range(0.0, 1.0));
  add("--min-p", f.min_p, "Drop tokens less likely than P times the likeliest")->check(CLI::Range(0.0, 1.0));
  add("--epsilon-cutoff", f.epsilon_cutoff, "Drop tokens whose probability is below E")->check(CLI::Range(0.0, 1.0));
  add("--repetition-penalty", f.repetition_penalty, "Penalise tokens already in the sequence (prompt included); 1: off")
      ->check(CLI::PositiveNumber);
  add("--no-repeat-ngram-size", f.no_repeat_ngram_size, "Never repeat an n-gram of this size")->check(CLI::NonNegativeNumber);
  add("--length-penalty", f.length_penalty, "Beam scores are divided by length^L (>0 favours longer output)");
  add("--early-stopping", f.early_stopping, "When beam search stops: true, false (heuristic) or never")
      ->check(CLI::IsMember({"true", "false", "never"}));
  add("--bad-words", f.bad_words, "Words never to generate (comma-separated)")->delimiter(',')->allow_extra_args(false);
  add("--stop", f.stop, "End the output after this text (repeatable)")->allow_extra_args(false)->type_name("TEXT");
  add("--seed", f.seed, "Random seed: the same seed gives the same samples on every run")->capture_default_str();
  app.add_flag("--show-ids", f.show_ids, "Add \"token_ids\": the full sequence(s) as transformers returns them")->group(group);
  app.add_flag("--show-scores", f.show_scores, "Add \"scores\": beam scores or the sum of token log-probabilities")->group(group);
  app.add_flag("--stream,!--no-stream", f.stream, "Print text as it is generated (default: on a terminal with -o text)")
      ->group(group);
  f.stream.reset();
  app.add_flag("--print-config", f.print_config, "Print the merged generation config with where each value comes from, and exit")
      ->group(group);
}

}  // namespace xfmr::cli
