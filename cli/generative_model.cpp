#include "cli/generative_model.hpp"

#include <optional>

#include <fmt/format.h>

#include "core/decoder.hpp"
#include "core/decoder_session.hpp"
#include "core/error.hpp"
#include "core/seq2seq.hpp"
#include "core/seq2seq_session.hpp"

namespace xfmr::cli {

namespace {

class DecoderOnly final : public GenerativeModel {
 public:
  explicit DecoderOnly(const std::filesystem::path& folder) : model_(DecoderModel::load(folder)), session_(model_) {}
  const ModelConfig& config() const override { return model_.config(); }
  int64_t max_input_length() const override { return model_.max_sequence_length(); }
  StepModel& session(const std::vector<std::vector<int32_t>>&) override { return session_; }

 private:
  DecoderModel model_;
  DecoderSession session_;
};

class EncoderDecoder final : public GenerativeModel {
 public:
  explicit EncoderDecoder(const std::filesystem::path& folder) : model_(Seq2SeqModel::load(folder)), session_(model_) {}
  const ModelConfig& config() const override { return model_.config(); }
  int64_t max_input_length() const override { return model_.max_source_length(); }
  StepModel& session(const std::vector<std::vector<int32_t>>& sources) override {
    session_.encode(sources);
    return session_;
  }

 private:
  Seq2SeqModel model_;
  Seq2SeqSession session_;
};

}  // namespace

std::unique_ptr<GenerativeModel> GenerativeModel::load(const std::filesystem::path& folder) {
  ModelConfig config = load_model_config(folder);
  switch (config.family) {
    case ModelFamily::decoder: return std::make_unique<DecoderOnly>(folder);
    case ModelFamily::encoder_decoder: return std::make_unique<EncoderDecoder>(folder);
    case ModelFamily::encoder: break;
  }
  throw ModelError(fmt::format("{}: {} ({}) is an encoder; generation needs a decoder (GPT-2, Llama, Mistral, Qwen2) "
                               "or an encoder-decoder (T5, BART, Marian)",
                               folder.string(), config.architecture(), config.model_type));
}

}  // namespace xfmr::cli
