#pragma once
// Shared helpers of the core tests: fixtures, golden JSON, float comparison.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <numeric>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "core/ops/softmax.hpp"

namespace xfmr::test {

inline std::filesystem::path model_dir(const std::string& name) {
  return std::filesystem::path(XFMR_FIXTURES) / "models" / name;
}

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

inline nlohmann::json golden(const std::string& model) { return read_json(model_dir(model) / "golden.json"); }

inline std::vector<int32_t> ints(const nlohmann::json& array) { return array.get<std::vector<int32_t>>(); }

// Flattens a (nested) JSON array of numbers.
inline void flatten_into(const nlohmann::json& value, std::vector<float>& out) {
  if (value.is_array()) {
    for (const auto& v : value) flatten_into(v, out);
  } else {
    out.push_back(value.get<float>());
  }
}

inline std::vector<float> floats(const nlohmann::json& value) {
  std::vector<float> out;
  flatten_into(value, out);
  return out;
}

// Largest |a - b|; infinity when the sizes differ.
inline double max_abs_diff(const float* a, size_t n, const std::vector<float>& b) {
  if (n != b.size()) return INFINITY;
  double worst = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    if (!(d <= worst)) worst = d;  // NaN propagates as worst
  }
  return worst;
}

constexpr double kTolerance = 1e-4;

// Our logits at one position against a golden top-10: the same values within the
// tolerance, the golden ids' logits within it, the same ids where the golden
// values are not near-ties, and the same logsumexp. Also CHECKs the result.
inline bool matches_top10(const float* logits, int64_t vocab, const nlohmann::json& expected) {
  const std::vector<int32_t> ids = ints(expected["ids"]);
  const std::vector<float> values = floats(expected["values"]);
  std::vector<int32_t> order(static_cast<size_t>(vocab));
  std::iota(order.begin(), order.end(), 0);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(ids.size()), order.end(),
                    [&](int32_t a, int32_t b) { return logits[a] > logits[b]; });
  bool ok = true;
  for (size_t k = 0; k < ids.size(); ++k) {
    CAPTURE(k);
    ok &= std::fabs(logits[ids[k]] - values[k]) <= kTolerance;
    ok &= std::fabs(logits[order[k]] - values[k]) <= kTolerance;
    const bool near_tie = (k > 0 && values[k - 1] - values[k] < 2 * kTolerance) ||
                          (k + 1 < ids.size() && values[k] - values[k + 1] < 2 * kTolerance);
    if (!near_tie) ok &= order[k] == ids[k];
  }
  const double lse = log_sum_exp(logits, vocab);
  CAPTURE(lse);
  ok &= std::fabs(lse - expected["logsumexp"].get<double>()) <= kTolerance;
  CHECK(ok);
  return ok;
}

}  // namespace xfmr::test
