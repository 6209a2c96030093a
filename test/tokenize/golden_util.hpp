#pragma once
// Helpers for the golden tests: fixture paths, JSON loading, printable diffs.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace xfmr::tok::test {

inline std::filesystem::path fixtures() { return std::filesystem::path(XFMR_FIXTURES); }

inline nlohmann::json load_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

template <class T>
std::string show(const std::vector<T>& v) {
  std::ostringstream out;
  out << "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out << ", ";
    if constexpr (std::is_same_v<T, std::string>) {
      out << '"' << v[i] << '"';
    } else {
      out << +v[i];
    }
  }
  out << "]";
  return out.str();
}

}  // namespace xfmr::tok::test
