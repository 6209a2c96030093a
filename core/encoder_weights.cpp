#include "core/encoder_weights.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr {
namespace {

struct HeadSuffix {
  std::string_view suffix;
  EncoderHead head;
};

constexpr HeadSuffix kHeadSuffixes[] = {
    {"ForSequenceClassification", EncoderHead::sequence_classification},
    {"ForTokenClassification", EncoderHead::token_classification},
    {"ForQuestionAnswering", EncoderHead::question_answering},
    {"ForMaskedLM", EncoderHead::masked_lm},
    {"ForPreTraining", EncoderHead::masked_lm},
    {"ForMultipleChoice", EncoderHead::multiple_choice},
    {"Model", EncoderHead::none},
};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class Binder {
 public:
  Binder(const ModelConfig& config, WeightBinder& binder, std::string prefix)
      : config_(config), binder_(binder), prefix_(std::move(prefix)) {}

  // A name from the table: relative to the base, or absolute with "{base}.".
  std::string base_name(std::string_view relative) const { return prefix_ + std::string(relative); }
  std::string head_name(std::string_view pattern) const {
    return replace_all(std::string(pattern), "{base}.", prefix_);
  }

  Tensor tensor(const std::string& name, Shape shape, Init init) { return binder_.bind(name, shape, init); }

  Linear linear(const std::string& name, int64_t out, int64_t in) {
    return {binder_.bind(name + ".weight", {out, in}, Init::normal), binder_.bind(name + ".bias", {out}, Init::zeros)};
  }

  Norm norm(const std::string& name, int64_t size) {
    return {binder_.bind(name + ".weight", {size}, Init::ones), binder_.bind(name + ".bias", {size}, Init::zeros)};
  }

  Activation activation(HeadActivation act) const {
    switch (act) {
      case HeadActivation::none: return Activation::identity;
      case HeadActivation::tanh: return Activation::tanh;
      case HeadActivation::relu: return Activation::relu;
      case HeadActivation::gelu: return Activation::gelu;
      case HeadActivation::config: return config_.hidden_act;
    }
    return Activation::identity;
  }

  [[noreturn]] void no_head(EncoderHead head) const {
    throw ModelError(fmt::format("{}: model_type '{}' has no {} head", config_.path.string(), config_.model_type,
                                 encoder_head_name(head)));
  }

 private:
  const ModelConfig& config_;
  WeightBinder& binder_;
  std::string prefix_;
};

EncoderLayerWeights bind_layer(Binder& b, const EncoderNames& names, const std::string& prefix, int64_t hidden,
                               int64_t intermediate) {
  auto name = [&](std::string_view part) { return prefix + "." + std::string(part); };
  EncoderLayerWeights layer;
  layer.query = b.linear(name(names.query), hidden, hidden);
  layer.key = b.linear(name(names.key), hidden, hidden);
  layer.value = b.linear(name(names.value), hidden, hidden);
  layer.attention_output = b.linear(name(names.attention_output), hidden, hidden);
  layer.attention_norm = b.norm(name(names.attention_norm), hidden);
  layer.intermediate = b.linear(name(names.intermediate), intermediate, hidden);
  layer.output = b.linear(name(names.output), hidden, intermediate);
  layer.output_norm = b.norm(name(names.output_norm), hidden);
  return layer;
}

// ALBERT shares weights: num_hidden_groups groups of inner_group_num layers;
// step i of num_hidden_layers runs every layer of group i / (layers / groups).
void bind_layers(Binder& b, const ModelConfig& cfg, const EncoderNames& names, EncoderWeights& w) {
  const bool grouped = std::string_view(names.layer).find("{group}") != std::string_view::npos;
  const int64_t groups = grouped ? cfg.num_hidden_groups : cfg.num_hidden_layers;
  const int64_t inner = grouped ? cfg.inner_group_num : 1;
  for (int64_t g = 0; g < groups; ++g) {
    for (int64_t j = 0; j < inner; ++j) {
      std::string prefix = grouped ? replace_all(replace_all(std::string(names.layer), "{group}", std::to_string(g)),
                                                 "{inner}", std::to_string(j))
                                   : replace_all(std::string(names.layer), "{layer}", std::to_string(g));
      w.layers.push_back(bind_layer(b, names, b.base_name(prefix), cfg.hidden_size, cfg.intermediate_size));
    }
  }
  const int64_t layers_per_group = cfg.num_hidden_layers / groups;
  for (int64_t i = 0; i < cfg.num_hidden_layers; ++i) {
    const int64_t g = i / layers_per_group;
    for (int64_t j = 0; j < inner; ++j) w.schedule.push_back(static_cast<int>(g * inner + j));
  }
}

void bind_stages(Binder& b, const HeadStageNames& stages, int64_t hidden, int64_t outputs, EncoderHead head,
                 EncoderWeights& w) {
  size_t count = 0;
  while (count < stages.size() && !stages[count].linear.empty()) ++count;
  if (count == 0) b.no_head(head);
  for (size_t k = 0; k < count; ++k) {
    const int64_t out = k + 1 == count ? outputs : hidden;
    w.sequence_head.push_back({b.linear(b.head_name(stages[k].linear), out, hidden), b.activation(stages[k].act)});
  }
}

void bind_head(Binder& b, const ModelConfig& cfg, const EncoderNames& names, EncoderWeights& w) {
  const int64_t hidden = cfg.hidden_size;
  const int64_t labels = cfg.num_labels();
  switch (w.head) {
    case EncoderHead::none: break;
    case EncoderHead::sequence_classification:
      if (labels <= 0) b.no_head(w.head);
      bind_stages(b, names.sequence_classification, hidden, labels, w.head, w);
      break;
    case EncoderHead::multiple_choice: bind_stages(b, names.multiple_choice, hidden, 1, w.head, w); break;
    case EncoderHead::token_classification:
      if (names.token_classification.empty() || labels <= 0) b.no_head(w.head);
      w.token_head = b.linear(b.head_name(names.token_classification), labels, hidden);
      break;
    case EncoderHead::question_answering:
      if (names.question_answering.empty()) b.no_head(w.head);
      w.token_head = b.linear(b.head_name(names.question_answering), 2, hidden);
      break;
    case EncoderHead::masked_lm: {
      if (names.mlm_transform.empty()) b.no_head(w.head);
      const int64_t embedding = cfg.embedding_size;
      w.mlm.transform = b.linear(b.head_name(names.mlm_transform), embedding, hidden);
      w.mlm.act = b.activation(names.mlm_act);
      w.mlm.norm = b.norm(b.head_name(names.mlm_norm), embedding);
      w.mlm.bias = b.tensor(b.head_name(names.mlm_bias), {cfg.vocab_size}, Init::zeros);
      w.mlm.decoder = cfg.tie_word_embeddings
                          ? w.word_embeddings
                          : b.tensor(b.head_name(names.mlm_decoder), {cfg.vocab_size, embedding}, Init::normal);
      break;
    }
  }
}

}  // namespace

std::string_view encoder_head_name(EncoderHead head) {
  switch (head) {
    case EncoderHead::none: return "base model";
    case EncoderHead::sequence_classification: return "sequence-classification";
    case EncoderHead::token_classification: return "token-classification";
    case EncoderHead::question_answering: return "question-answering";
    case EncoderHead::masked_lm: return "masked-lm";
    case EncoderHead::multiple_choice: return "multiple-choice";
  }
  return "?";
}

EncoderHead encoder_head_for(const ModelConfig& config) {
  const std::string arch = config.architecture();
  if (arch.empty()) return EncoderHead::none;
  for (const auto& entry : kHeadSuffixes) {
    // "BertModel" is the bare encoder; "BertLMHeadModel" is not.
    const bool bare_model_name = entry.head != EncoderHead::none || arch.find("Head") == std::string::npos;
    if (ends_with(arch, entry.suffix) && bare_model_name) return entry.head;
  }
  std::vector<std::string_view> known;
  for (const auto& entry : kHeadSuffixes) known.push_back(entry.suffix);
  throw ModelError(fmt::format("{}: architecture '{}' is not supported for model_type '{}' (supported: *{})",
                               config.path.string(), arch, config.model_type, fmt::join(known, ", *")));
}

EncoderWeights bind_encoder_weights(const ModelConfig& cfg, const EncoderNames& names, WeightBinder& binder) {
  if (cfg.intermediate_size <= 0) {
    throw ModelError(fmt::format("{}: missing field 'intermediate_size'", cfg.path.string()));
  }
  // A bare base-model checkpoint (saved from *Model) has no "bert." prefix.
  const std::string base = std::string(names.base) + ".";
  const std::string word = std::string(names.word_embeddings);
  const bool prefixed = binder.has(base + word) || !binder.has(word);
  Binder b(cfg, binder, prefixed ? base : std::string());

  EncoderWeights w;
  w.head = encoder_head_for(cfg);
  const int64_t embedding = cfg.embedding_size;
  w.word_embeddings = b.tensor(b.base_name(names.word_embeddings), {cfg.vocab_size, embedding}, Init::normal);
  w.position_embeddings =
      b.tensor(b.base_name(names.position_embeddings), {cfg.max_position_embeddings, embedding}, Init::normal);
  if (!names.token_type_embeddings.empty() && cfg.type_vocab_size > 0) {
    w.token_type_embeddings =
        b.tensor(b.base_name(names.token_type_embeddings), {cfg.type_vocab_size, embedding}, Init::normal);
  }
  w.embeddings_norm = b.norm(b.base_name(names.embeddings_norm), embedding);
  if (!names.embedding_projection.empty()) {
    w.embedding_projection = b.linear(b.base_name(names.embedding_projection), cfg.hidden_size, embedding);
  } else if (embedding != cfg.hidden_size) {
    throw ModelError(fmt::format("{}: embedding_size {} differs from hidden_size {}", cfg.path.string(), embedding,
                                 cfg.hidden_size));
  }
  bind_layers(b, cfg, names, w);
  bind_head(b, cfg, names, w);
  return w;
}

}  // namespace xfmr
