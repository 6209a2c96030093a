#pragma once
// One safetensors file, memory-mapped and validated (docs: reference-semantics
// §7.1). Layout: u64 little-endian header length N | N bytes of JSON | data.
// open() checks everything before any tensor is used: header size and bounds,
// JSON object starting with '{', no duplicate keys, each entry exactly
// {dtype, shape, data_offsets}, known dtype, sane rank and dims (no overflow),
// nbytes == prod(shape) * dtype size, and offsets that cover the data buffer
// with no holes and no overlaps. Any violation throws ModelError naming the
// file and, where there is one, the tensor.
//
// Most callers want Weights (core/weights.hpp), which turns entries into
// float32 Tensors and handles sharded checkpoints.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tensor.hpp"

namespace xfmr {

// Every dtype of the format; only F32, F16 and BF16 can be loaded as floats.
enum class DType {
  BOOL, U8, I8, F8_E5M2, F8_E4M3, F8_E8M0, F8_E4M3FNUZ, F8_E5M2FNUZ, F4, F6_E2M3, F6_E3M2,
  I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64, C64
};

std::string_view dtype_name(DType dtype);
int dtype_bits(DType dtype);

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  Shape shape;
  uint64_t begin = 0;  // byte offsets into the data buffer, end exclusive
  uint64_t end = 0;
};

// Validates a whole file image (header + data) and returns its tensors in
// header order. `label` names the file in error messages. Exposed for tests.
std::vector<TensorInfo> parse_safetensors(std::span<const std::byte> file, const std::string& label,
                                          uint64_t* data_start = nullptr);

class SafetensorsFile {
 public:
  // Maps and validates the file; throws ModelError on any problem.
  static std::shared_ptr<const SafetensorsFile> open(const std::filesystem::path& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const TensorInfo* find(std::string_view name) const;
  // First byte of the tensor's data inside the mapping.
  const std::byte* bytes(const TensorInfo& info) const { return data_ + info.begin; }

 private:
  SafetensorsFile() = default;
  std::filesystem::path path_;
  void* mapping_ = nullptr;
  size_t mapping_size_ = 0;
  const std::byte* data_ = nullptr;
  std::vector<TensorInfo> tensors_;
  std::unordered_map<std::string_view, size_t> by_name_;
};

// A tensor to write as F32. `fill` is called once, in file order, with a
// buffer of prod(shape) floats to fill (C order), so that a large model is
// streamed to disk one tensor at a time.
struct TensorToWrite {
  std::string name;
  Shape shape;
  std::function<void(std::span<float>)> fill;
};

// Writes an F32 safetensors file (tensors sorted by name, header padded with
// spaces to a multiple of 8 bytes, __metadata__ {"format": "pt"}), as
// transformers' writer does. Throws ModelError if the file cannot be written.
void write_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors);

}  // namespace xfmr
