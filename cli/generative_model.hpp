#pragma once
// The models `generate`, `translate` and `summarize` run: decoder-only
// (GPT-2, Llama family) or encoder-decoder (T5, BART, Marian), seen by the
// decoding module through one StepModel.
#include <filesystem>
#include <memory>
#include <vector>

#include "core/config.hpp"
#include "core/step_model.hpp"

namespace xfmr::cli {

class GenerativeModel {
 public:
  static std::unique_ptr<GenerativeModel> load(const std::filesystem::path& folder);
  virtual ~GenerativeModel() = default;

  virtual const ModelConfig& config() const = 0;
  bool encoder_decoder() const { return config().family == ModelFamily::encoder_decoder; }
  // Decoder-only: the longest prompt + output; encoder-decoder: the longest
  // encoder input. 0: no limit.
  virtual int64_t max_input_length() const = 0;
  // The StepModel for one decoding run. An encoder-decoder encodes `sources`
  // (one per prompt given to start()) now; a decoder-only model ignores them.
  virtual StepModel& session(const std::vector<std::vector<int32_t>>& sources) = 0;
};

}  // namespace xfmr::cli
