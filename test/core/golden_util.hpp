#pragma once
// Shared helpers of the core tests: fixtures, golden JSON, float comparison.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

}  // namespace xfmr::test
