#pragma once
// Reading the golden files of test/fixtures in the heads tests.
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace xfmr::test {

inline std::string fixture(const std::string& relative) { return std::string(XFMR_FIXTURES) + "/" + relative; }

inline nlohmann::json load_json(const std::string& relative) {
  std::ifstream in(fixture(relative));
  return nlohmann::json::parse(in);
}

inline std::vector<float> floats(const nlohmann::json& array) {
  std::vector<float> out;
  for (const auto& v : array) out.push_back(v.get<float>());
  return out;
}

}  // namespace xfmr::test
