#include "heads/classification.hpp"

#include <algorithm>

#include "heads/probabilities.hpp"

namespace xfmr::heads {

ScoreFunction default_score_function(std::string_view problem_type, size_t num_labels) {
  if (problem_type == "regression") return ScoreFunction::none;
  if (problem_type == "multi_label_classification" || num_labels == 1) return ScoreFunction::sigmoid;
  return ScoreFunction::softmax;
}

std::optional<ScoreFunction> parse_score_function(std::string_view name) {
  if (name == "softmax") return ScoreFunction::softmax;
  if (name == "sigmoid") return ScoreFunction::sigmoid;
  if (name == "none") return ScoreFunction::none;
  return std::nullopt;
}

std::vector<LabelScore> score_labels(std::span<const float> logits, ScoreFunction function,
                                     const std::vector<std::string>& labels) {
  std::vector<float> scores(logits.begin(), logits.end());
  if (function == ScoreFunction::softmax) softmax(logits, scores);
  if (function == ScoreFunction::sigmoid)
    for (float& s : scores) s = sigmoid(s);
  std::vector<LabelScore> result;
  result.reserve(scores.size());
  for (size_t i = 0; i < scores.size(); ++i)
    result.push_back({i < labels.size() ? labels[i] : "LABEL_" + std::to_string(i), scores[i]});
  std::stable_sort(result.begin(), result.end(), [](const LabelScore& a, const LabelScore& b) { return a.score > b.score; });
  return result;
}

}  // namespace xfmr::heads
