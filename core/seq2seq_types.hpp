#pragma once
// Config mappings and weight-name tables of the encoder-decoder model types,
// used by the registry (core/registry.cpp): t5; bart and marian on the same
// blocks.
#include "core/config.hpp"
#include "core/seq2seq_weights.hpp"

namespace xfmr {

extern const Seq2SeqNames kT5Names;
extern const Seq2SeqNames kBartNames;
extern const Seq2SeqNames kMarianNames;

void read_t5_config(const ConfigReader& reader, ModelConfig& cfg);
void read_bart_config(const ConfigReader& reader, ModelConfig& cfg);
void read_marian_config(const ConfigReader& reader, ModelConfig& cfg);

}  // namespace xfmr
