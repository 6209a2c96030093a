// xfmr_bench_decoder --model DIR: decoder-only speed on a model folder (e.g. a
// random gpt2-sized model from xfmr_make_random_model), each figure the median
// of --runs runs:
//   prefill   one prompt of --prompt-length tokens through start()
//   greedy    --new-tokens tokens after a short prompt, through gen::decode
//             (time of the steps only; min_new_tokens keeps EOS away)
//   beams     num_beams 4, same length: steps/s and the share spent in reorder
//   batch     4 prompts decoded greedily together: tokens/s over all rows
// and the peak RSS. docs/performance.md: gpt2 f32 decode >= 70 tokens/s,
// prefill >= 800 tokens/s, both with 2 threads.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/bench_util.hpp"
#include "core/decoder.hpp"
#include "core/decoder_session.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "generate/decode.hpp"

using namespace xfmr::bench;

int main(int argc, char** argv) {
  CLI::App app{"Decoder-only model benchmark: prefill, greedy and beam decoding"};
  std::string model_dir;
  int threads = 2, runs = 3, prompt_length = 128, new_tokens = 128, short_prompt = 8;
  app.add_option("-m,--model", model_dir, "model folder (config.json + model.safetensors)")->required();
  app.add_option("-t,--threads", threads, "OpenBLAS threads");
  app.add_option("-r,--runs", runs, "timed runs per figure (median reported)");
  app.add_option("--prompt-length", prompt_length, "tokens of the prefill prompt");
  app.add_option("--new-tokens", new_tokens, "tokens generated per decode run");
  app.add_option("--short-prompt", short_prompt, "prompt tokens before decoding");
  CLI11_PARSE(app, argc, argv);

  try {
    xfmr::set_num_threads(threads);
    const auto load_start = Clock::now();
    const xfmr::DecoderModel model = xfmr::DecoderModel::load(model_dir);
    const double load_ms = seconds_since(load_start) * 1e3;
    const auto& cfg = model.config();
    const auto weights_file = std::filesystem::path(model_dir) / "model.safetensors";
    const auto file_mb = std::filesystem::exists(weights_file) ? std::filesystem::file_size(weights_file) >> 20 : 0;
    fmt::print("threads {}; model {} ({}), hidden {}, layers {}, heads {}/{} kv, vocab {}; weights file {} MB; load {:.0f} ms\n",
               xfmr::num_threads(), cfg.model_type, cfg.architecture(), cfg.hidden_size, cfg.num_hidden_layers,
               cfg.num_attention_heads, cfg.num_key_value_heads, cfg.vocab_size, file_mb, load_ms);

    std::mt19937 rng(7);
    std::uniform_int_distribution<int32_t> token(0, model.vocab_size() - 1);
    auto random_prompt = [&](int length) {
      std::vector<int32_t> ids(static_cast<size_t>(length));
      for (auto& id : ids) id = token(rng);
      return ids;
    };
    xfmr::DecoderSession session(model);
    session.reserve(std::max(prompt_length, short_prompt + new_tokens) + 1);
    TimedModel timed(session);
    const nlohmann::json config_json = nlohmann::json::object();
    auto generation = [&](int beams) {
      const nlohmann::json options = {{"max_new_tokens", new_tokens}, {"min_new_tokens", new_tokens}, {"num_beams", beams}};
      return xfmr::gen::build_generation_config(config_json, nullptr, nullptr, &options);
    };

    // Prefill: the first run also faults the weights in; it is not counted.
    const auto long_prompt = random_prompt(prompt_length);
    std::vector<float> logits(static_cast<size_t>(model.vocab_size()));
    std::vector<double> prefill;
    for (int r = 0; r <= runs; ++r) {
      const auto t = Clock::now();
      session.start({long_prompt}, 1, logits);
      if (r > 0) prefill.push_back(prompt_length / seconds_since(t));
    }
    fmt::print("prefill {} tokens:            {:8.1f} tokens/s   (runs {})\n", prompt_length, median(prefill),
               runs_text(prefill));

    const auto prompt = random_prompt(short_prompt);
    const auto greedy_config = generation(1);
    std::vector<double> greedy;
    for (int r = 0; r < runs; ++r) {
      timed.clear();
      xfmr::gen::decode(timed, {prompt}, greedy_config);
      greedy.push_back(timed.steps / timed.step_s);
    }
    fmt::print("greedy decode {} new tokens:  {:8.1f} tokens/s   (runs {}; after a {}-token prompt)\n", new_tokens,
               median(greedy), runs_text(greedy), short_prompt);

    const auto beam_config = generation(4);
    std::vector<double> beam_steps, reorder_share;
    for (int r = 0; r < runs; ++r) {
      timed.clear();
      xfmr::gen::decode(timed, {prompt}, beam_config);
      beam_steps.push_back(timed.steps / timed.step_s);
      reorder_share.push_back(100.0 * timed.reorder_s / (timed.step_s + timed.reorder_s));
    }
    fmt::print("beam search 4, {} new tokens: {:8.1f} steps/s    (runs {}; {:.1f} tokens/s over 4 rows; "
               "reorder {:.2f} % of step time)\n",
               new_tokens, median(beam_steps), runs_text(beam_steps), 4 * median(beam_steps), median(reorder_share));

    std::vector<std::vector<int32_t>> prompts;
    for (int i = 0; i < 4; ++i) prompts.push_back(random_prompt(short_prompt + 3 * i));
    std::vector<double> batch;
    for (int r = 0; r < runs; ++r) {
      timed.clear();
      xfmr::gen::decode(timed, prompts, greedy_config);
      batch.push_back(4.0 * timed.steps / timed.step_s);
    }
    fmt::print("greedy batch of 4 prompts:    {:8.1f} tokens/s   (runs {}; all rows together)\n", median(batch),
               runs_text(batch));
    fmt::print("peak RSS {} MB; KV cache blocks allocated {}\n", peak_rss_mb(), session.cache().blocks_allocated());
  } catch (const xfmr::Error& e) {
    fmt::print(stderr, "xfmr_bench_decoder: error: {}\n", e.what());
    return static_cast<int>(e.code());
  }
  return 0;
}
