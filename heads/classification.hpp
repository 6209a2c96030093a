#pragma once
// Sequence classification (the text-classification pipeline): logits of one
// input → label scores.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xfmr::heads {

enum class ScoreFunction { softmax, sigmoid, none };

// As the pipeline decides: regression → none; multi-label or a single label →
// sigmoid; otherwise softmax.
ScoreFunction default_score_function(std::string_view problem_type, size_t num_labels);
// "softmax" | "sigmoid" | "none"; nullopt for anything else.
std::optional<ScoreFunction> parse_score_function(std::string_view name);

struct LabelScore {
  std::string label;
  float score;
};

// Every label with its score, best first; equal scores keep label order.
std::vector<LabelScore> score_labels(std::span<const float> logits, ScoreFunction function,
                                     const std::vector<std::string>& labels);

}  // namespace xfmr::heads
