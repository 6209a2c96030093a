#pragma once
// Config mappings and weight-name tables of the decoder-only model types, used
// by the registry (core/registry.cpp): gpt2; llama, and mistral / qwen2 on the
// Llama blocks.
#include "core/config.hpp"
#include "core/decoder_weights.hpp"

namespace xfmr {

extern const DecoderNames kGpt2Names;
extern const DecoderNames kLlamaNames;

void read_gpt2_config(const ConfigReader& reader, ModelConfig& cfg);
void read_llama_config(const ConfigReader& reader, ModelConfig& cfg);
void read_mistral_config(const ConfigReader& reader, ModelConfig& cfg);
void read_qwen2_config(const ConfigReader& reader, ModelConfig& cfg);

}  // namespace xfmr
