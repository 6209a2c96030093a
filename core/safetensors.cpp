#include "core/safetensors.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace xfmr {
namespace {

using json = nlohmann::json;

constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr uint64_t kMaxDim = (uint64_t{1} << 48) - 1;
constexpr size_t kMaxRank = 16;
// The header is {name: {dtype, shape: [...], data_offsets: [...]}}: deeper is malformed.
constexpr int kMaxJsonDepth = 4;

struct DTypeEntry {
  std::string_view name;
  DType dtype;
  int bits;
};

constexpr std::array<DTypeEntry, 22> kDTypes{{
    {"BOOL", DType::BOOL, 8},         {"U8", DType::U8, 8},
    {"I8", DType::I8, 8},             {"F8_E5M2", DType::F8_E5M2, 8},
    {"F8_E4M3", DType::F8_E4M3, 8},   {"F8_E8M0", DType::F8_E8M0, 8},
    {"F8_E4M3FNUZ", DType::F8_E4M3FNUZ, 8}, {"F8_E5M2FNUZ", DType::F8_E5M2FNUZ, 8},
    {"F4", DType::F4, 4},             {"F6_E2M3", DType::F6_E2M3, 6},
    {"F6_E3M2", DType::F6_E3M2, 6},   {"I16", DType::I16, 16},
    {"U16", DType::U16, 16},          {"F16", DType::F16, 16},
    {"BF16", DType::BF16, 16},        {"I32", DType::I32, 32},
    {"U32", DType::U32, 32},          {"F32", DType::F32, 32},
    {"F64", DType::F64, 64},          {"I64", DType::I64, 64},
    {"U64", DType::U64, 64},          {"C64", DType::C64, 64},
}};

const DTypeEntry* find_dtype(std::string_view name) {
  for (const auto& entry : kDTypes) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

[[noreturn]] void fail(const std::string& label, const std::string& why) {
  throw ModelError(fmt::format("{}: invalid safetensors file: {}", label, why));
}

[[noreturn]] void fail_tensor(const std::string& label, const std::string& tensor, const std::string& why) {
  throw ModelError(fmt::format("{}: invalid safetensors file: tensor '{}': {}", label, tensor, why));
}

uint64_t read_u64_le(const std::byte* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | std::to_integer<uint64_t>(p[i]);
  return value;
}

// Parses the header JSON, rejecting duplicate keys and deep nesting (the
// format forbids the first; the second only serves to exhaust memory).
json parse_header_json(std::string_view text, const std::string& label) {
  std::vector<std::unordered_set<std::string>> open_objects;
  auto on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > kMaxJsonDepth) fail(label, "header JSON is nested too deeply");
    switch (event) {
      case json::parse_event_t::object_start: open_objects.emplace_back(); break;
      case json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case json::parse_event_t::key: {
        const auto& key = parsed.get_ref<const std::string&>();
        if (!open_objects.empty() && !open_objects.back().insert(key).second) {
          fail(label, fmt::format("duplicate key '{}' in header", key));
        }
        break;
      }
      default: break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), on_event);
  } catch (const json::exception& e) {
    fail(label, fmt::format("header is not valid JSON ({})", e.what()));
  }
}

uint64_t read_offset(const json& value, const std::string& label, const std::string& name) {
  if (!value.is_number_unsigned()) fail_tensor(label, name, "data_offsets must be non-negative integers");
  return value.get<uint64_t>();
}

TensorInfo read_entry(const std::string& name, const json& entry, const std::string& label) {
  if (!entry.is_object()) fail_tensor(label, name, "entry is not an object");
  for (const auto& [key, value] : entry.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      fail_tensor(label, name, fmt::format("unexpected field '{}'", key));
    }
  }
  TensorInfo info;
  info.name = name;

  auto dtype_it = entry.find("dtype");
  if (dtype_it == entry.end() || !dtype_it->is_string()) fail_tensor(label, name, "missing or non-string dtype");
  const auto& dtype_text = dtype_it->get_ref<const std::string&>();
  const DTypeEntry* dtype = find_dtype(dtype_text);
  if (!dtype) fail_tensor(label, name, fmt::format("unknown dtype '{}'", dtype_text));
  info.dtype = dtype->dtype;

  auto shape_it = entry.find("shape");
  if (shape_it == entry.end() || !shape_it->is_array()) fail_tensor(label, name, "missing or non-array shape");
  if (shape_it->size() > kMaxRank) {
    fail_tensor(label, name, fmt::format("rank {} is larger than {}", shape_it->size(), kMaxRank));
  }
  uint64_t numel = 1;
  for (const auto& dim : *shape_it) {
    if (!dim.is_number_unsigned()) fail_tensor(label, name, "shape must hold non-negative integers");
    uint64_t d = dim.get<uint64_t>();
    if (d > kMaxDim) fail_tensor(label, name, fmt::format("dimension {} is too large", d));
    if (__builtin_mul_overflow(numel, d, &numel) || numel > kMaxDim) {
      fail_tensor(label, name, "shape has too many elements");
    }
    info.shape.push_back(static_cast<int64_t>(d));
  }

  auto offsets_it = entry.find("data_offsets");
  if (offsets_it == entry.end() || !offsets_it->is_array() || offsets_it->size() != 2) {
    fail_tensor(label, name, "data_offsets must be [begin, end]");
  }
  info.begin = read_offset((*offsets_it)[0], label, name);
  info.end = read_offset((*offsets_it)[1], label, name);
  if (info.end < info.begin) {
    fail_tensor(label, name, fmt::format("data_offsets [{}, {}] end before they begin", info.begin, info.end));
  }

  uint64_t bits = numel * static_cast<uint64_t>(dtype->bits);  // numel <= 2^48: no overflow
  if (bits % 8 != 0) fail_tensor(label, name, "size in bits is not a whole number of bytes");
  uint64_t nbytes = bits / 8;
  if (info.end - info.begin != nbytes) {
    fail_tensor(label, name,
                fmt::format("data_offsets [{}, {}] hold {} bytes, but {} {} needs {}", info.begin, info.end,
                            info.end - info.begin, dtype->name, shape_to_string(info.shape), nbytes));
  }
  return info;
}

void check_metadata(const json& metadata, const std::string& label) {
  if (!metadata.is_object()) fail(label, "__metadata__ is not an object");
  for (const auto& [key, value] : metadata.items()) {
    if (!value.is_string()) fail(label, fmt::format("__metadata__ value of '{}' is not a string", key));
  }
}

// Sorted by offsets, tensors must tile [0, buffer_size) exactly.
void check_coverage(std::vector<TensorInfo> tensors, uint64_t buffer_size, const std::string& label) {
  std::sort(tensors.begin(), tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t expected = 0;
  const TensorInfo* previous = nullptr;
  for (const auto& info : tensors) {
    if (info.begin < expected) {
      fail_tensor(label, info.name,
                  fmt::format("data_offsets [{}, {}] overlap tensor '{}'", info.begin, info.end,
                              previous ? previous->name : std::string()));
    }
    if (info.begin > expected) {
      fail_tensor(label, info.name,
                  fmt::format("hole in the data buffer: bytes [{}, {}) belong to no tensor", expected, info.begin));
    }
    if (info.end > buffer_size) {
      fail_tensor(label, info.name,
                  fmt::format("data_offsets [{}, {}] go past the data buffer ({} bytes)", info.begin, info.end,
                              buffer_size));
    }
    expected = info.end;
    previous = &info;
  }
  if (expected != buffer_size) {
    fail(label, fmt::format("the last {} bytes of the data buffer belong to no tensor", buffer_size - expected));
  }
}

}  // namespace

std::string_view dtype_name(DType dtype) {
  for (const auto& entry : kDTypes) {
    if (entry.dtype == dtype) return entry.name;
  }
  return "?";
}

int dtype_bits(DType dtype) {
  for (const auto& entry : kDTypes) {
    if (entry.dtype == dtype) return entry.bits;
  }
  return 0;
}

std::vector<TensorInfo> parse_safetensors(std::span<const std::byte> file, const std::string& label,
                                          uint64_t* data_start) {
  if (file.size() < 8) fail(label, fmt::format("file is {} bytes, too small for the header length", file.size()));
  uint64_t header_size = read_u64_le(file.data());
  if (header_size > kMaxHeaderBytes) {
    fail(label, fmt::format("header length {} is larger than the limit of {} bytes", header_size, kMaxHeaderBytes));
  }
  if (header_size > file.size() - 8) {
    fail(label, fmt::format("header length {} goes past the end of the file ({} bytes)", header_size, file.size()));
  }
  std::string_view header(reinterpret_cast<const char*>(file.data() + 8), header_size);
  if (header.empty() || header.front() != '{') fail(label, "header does not start with '{'");

  json root = parse_header_json(header, label);
  if (!root.is_object()) fail(label, "header is not a JSON object");

  std::vector<TensorInfo> tensors;
  tensors.reserve(root.size());
  for (const auto& [name, entry] : root.items()) {
    if (name == "__metadata__") {
      check_metadata(entry, label);
      continue;
    }
    tensors.push_back(read_entry(name, entry, label));
  }
  check_coverage(tensors, file.size() - 8 - header_size, label);
  if (data_start) *data_start = 8 + header_size;
  return tensors;
}

std::shared_ptr<const SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  const std::string label = path.string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ModelError(fmt::format("{}: cannot open: {}", label, std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw ModelError(fmt::format("{}: not a regular file", label));
  }
  auto size = static_cast<size_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    fail(label, fmt::format("file is {} bytes, too small for the header length", size));
  }
  void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (mapping == MAP_FAILED) throw ModelError(fmt::format("{}: cannot map: {}", label, std::strerror(errno)));

  std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->path_ = path;
  file->mapping_ = mapping;
  file->mapping_size_ = size;
  uint64_t data_start = 0;
  file->tensors_ = parse_safetensors({static_cast<const std::byte*>(mapping), size}, label, &data_start);
  file->data_ = static_cast<const std::byte*>(mapping) + data_start;
  for (size_t i = 0; i < file->tensors_.size(); ++i) file->by_name_.emplace(file->tensors_[i].name, i);
  // Weights are read front to back once; let the kernel read ahead.
  ::madvise(mapping, size, MADV_WILLNEED);
  return file;
}

SafetensorsFile::~SafetensorsFile() {
  if (mapping_) ::munmap(mapping_, mapping_size_);
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace xfmr
