// xfmr_bench_encoder --model DIR: sequence-classification forward on random
// 43-token inputs at batch 1, 8 and 32; sentences/s (median of several runs)
// and achieved GFLOPS against a plain cblas_sgemm 1024x768x768 measured in the
// same run (docs/performance.md: targets >= 60 % of that peak).

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <vector>

#include <cblas.h>
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bench/bench_util.hpp"
#include "core/encoder.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"

using namespace xfmr::bench;

namespace {

// Median GFLOPS of C[m x n] = A[m x k] B[k x n]^T.
double sgemm_gflops(int m, int n, int k, int runs) {
  std::vector<float> a(static_cast<size_t>(m) * k, 0.5f), b(static_cast<size_t>(n) * k, 0.25f),
      c(static_cast<size_t>(m) * n);
  std::vector<double> times;
  for (int r = 0; r < runs + 2; ++r) {
    auto start = Clock::now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a.data(), k, b.data(), k, 0.0f, c.data(), n);
    if (r >= 2) times.push_back(seconds_since(start));
  }
  return 2.0 * m * n * k / median(times) / 1e9;
}

// Multiply-adds x 2 of the work done (projections, attention, FFN, head).
// With first_token_only the last layer computes K and V for every token and
// the rest for the first token of each sequence only.
double forward_flops(const xfmr::ModelConfig& c, int64_t batch, int64_t length, bool first_token_only) {
  const double tokens = static_cast<double>(batch * length);
  const double h = static_cast<double>(c.hidden_size);
  const double inter = static_cast<double>(c.intermediate_size);
  const double steps = static_cast<double>(c.num_hidden_layers * c.inner_group_num);
  const double per_token_layer = 4 * h * h + 2 * h * inter + 2 * static_cast<double>(length) * h;
  double macs = tokens * per_token_layer * steps;
  if (first_token_only) {
    macs -= tokens * per_token_layer;
    macs += tokens * 2 * h * h + static_cast<double>(batch) * (per_token_layer - 2 * h * h);
  }
  if (c.embedding_size != c.hidden_size) macs += tokens * h * static_cast<double>(c.embedding_size);
  macs += static_cast<double>(batch) * (h * h + h * static_cast<double>(c.num_labels()));
  return 2.0 * macs;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Encoder forward benchmark"};
  std::string model_dir;
  int threads = 2;
  int runs = 9;
  int length = 43;
  std::vector<int> batch_sizes{1, 8, 32};
  bool full = false;
  app.add_option("-m,--model", model_dir, "model folder (config.json + model.safetensors)")->required();
  app.add_option("-t,--threads", threads, "OpenBLAS threads");
  app.add_option("-r,--runs", runs, "timed runs per batch size (median reported)");
  app.add_option("-l,--length", length, "tokens per sentence");
  app.add_option("-b,--batch-sizes", batch_sizes, "batch sizes")->delimiter(',');
  app.add_flag("--full", full, "run the full forward (every token through the last layer), then the head");
  CLI11_PARSE(app, argc, argv);

  try {
    xfmr::set_num_threads(threads);
    const double peak = sgemm_gflops(1024, 768, 768, 20);
    fmt::print("threads {}  sgemm 1024x768x768 peak: {:.1f} GFLOPS  (OpenBLAS kernels: {})\n", xfmr::num_threads(), peak,
               xfmr::blas_kernels());

    const auto load_start = Clock::now();
    xfmr::EncoderModel model = xfmr::EncoderModel::load(model_dir);
    const double load_s = seconds_since(load_start);
    const auto& cfg = model.config();
    const auto file_mb = std::filesystem::exists(std::filesystem::path(model_dir) / "model.safetensors")
                             ? std::filesystem::file_size(std::filesystem::path(model_dir) / "model.safetensors") >> 20
                             : 0;
    fmt::print("model {} ({}), hidden {}, layers {}, load {:.1f} ms, weights file {} MB\n", cfg.model_type,
               cfg.architecture(), cfg.hidden_size, cfg.num_hidden_layers, load_s * 1e3, file_mb);
    const bool classify = model.head() == xfmr::EncoderHead::sequence_classification;
    const bool fast = classify && !full;
    fmt::print("mode: {}\n", fast ? "classification fast path (last layer for the first token only)"
                                  : classify ? "full forward + classification head" : "full forward (no classification head)");

    std::mt19937 rng(7);
    const auto vocab = static_cast<int32_t>(cfg.vocab_size);
    std::uniform_int_distribution<int32_t> token(std::min(1000, vocab / 2), vocab - 1);
    fmt::print("{:>6} {:>14} {:>12} {:>10} {:>9} {:>18}\n", "batch", "sentences/s", "ms/batch", "GFLOPS", "of peak",
               "sgemm(M=tokens)");
    for (int batch_size : batch_sizes) {
      xfmr::EncoderBatch batch;
      for (int b = 0; b < batch_size; ++b) {
        std::vector<int32_t> ids(static_cast<size_t>(length));
        for (auto& id : ids) id = token(rng);
        if (vocab > 102) {  // [CLS] ... [SEP] of BERT vocabularies; any id would do
          ids.front() = 101;
          ids.back() = 102;
        }
        batch.add(ids);
      }
      std::vector<double> times;
      double first_ms = 0.0;
      for (int r = 0; r < runs + 1; ++r) {
        const auto start = Clock::now();
        if (fast) {
          model.sequence_classification_logits(batch);
        } else {
          xfmr::Tensor hidden = model.forward(batch);
          if (classify) model.sequence_classification_logits(hidden, batch);
        }
        // The first run also faults the weights in and grows the scratch buffers.
        if (r == 0) first_ms = seconds_since(start) * 1e3;
        if (r > 0) times.push_back(seconds_since(start));
      }
      const double t = median(times);
      const double gflops = forward_flops(cfg, batch_size, length, fast) / t / 1e9;
      const double gemm = sgemm_gflops(batch_size * length, static_cast<int>(cfg.hidden_size),
                                       static_cast<int>(cfg.hidden_size), 10);
      fmt::print("{:>6} {:>14.1f} {:>12.2f} {:>10.1f} {:>8.0f}% {:>13.1f} GFLOPS   (first run {:.1f} ms)\n", batch_size,
                 batch_size / t, t * 1e3, gflops, 100.0 * gflops / peak, gemm, first_ms);
    }
    fmt::print("peak RSS {} MB\n", peak_rss_mb());
  } catch (const xfmr::Error& e) {
    fmt::print(stderr, "xfmr_bench_encoder: error: {}\n", e.what());
    return static_cast<int>(e.code());
  }
  return 0;
}
