#pragma once
// Config mappings and weight-name tables of the encoder model types, used by
// the registry (core/registry.cpp).
#include "core/config.hpp"
#include "core/encoder_weights.hpp"

namespace xfmr {

extern const EncoderNames kBertNames;
extern const EncoderNames kRobertaNames;
extern const EncoderNames kDistilBertNames;
extern const EncoderNames kAlbertNames;

void read_bert_config(const ConfigReader& reader, ModelConfig& cfg);
void read_roberta_config(const ConfigReader& reader, ModelConfig& cfg);
void read_distilbert_config(const ConfigReader& reader, ModelConfig& cfg);
void read_albert_config(const ConfigReader& reader, ModelConfig& cfg);

}  // namespace xfmr
