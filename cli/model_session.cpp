#include "cli/model_session.hpp"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "cli/model_resolution.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"

namespace xfmr::cli {

std::filesystem::path model_folder(const GlobalOptions& options, const char* default_model) {
  std::string model = options.model.empty() && default_model ? default_model : options.model;
  if (model.empty()) throw UsageError("no model given: use -m PATH or -m org/name, or set XFMR_MODEL");
  return resolve_model({model, options.revision});
}

void apply_threads(const GlobalOptions& options) {
  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  set_num_threads(std::max(1, threads));
}

void OnceWarning::print(const GlobalOptions& options, const std::string& message) {
  if (printed_ || options.quiet) return;
  printed_ = true;
  fmt::print(stderr, "xfmr: warning: {}\n", message);
}

EncoderSession load_encoder(const GlobalOptions& options, const char* default_model, EncoderHead head,
                            const char* subcommand) {
  auto start = std::chrono::steady_clock::now();
  apply_threads(options);
  EncoderSession session;
  session.folder = model_folder(options, default_model);
  session.model = std::make_unique<EncoderModel>(EncoderModel::load(session.folder));
  if (session.model->head() != head)
    throw ModelError(fmt::format("{} needs a {} model, but {} holds {}, a {} model", subcommand,
                                 encoder_head_name(head), session.folder.string(),
                                 session.model->config().architecture(), encoder_head_name(session.model->head())));
  session.tokenizer = tok::Tokenizer::from_folder(session.folder);
  size_t limit = static_cast<size_t>(session.model->max_sequence_length());
  if (size_t t = session.tokenizer->model_max_length(); t > 0) limit = std::min(limit, t);
  if (options.max_length > 0) limit = std::min(limit, options.max_length);
  session.max_tokens = limit;
  if (options.verbose)
    fmt::print(stderr, "xfmr: loaded {} ({}, {}) in {:.0f} ms\n", session.folder.string(),
               session.model->config().architecture(), session.tokenizer->kind(),
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  return session;
}

}  // namespace xfmr::cli
