#pragma once
// A fresh directory under the system temp dir, removed with its contents.
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "core/error.hpp"

namespace xfmr::test {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("xfmr-core-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs f; it must throw ModelError whose message contains every fragment.
template <typename F>
void expect_model_error(F&& f, std::initializer_list<std::string_view> fragments) {
  try {
    f();
    FAIL("no ModelError thrown");
  } catch (const ModelError& e) {
    const std::string message = e.what();
    for (std::string_view fragment : fragments) {
      INFO("message: " << message);
      CHECK_MESSAGE(message.find(fragment) != std::string::npos, "missing '" << std::string(fragment) << "'");
    }
  }
}

}  // namespace xfmr::test
