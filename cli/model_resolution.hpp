#pragma once
// -m MODEL → a folder on disk: a path, or a Hub id looked up in the Hugging
// Face cache (docs/cli.md "Models"). Never touches the network.
#include <filesystem>
#include <string>
#include <vector>

namespace xfmr::cli {

struct ModelRequest {
  std::string model;            // -m, else XFMR_MODEL, else the subcommand's default
  std::string revision = "main";
};

// The cache folders to search, in order: $HF_HUB_CACHE, $HUGGINGFACE_HUB_CACHE,
// $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub
// (only the first that is set among the variables applies, as huggingface_hub does).
std::filesystem::path hub_cache_dir();

// Throws ModelError (exit 3) listing every place it looked and how to get the model.
std::filesystem::path resolve_model(const ModelRequest& request);

// Hub ids present in the cache (for shell completion).
std::vector<std::string> cached_model_ids();

}  // namespace xfmr::cli
