#include "core/decoder.hpp"

#include <fmt/format.h>

#include "core/decoder_session.hpp"
#include "core/error.hpp"
#include "core/registry.hpp"

namespace xfmr {

DecoderModel DecoderModel::load(const std::filesystem::path& dir) {
  ModelConfig config = load_model_config(dir);
  if (config.family != ModelFamily::decoder) {
    throw ModelError(fmt::format("{}: model_type '{}' is not a decoder-only model", config.path.string(),
                                 config.model_type));
  }
  Weights weights = Weights::open_folder(dir);
  return DecoderModel(std::move(config), weights);
}

DecoderModel::DecoderModel(ModelConfig config, const Weights& weights) : config_(std::move(config)) {
  const ModelTypeInfo& info = find_model_type(config_.model_type, config_.path.string());
  if (!info.decoder_names) {
    throw ModelError(fmt::format("{}: model_type '{}' is not a decoder-only model", config_.path.string(),
                                 config_.model_type));
  }
  names_ = info.decoder_names;
  if (config_.sliding_window < 0) {
    throw ModelError(fmt::format("{}: field 'sliding_window' must be >= 0", config_.path.string()));
  }
  if (names_->positions == PositionKind::rotary && config_.head_dim % 2 != 0) {
    throw ModelError(fmt::format("{}: rotary embeddings need an even head_dim, got {}", config_.path.string(),
                                 config_.head_dim));
  }
  StoreBinder binder(weights, config_);
  weights_ = bind_decoder_weights(config_, *names_, binder);
}

int64_t DecoderModel::max_sequence_length() const {
  int64_t limit = names_->positions == PositionKind::learned ? config_.max_position_embeddings : 0;
  if (config_.sliding_window > 0 && (limit == 0 || config_.sliding_window < limit)) limit = config_.sliding_window;
  return limit;
}

void DecoderModel::check_sequence(std::span<const int32_t> ids, int64_t index) const {
  if (ids.empty()) throw InputError(fmt::format("sequence {} is empty", index));
  const int64_t limit = max_sequence_length();
  if (limit > 0 && static_cast<int64_t>(ids.size()) > limit) {
    const bool window = config_.sliding_window > 0 && limit == config_.sliding_window;
    throw InputError(fmt::format("sequence {} has {} tokens; the model takes at most {}{}", index, ids.size(), limit,
                                 window ? " (sliding-window attention beyond sliding_window is not implemented)" : ""));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= config_.vocab_size) {
      throw InputError(fmt::format("sequence {}, token {}: id {} is outside the vocabulary (size {})", index, i, ids[i],
                                   config_.vocab_size));
    }
  }
}

DecoderModel::Output DecoderModel::forward(std::span<const int32_t> ids) const {
  DecoderSession session(*this);
  Output out;
  session.forward_all(ids, &out.hidden, has_lm_head() ? &out.logits : nullptr);
  return out;
}

}  // namespace xfmr
