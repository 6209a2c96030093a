// DecoderSession's StepModel side: checks, cache bookkeeping and the layout of
// each pass (which token goes to which cache row at which position). The
// computation itself is in decoder_pass.cpp.
#include "core/decoder_session.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr {
namespace {

// Rotary angles computed up front; the table doubles when a row goes past it.
constexpr int64_t kInitialRopePositions = 512;

}  // namespace

DecoderSession::DecoderSession(const DecoderModel& model)
    : model_(model),
      cache_(model.config().num_hidden_layers, model.config().num_key_value_heads, model.config().head_dim) {
  const ModelConfig& cfg = model.config();
  if (model.names().positions == PositionKind::rotary) {
    rope_ = RopeTable(cfg.head_dim, cfg.rope_theta, kInitialRopePositions);
  }
  lm_head_.weight = model.weights().lm_head;
}

void DecoderSession::require_head() const {
  if (!model_.has_lm_head()) {
    throw ModelError(fmt::format("{}: architecture '{}' has no LM head (lm_head.weight) to compute logits",
                                 model_.config().path.string(), model_.config().architecture()));
  }
}

void DecoderSession::start(const std::vector<std::vector<int32_t>>& prompts, int32_t copies, std::span<float> logits) {
  require_head();
  if (copies < 1) throw InputError(fmt::format("start: copies must be >= 1, got {}", copies));
  const auto vocab = static_cast<int64_t>(model_.vocab_size());
  const auto count = static_cast<int64_t>(prompts.size());
  const int64_t rows = count * copies;
  if (static_cast<int64_t>(logits.size()) != rows * vocab) {
    throw InputError(fmt::format("start: logits hold {} floats, {} rows x {} expected", logits.size(), rows, vocab));
  }
  int64_t longest = 0;
  for (int64_t p = 0; p < count; ++p) {
    model_.check_sequence(prompts[static_cast<size_t>(p)], p);
    longest = std::max<int64_t>(longest, static_cast<int64_t>(prompts[static_cast<size_t>(p)].size()));
  }
  cache_.reset(rows, std::max(expected_length_, longest + KvCache::kBlockSize));

  // All prompts in one pass, each once; its copies share its cache afterwards.
  layout_.prompts(prompts, copies, cache_);
  run(layout_.tokens, layout_.segments);
  head(layout_.last_rows, logits.data(), copies * vocab);
  share_prompt_copies(cache_, count, copies, logits, vocab);
}

void DecoderSession::step(std::span<const int32_t> tokens, std::span<float> logits) {
  const auto vocab = static_cast<int64_t>(model_.vocab_size());
  const int64_t rows = cache_.rows();
  if (static_cast<int64_t>(tokens.size()) != rows) {
    throw InputError(fmt::format("step: {} tokens for {} rows", tokens.size(), rows));
  }
  if (static_cast<int64_t>(logits.size()) != rows * vocab) {
    throw InputError(fmt::format("step: logits hold {} floats, {} rows x {} expected", logits.size(), rows, vocab));
  }
  const int64_t limit = model_.max_sequence_length();
  for (int64_t r = 0; r < rows; ++r) {
    const int32_t id = tokens[static_cast<size_t>(r)];
    if (id < 0 || id >= vocab) {
      throw InputError(fmt::format("step: row {}: id {} is outside the vocabulary (size {})", r, id, vocab));
    }
    if (limit > 0 && cache_.length(r) >= limit) {
      throw InputError(fmt::format("step: row {} would exceed the model's {} positions", r, limit));
    }
  }
  layout_.one_token_per_row(cache_);
  run(tokens, layout_.segments);
  head(layout_.last_rows, logits.data(), vocab);
}

void DecoderSession::reorder(std::span<const int32_t> parents) {
  if (static_cast<int64_t>(parents.size()) != cache_.rows()) {
    throw InputError(fmt::format("reorder: {} parents for {} rows", parents.size(), cache_.rows()));
  }
  for (int32_t parent : parents) {
    if (parent < 0 || parent >= cache_.rows()) throw InputError(fmt::format("reorder: no row {}", parent));
  }
  cache_.reorder(parents);
}

void DecoderSession::forward_all(std::span<const int32_t> ids, Tensor* hidden, Tensor* logits) {
  model_.check_sequence(ids, 0);
  if (logits) require_head();
  const auto length = static_cast<int64_t>(ids.size());
  cache_.reset(1, std::max(expected_length_, length));
  cache_.extend(0, length);
  layout_.segments.assign(1, Segment{0, 0, length, 0});
  layout_.last_rows.resize(static_cast<size_t>(length));
  std::iota(layout_.last_rows.begin(), layout_.last_rows.end(), int64_t{0});
  run(ids, layout_.segments);
  const auto vocab = static_cast<int64_t>(model_.vocab_size());
  if (logits) *logits = Tensor({length, vocab});
  head(layout_.last_rows, logits ? logits->data() : nullptr, vocab);
  if (hidden) {
    const int64_t h = model_.config().hidden_size;
    *hidden = Tensor({length, h});
    std::memcpy(hidden->data(), normed_, static_cast<size_t>(length * h) * sizeof(float));
  }
}

}  // namespace xfmr
