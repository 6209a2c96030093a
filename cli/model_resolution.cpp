#include "cli/model_resolution.hpp"

#include <cstdlib>
#include <fstream>
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace xfmr::cli {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string expand_home(std::string path) {
  if (path.size() >= 1 && path[0] == '~' && (path.size() == 1 || path[1] == '/')) {
    std::string home = env("HOME");
    if (!home.empty()) path = home + path.substr(1);
  }
  return path;
}

bool is_commit_hash(const std::string& revision) {
  if (revision.size() != 40) return false;
  for (char c : revision)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "org/name" or "name": letters, digits, '-', '_', '.' with at most one '/'.
bool looks_like_hub_id(const std::string& model) {
  if (model.empty() || model.find("..") != std::string::npos) return false;
  int slashes = 0;
  bool segment_start = true;
  for (char c : model) {
    if (c == '/') {
      if (segment_start || ++slashes > 1) return false;
      segment_start = true;
      continue;
    }
    bool alnum = std::isalnum(static_cast<unsigned char>(c));
    if (!alnum && (segment_start || (c != '-' && c != '_' && c != '.'))) return false;
    segment_start = false;
  }
  return !segment_start;
}

std::string read_first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

}  // namespace

fs::path hub_cache_dir() {
  if (auto v = env("HF_HUB_CACHE"); !v.empty()) return expand_home(v);
  if (auto v = env("HUGGINGFACE_HUB_CACHE"); !v.empty()) return expand_home(v);
  if (auto v = env("HF_HOME"); !v.empty()) return fs::path(expand_home(v)) / "hub";
  if (auto v = env("XDG_CACHE_HOME"); !v.empty()) return fs::path(expand_home(v)) / "huggingface" / "hub";
  return fs::path(expand_home("~/.cache/huggingface/hub"));
}

fs::path resolve_model(const ModelRequest& request) {
  const std::string& model = request.model;
  if (model.empty()) throw UsageError("no model given: use -m PATH or -m org/name, or set XFMR_MODEL");
  std::vector<std::string> looked;
  std::error_code ec;
  fs::path as_path = expand_home(model);
  if (fs::is_directory(as_path, ec)) {
    if (fs::exists(as_path / "config.json", ec) || fs::exists(as_path / "tokenizer.json", ec)) return as_path;
    throw ModelError(fmt::format("{}: not a model folder (no config.json or tokenizer.json in it)", model));
  }
  looked.push_back(fmt::format("{} (no such folder)", as_path.string()));

  if (looks_like_hub_id(model)) {
    std::string folder = "models--" + model;
    for (size_t p = folder.find('/'); p != std::string::npos; p = folder.find('/')) folder.replace(p, 1, "--");
    fs::path repo = hub_cache_dir() / folder;
    std::string commit = request.revision;
    if (!is_commit_hash(commit)) {
      fs::path ref = repo / "refs" / request.revision;
      if (fs::is_regular_file(ref, ec)) {
        commit = read_first_line(ref);
      } else {
        looked.push_back(fmt::format("{} (no such file)", ref.string()));
        commit.clear();
      }
    }
    if (!commit.empty()) {
      fs::path snapshot = repo / "snapshots" / commit;
      if (fs::is_directory(snapshot, ec)) return snapshot;
      looked.push_back(fmt::format("{} (no such folder)", snapshot.string()));
    }
  }
  std::string message = fmt::format("model {} not found; looked in:", model);
  for (const auto& place : looked) message += "\n  " + place;
  if (looks_like_hub_id(model))
    message += fmt::format("\nxfmr never downloads; fetch it first with: huggingface-cli download {}", model);
  throw ModelError(message);
}

std::vector<std::string> cached_model_ids() {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(hub_cache_dir(), ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("models--", 0) != 0) continue;
    std::string id = name.substr(8);
    if (auto p = id.find("--"); p != std::string::npos) id = id.substr(0, p) + '/' + id.substr(p + 2);
    ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace xfmr::cli
