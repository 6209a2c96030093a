#include "core/seq2seq.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/registry.hpp"
#include "core/seq2seq_session.hpp"

namespace xfmr {

Seq2SeqModel Seq2SeqModel::load(const std::filesystem::path& dir) {
  ModelConfig config = load_model_config(dir);
  if (config.family != ModelFamily::encoder_decoder) {
    throw ModelError(fmt::format("{}: model_type '{}' is not an encoder-decoder model", config.path.string(),
                                 config.model_type));
  }
  Weights weights = Weights::open_folder(dir);
  return Seq2SeqModel(std::move(config), weights);
}

Seq2SeqModel::Seq2SeqModel(ModelConfig config, const Weights& weights) : config_(std::move(config)) {
  const ModelTypeInfo& info = find_model_type(config_.model_type, config_.path.string());
  if (!info.seq2seq_names) {
    throw ModelError(fmt::format("{}: model_type '{}' is not an encoder-decoder model", config_.path.string(),
                                 config_.model_type));
  }
  names_ = info.seq2seq_names;
  StoreBinder binder(weights, config_);
  weights_ = bind_seq2seq_weights(config_, *names_, binder);
  const auto d_model = static_cast<double>(config_.hidden_size);
  if (config_.scale_embedding) embedding_scale_ = static_cast<float>(std::sqrt(d_model));
  if (names_->rescale_tied_head && config_.tie_word_embeddings) {
    lm_head_scale_ = static_cast<float>(std::pow(d_model, -0.5));
  }
}

int64_t Seq2SeqModel::max_source_length() const {
  return names_->positions == Seq2SeqPositions::relative ? 0 : config_.max_position_embeddings;
}

void Seq2SeqModel::check_ids(std::span<const int32_t> ids, int64_t vocab, int64_t limit, const std::string& what) {
  if (ids.empty()) throw InputError(fmt::format("{} is empty", what));
  if (limit > 0 && static_cast<int64_t>(ids.size()) > limit) {
    throw InputError(fmt::format("{} has {} tokens; the model takes at most {}", what, ids.size(), limit));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= vocab) {
      throw InputError(fmt::format("{}, token {}: id {} is outside the vocabulary (size {})", what, i, ids[i], vocab));
    }
  }
}

Tensor Seq2SeqModel::encode(std::span<const int32_t> ids) const {
  Seq2SeqSession session(*this);
  session.encode({std::vector<int32_t>(ids.begin(), ids.end())});
  return session.encoder_states(0).clone();
}

}  // namespace xfmr
