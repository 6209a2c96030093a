#pragma once
// What `xfmr info` reports about a model folder, gathered without loading the
// weights: config.json, the safetensors headers, the tokenizer files and
// generation_config.json. Works on models xfmr cannot run yet.
#include <filesystem>
#include <string>

#include "cli/io/record.hpp"

namespace xfmr::cli {

// One ordered JSON object (fields: see docs in man/xfmr-info.1). `model` is the
// name as the user gave it. Throws ModelError when config.json or a weights
// file is unreadable; the tokenizer and generation config only add a note.
Record model_info(const std::string& model, const std::filesystem::path& folder);

}  // namespace xfmr::cli
