#include <algorithm>
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/safetensors.hpp"

namespace xfmr {

void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors) {
  std::vector<const TensorToWrite*> order;
  for (const auto& t : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->name < b->name; });

  nlohmann::ordered_json header;
  header["__metadata__"] = {{"format", "pt"}};
  uint64_t offset = 0;
  for (const auto* t : order) {
    uint64_t bytes = static_cast<uint64_t>(shape_numel(t->shape)) * sizeof(float);
    header[t->name] = {{"dtype", "F32"}, {"shape", t->shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.resize((text.size() + 7) / 8 * 8, ' ');

  std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(path.c_str(), "wb"), std::fclose);
  if (!out) throw ModelError(fmt::format("{}: cannot write", path.string()));
  unsigned char length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>((text.size() >> (8 * i)) & 0xff);
  bool ok = std::fwrite(length, 1, 8, out.get()) == 8 && std::fwrite(text.data(), 1, text.size(), out.get()) == text.size();
  std::vector<float> buffer;
  for (const auto* t : order) {
    if (!ok) break;
    buffer.assign(static_cast<size_t>(shape_numel(t->shape)), 0.0f);
    if (t->fill) t->fill(buffer);
    ok = std::fwrite(buffer.data(), sizeof(float), buffer.size(), out.get()) == buffer.size();
  }
  if (!ok || std::fflush(out.get()) != 0) throw ModelError(fmt::format("{}: write failed", path.string()));
}

}  // namespace xfmr
