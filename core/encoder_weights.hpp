#pragma once
// The encoder family's weights (BERT, DistilBERT, RoBERTa, ALBERT): one set of
// blocks, and per model type a weight-name table (EncoderNames) saying where
// each block's tensors live in the checkpoint. Adding an encoder architecture
// = a config mapping and an EncoderNames entry in core/encoder_types.cpp.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/ops/linear.hpp"
#include "core/weight_binder.hpp"

namespace xfmr {

// The task head named by config.architectures[0] (suffix after the model name).
enum class EncoderHead {
  none,                     // *Model: hidden states only
  sequence_classification,  // *ForSequenceClassification
  token_classification,     // *ForTokenClassification
  question_answering,       // *ForQuestionAnswering
  masked_lm,                // *ForMaskedLM, *ForPreTraining
  multiple_choice,          // *ForMultipleChoice
};

std::string_view encoder_head_name(EncoderHead head);
// ModelError naming the architecture if its suffix is none of the above.
EncoderHead encoder_head_for(const ModelConfig& config);

// Position ids: 0..L-1, or RoBERTa's padding_idx + 1 + cumulative count of
// non-pad tokens (pad tokens themselves get padding_idx).
enum class PositionScheme { absolute, padding_offset };

// Activation of a head stage; `config` is the config's hidden_act.
enum class HeadActivation { none, tanh, relu, gelu, config };

struct HeadStageName {
  std::string_view linear;  // "{base}" is replaced by the base prefix; "" ends the list
  HeadActivation act = HeadActivation::none;
};
using HeadStageNames = std::array<HeadStageName, 2>;

// Names are prefixes of "<name>.weight" / "<name>.bias". Base names (the
// embeddings, the layers, the pooler) are relative to `base` ("bert."), which
// a bare base-model checkpoint leaves out; head names are absolute.
struct EncoderNames {
  std::string_view base;
  PositionScheme positions = PositionScheme::absolute;
  // Embeddings (under base). token_type and projection may be "".
  std::string_view word_embeddings;
  std::string_view position_embeddings;
  std::string_view token_type_embeddings;
  std::string_view embeddings_norm;
  std::string_view embedding_projection;  // ALBERT: embedding_size -> hidden_size
  // A layer's prefix, with {group} and {inner} (ALBERT) or {layer}.
  std::string_view layer;
  std::string_view query, key, value, attention_output, attention_norm;
  std::string_view intermediate, output, output_norm;
  // Heads. The last stage of sequence_classification / multiple_choice gives the
  // logits; earlier ones map hidden -> hidden (pooler, pre_classifier).
  HeadStageNames sequence_classification;
  HeadStageNames multiple_choice;
  std::string_view token_classification;
  std::string_view question_answering;
  std::string_view mlm_transform;
  HeadActivation mlm_act = HeadActivation::config;
  std::string_view mlm_norm;
  std::string_view mlm_bias;     // full tensor name
  std::string_view mlm_decoder;  // full tensor name, used when tie_word_embeddings is false
};

struct EncoderLayerWeights {
  Linear query, key, value, attention_output;
  Norm attention_norm;
  Linear intermediate, output;
  Norm output_norm;
};

struct HeadStage {
  Linear linear;
  Activation act = Activation::identity;
};

struct MaskedLmWeights {
  Linear transform;
  Activation act = Activation::identity;
  Norm norm;
  Tensor decoder;  // [vocab, embedding_size], usually the word embeddings
  Tensor bias;     // [vocab]
};

struct EncoderWeights {
  Tensor word_embeddings, position_embeddings, token_type_embeddings;
  Norm embeddings_norm;
  Linear embedding_projection;               // empty unless ALBERT
  std::vector<EncoderLayerWeights> layers;   // distinct weight sets
  std::vector<int> schedule;                 // weight set run at each step
  EncoderHead head = EncoderHead::none;
  std::vector<HeadStage> sequence_head;      // on the first token; sequence cls / multiple choice
  Linear token_head;                         // token classification (labels) / QA (2)
  MaskedLmWeights mlm;
};

// Walks the table for config (its model type's names, its architecture's
// head), binding every tensor through `binder`.
EncoderWeights bind_encoder_weights(const ModelConfig& config, const EncoderNames& names, WeightBinder& binder);

}  // namespace xfmr
