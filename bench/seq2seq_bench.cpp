// xfmr_bench_seq2seq --model DIR: encoder-decoder translation speed on a model
// folder (e.g. a random opus-mt-sized Marian model from xfmr_make_random_model):
// beam search (--beams, default 4) over --sentences random source sentences
// decoded together, exactly --new-tokens tokens each (min_new_tokens =
// max_new_tokens), the model's generation config underneath as the CLI builds
// it. Reports tokens/s = generated tokens of all sentences / wall time of
// encode + decode (median of --runs runs after one warm-up run), where the
// time goes, and the peak RSS. docs/performance.md: transformers does 32.7
// tokens/s for opus-mt, beam 4, 4 sentences x 32 tokens.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/bench_util.hpp"
#include "core/error.hpp"
#include "core/seq2seq.hpp"
#include "core/seq2seq_session.hpp"
#include "core/threads.hpp"
#include "generate/decode.hpp"

using namespace xfmr::bench;

namespace {

nlohmann::json read_json_if_present(const std::filesystem::path& path) {
  std::ifstream in(path);
  return in ? nlohmann::json::parse(in) : nlohmann::json();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Encoder-decoder benchmark: beam-search translation of a few sentences"};
  std::string model_dir;
  int threads = 2, runs = 3, sentences = 4, new_tokens = 32, beams = 4, source_length = 24;
  app.add_option("-m,--model", model_dir, "model folder (config.json + model.safetensors)")->required();
  app.add_option("-t,--threads", threads, "OpenBLAS threads");
  app.add_option("-r,--runs", runs, "timed runs (median reported)");
  app.add_option("--sentences", sentences, "source sentences decoded together");
  app.add_option("--source-length", source_length, "tokens of the first source (the others add 2, 4, ...)");
  app.add_option("--new-tokens", new_tokens, "tokens generated per sentence");
  app.add_option("--beams", beams, "beam width");
  CLI11_PARSE(app, argc, argv);

  try {
    xfmr::set_num_threads(threads);
    const auto load_start = Clock::now();
    const xfmr::Seq2SeqModel model = xfmr::Seq2SeqModel::load(model_dir);
    const double load_ms = seconds_since(load_start) * 1e3;
    const auto& cfg = model.config();
    const std::filesystem::path dir(model_dir);
    const auto weights_file = dir / "model.safetensors";
    const auto file_mb = std::filesystem::exists(weights_file) ? std::filesystem::file_size(weights_file) >> 20 : 0;
    fmt::print("threads {} ({}); model {} ({}), d_model {}, layers {}+{}, heads {}, ffn {}, vocab {}; "
               "weights file {} MB; load {:.0f} ms\n",
               xfmr::num_threads(), xfmr::blas_kernels(), cfg.model_type, cfg.architecture(), cfg.hidden_size,
               cfg.num_hidden_layers, cfg.num_decoder_layers, cfg.num_attention_heads, cfg.intermediate_size,
               model.vocab_size(), file_mb, load_ms);

    // Random source sentences ending with EOS, avoiding the special ids.
    const int32_t eos = cfg.eos_token_ids.empty() ? 0 : cfg.eos_token_ids[0];
    std::mt19937 rng(7);
    std::uniform_int_distribution<int32_t> token(1, static_cast<int32_t>(cfg.vocab_size) - 2);
    std::vector<std::vector<int32_t>> sources;
    int source_tokens = 0;
    for (int s = 0; s < sentences; ++s) {
      std::vector<int32_t> ids(static_cast<size_t>(source_length + 2 * s));
      for (auto& id : ids) id = token(rng);
      ids.back() = eos;
      source_tokens += static_cast<int>(ids.size());
      sources.push_back(std::move(ids));
    }

    const nlohmann::json config_json = read_json_if_present(dir / "config.json");
    const nlohmann::json generation_json = read_json_if_present(dir / "generation_config.json");
    const nlohmann::json options = {
        {"max_new_tokens", new_tokens}, {"min_new_tokens", new_tokens}, {"num_beams", beams}};
    const auto generation = xfmr::gen::build_generation_config(
        config_json, generation_json.is_null() ? nullptr : &generation_json, nullptr, &options);
    const int32_t start = xfmr::gen::decoder_start_token(generation).value_or(0);
    const std::vector<std::vector<int32_t>> prompts(sources.size(), {start});

    xfmr::Seq2SeqSession session(model);
    session.reserve(new_tokens + 2);
    TimedModel timed(session);
    std::vector<double> tokens_per_s, encode_ms, start_ms, step_ms, reorder_ms;
    int generated = 0;
    for (int r = 0; r <= runs; ++r) {
      timed.clear();
      const auto t = Clock::now();
      session.encode(sources);
      const double encode_s = seconds_since(t);
      const auto out = xfmr::gen::decode(timed, prompts, generation);
      const double wall = seconds_since(t);
      generated = 0;
      for (const auto& input : out) generated += input.sequences[0].generated;
      if (r == 0) continue;  // warm-up: faults the weights in
      tokens_per_s.push_back(generated / wall);
      encode_ms.push_back(encode_s * 1e3);
      start_ms.push_back(timed.start_s * 1e3);
      step_ms.push_back(timed.step_s * 1e3 / std::max(1, timed.steps));
      reorder_ms.push_back(timed.reorder_s * 1e3);
    }
    fmt::print("beam {} over {} sentences ({} source tokens), {} new tokens each: {:8.1f} tokens/s   (runs {}; "
               "{} tokens per run)\n",
               beams, sentences, source_tokens, new_tokens, median(tokens_per_s), runs_text(tokens_per_s), generated);
    fmt::print("  encode {:.1f} ms, start {:.1f} ms, step {:.2f} ms x {} rows, reorder {:.2f} ms per run (medians)\n",
               median(encode_ms), median(start_ms), median(step_ms), sentences * beams, median(reorder_ms));
    fmt::print("peak RSS {} MB; KV cache blocks allocated {}\n", peak_rss_mb(), session.cache().blocks_allocated());
  } catch (const xfmr::Error& e) {
    fmt::print(stderr, "xfmr_bench_seq2seq: error: {}\n", e.what());
    return static_cast<int>(e.code());
  }
  return 0;
}
