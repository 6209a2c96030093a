#include "core/registry.hpp"

#include <fmt/format.h>

#include "core/decoder_types.hpp"
#include "core/encoder_types.hpp"
#include "core/error.hpp"
#include "core/seq2seq_types.hpp"

namespace xfmr {
namespace {

const ModelTypeInfo kModelTypes[] = {
    {"bert", ModelFamily::encoder, read_bert_config, &kBertNames},
    {"distilbert", ModelFamily::encoder, read_distilbert_config, &kDistilBertNames},
    {"roberta", ModelFamily::encoder, read_roberta_config, &kRobertaNames},
    {"albert", ModelFamily::encoder, read_albert_config, &kAlbertNames},
    // RoBERTa's architecture and weight names under other model types.
    {"xlm-roberta", ModelFamily::encoder, read_roberta_config, &kRobertaNames},
    {"camembert", ModelFamily::encoder, read_roberta_config, &kRobertaNames},
    // Decoder-only: GPT-2, and the Llama blocks under Mistral's and Qwen2's names.
    {"gpt2", ModelFamily::decoder, read_gpt2_config, nullptr, &kGpt2Names},
    {"llama", ModelFamily::decoder, read_llama_config, nullptr, &kLlamaNames},
    {"mistral", ModelFamily::decoder, read_mistral_config, nullptr, &kLlamaNames},
    {"qwen2", ModelFamily::decoder, read_qwen2_config, nullptr, &kLlamaNames},
    // Encoder-decoder: T5 (v1.0, v1.1, flan-t5), BART, Marian.
    {"t5", ModelFamily::encoder_decoder, read_t5_config, nullptr, nullptr, &kT5Names},
    {"bart", ModelFamily::encoder_decoder, read_bart_config, nullptr, nullptr, &kBartNames},
    {"marian", ModelFamily::encoder_decoder, read_marian_config, nullptr, nullptr, &kMarianNames},
    // Checked on random weights only (no transformers fixtures): BART's and
    // Marian's blocks in pre-norm order with a final norm.
};

}  // namespace

std::span<const ModelTypeInfo> model_types() { return kModelTypes; }

const ModelTypeInfo& find_model_type(std::string_view model_type, const std::string& label) {
  for (const auto& info : kModelTypes) {
    if (info.model_type == model_type) return info;
  }
  std::vector<std::string_view> supported;
  for (const auto& info : kModelTypes) supported.push_back(info.model_type);
  throw ModelError(fmt::format("{}: unknown model_type '{}' (supported: {})", label, model_type,
                               fmt::join(supported, ", ")));
}

std::vector<TensorSpec> expected_tensors(const ModelConfig& cfg) {
  const ModelTypeInfo& info = find_model_type(cfg.model_type, cfg.path.string());
  SpecRecorder recorder;
  switch (info.family) {
    case ModelFamily::encoder: bind_encoder_weights(cfg, *info.encoder_names, recorder); break;
    case ModelFamily::decoder: bind_decoder_weights(cfg, *info.decoder_names, recorder); break;
    case ModelFamily::encoder_decoder: bind_seq2seq_weights(cfg, *info.seq2seq_names, recorder); break;
  }
  return recorder.specs();
}

}  // namespace xfmr
