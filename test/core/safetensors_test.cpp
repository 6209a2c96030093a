// The safetensors reader: valid files, every corruption it must reject (a
// ModelError naming the file and the tensor, never a crash), dtypes, shards.
#include <doctest/doctest.h>

#include <cstring>
#include <cstdio>
#include <fstream>
#include <random>

#include "core/dtype_convert.hpp"
#include "core/safetensors.hpp"
#include "core/weights.hpp"
#include "golden_util.hpp"
#include "temp_dir.hpp"

using namespace xfmr;
using test::expect_model_error;
using test::TempDir;

namespace {

// u64 LE length + header + data.
std::string image(const std::string& header, std::string_view data) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + std::string(data);
}

std::string float_bytes(std::initializer_list<float> values) {
  std::string out;
  for (float v : values) out.append(reinterpret_cast<const char*>(&v), sizeof v);
  return out;
}

const std::string kValidHeader =
    R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
    R"("b":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]}})";
const std::string kValidData = float_bytes({1.0f, 2.0f, 3.0f, 4.0f});

// Writes the image as a file and opens it, so that the mmap path runs too.
void open_image(const TempDir& dir, const std::string& bytes) {
  test::write_bytes(dir / "model.safetensors", bytes);
  Weights weights = Weights::open_file(dir / "model.safetensors");
  for (const auto& name : weights.names()) weights.get(name);
}

void expect_rejected(const std::string& header, std::string_view data, std::initializer_list<std::string_view> fragments) {
  TempDir dir;
  expect_model_error([&] { open_image(dir, image(header, data)); }, fragments);
}

}  // namespace

TEST_CASE("safetensors: a valid file loads, f32 in place") {
  TempDir dir;
  test::write_bytes(dir / "model.safetensors", image(kValidHeader, kValidData));
  Weights weights = Weights::open_file(dir / "model.safetensors");
  CHECK(weights.names() == std::vector<std::string>{"a", "b"});
  Tensor b = weights.get("b");
  CHECK(b.shape() == Shape{1, 2});
  CHECK(b.data()[0] == 3.0f);
  CHECK(b.data()[1] == 4.0f);
  // A view of the mapping: asking twice gives the same memory.
  CHECK(weights.get("b").data() == b.data());
  expect_model_error([&] { weights.get("c"); }, {"model.safetensors", "'c'", "not found"});
}

TEST_CASE("safetensors: header padded with spaces, empty tensors, scalars") {
  TempDir dir;
  std::string header =
      R"({"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]}})";
  header.append(6, ' ');
  test::write_bytes(dir / "model.safetensors", image(header, float_bytes({7.0f})));
  Weights weights = Weights::open_file(dir / "model.safetensors");
  CHECK(weights.get("s").data()[0] == 7.0f);
  CHECK(weights.get("e").numel() == 0);
}

TEST_CASE("safetensors: truncated or too short files") {
  TempDir dir;
  const std::string valid = image(kValidHeader, kValidData);
  expect_model_error([&] { open_image(dir, valid.substr(0, valid.size() - 3)); }, {"model.safetensors", "'b'", "past"});
  expect_model_error([&] { open_image(dir, valid.substr(0, 5)); }, {"model.safetensors", "too small"});
  expect_model_error([&] { open_image(dir, ""); }, {"model.safetensors", "too small"});
  expect_model_error([&] { open_image(dir, valid.substr(0, 20)); }, {"model.safetensors", "past the end"});
}

TEST_CASE("safetensors: header length past the end or too large") {
  TempDir dir;
  std::string bytes = image(kValidHeader, kValidData);
  bytes[0] = static_cast<char>(0xff);
  bytes[1] = static_cast<char>(0x7f);
  expect_model_error([&] { open_image(dir, bytes); }, {"model.safetensors", "header length", "past the end"});
  bytes = image(kValidHeader, kValidData);
  bytes[4] = 1;  // 4 GiB header
  expect_model_error([&] { open_image(dir, bytes); }, {"model.safetensors", "larger than the limit"});
}

TEST_CASE("safetensors: header that is not JSON or not an object") {
  expect_rejected("{not json at all", kValidData, {"model.safetensors", "not valid JSON"});
  expect_rejected(R"(["a"])", "", {"model.safetensors", "does not start with '{'"});
  expect_rejected(R"( {"a":1})", "", {"does not start with '{'"});
  expect_rejected(std::string("{\"a\xff\":{}}"), "", {"model.safetensors", "not valid JSON"});  // bad UTF-8
  expect_rejected(R"({"a":{"dtype":"F32","shape":[[2]],"data_offsets":[0,8]}})", kValidData.substr(0, 8),
                  {"'a'", "shape"});
}

TEST_CASE("safetensors: overlapping offsets and holes name the tensor") {
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                  R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                  kValidData.substr(0, 12), {"model.safetensors", "'b'", "overlap", "'a'"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                  R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                  kValidData, {"model.safetensors", "'b'", "hole"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", kValidData,
                  {"model.safetensors", "belong to no tensor"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", kValidData.substr(0, 8),
                  {"'a'", "end before"});
}

TEST_CASE("safetensors: sizes, dtypes and shapes are checked") {
  // 2 F32 need 8 bytes, offsets give 6.
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,6]}})", kValidData.substr(0, 6),
                  {"model.safetensors", "'a'", "6 bytes", "needs 8"});
  // F16 [2] is 4 bytes, offsets give 8: wrong dtype size.
  expect_rejected(R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}})", kValidData.substr(0, 8),
                  {"'a'", "needs 4"});
  expect_rejected(R"({"a":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,8]}})", kValidData.substr(0, 8),
                  {"'a'", "unknown dtype 'Q4_K'"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", kValidData.substr(0, 8),
                  {"'a'", "non-negative"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", kValidData.substr(0, 8), {"'a'"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                  kValidData.substr(0, 8), {"'a'", "too many elements"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,8]}})",
                  kValidData.substr(0, 8), {"'a'", "too large"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,2],"data_offsets":[0,8]}})",
                  kValidData.substr(0, 8), {"'a'", "rank"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", kValidData.substr(0, 8),
                  {"'a'", "data_offsets"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}})", kValidData.substr(0, 8),
                  {"'a'", "unexpected field 'extra'"});
  expect_rejected(R"({"a":{"shape":[2],"data_offsets":[0,8]}})", kValidData.substr(0, 8), {"'a'", "dtype"});
  expect_rejected(R"({"a":[1,2]})", "", {"'a'", "not an object"});
  expect_rejected(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                  R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                  kValidData.substr(0, 8), {"duplicate key 'a'"});
  expect_rejected(R"({"__metadata__":{"format":1}})", "", {"__metadata__", "format"});
}

TEST_CASE("safetensors: F16 and BF16 are converted, other dtypes refused by name") {
  CHECK(half_to_float(0x3c00) == 1.0f);
  CHECK(half_to_float(0xc000) == -2.0f);
  CHECK(half_to_float(0x7bff) == 65504.0f);
  CHECK(half_to_float(0x0001) == 0x1p-24f);  // smallest subnormal
  CHECK(half_to_float(0x3555) == doctest::Approx(0.333251953125f).epsilon(1e-9));
  CHECK(std::isinf(half_to_float(0x7c00)));
  CHECK(std::isnan(half_to_float(0x7e00)));
  CHECK(bfloat16_to_float(0x3f80) == 1.0f);
  CHECK(bfloat16_to_float(0xc040) == -3.0f);

  TempDir dir;
  const std::string data = std::string("\x00\x3c\x00\xc0", 4) + std::string("\x80\x3f\x40\xc0", 4) + std::string("\x01\x00\x00\x00", 4);
  test::write_bytes(dir / "model.safetensors",
                    image(R"({"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},)"
                          R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},)"
                          R"("i":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}})",
                          data));
  Weights weights = Weights::open_file(dir / "model.safetensors");
  Tensor h = weights.get("h");
  CHECK(h.data()[0] == 1.0f);
  CHECK(h.data()[1] == -2.0f);
  CHECK(weights.get("h").data() == h.data());  // converted once
  Tensor b = weights.get("b");
  CHECK(b.data()[0] == 1.0f);
  CHECK(b.data()[1] == -3.0f);
  expect_model_error([&] { weights.get("i"); }, {"model.safetensors", "'i'", "I32", "F32, F16 and BF16"});
}

TEST_CASE("safetensors: an unaligned F32 tensor is copied, not misread") {
  TempDir dir;
  // An F16 [1] first puts the F32 data at an odd 2-byte offset.
  std::string header = R"({"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},)"
                       R"("f":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}})";
  header.resize((header.size() + 7) / 8 * 8, ' ');
  test::write_bytes(dir / "model.safetensors", image(header, std::string("\x00\x3c", 2) + float_bytes({5.5f})));
  Weights weights = Weights::open_file(dir / "model.safetensors");
  CHECK(weights.get("f").data()[0] == 5.5f);
}

TEST_CASE("safetensors: writer output round-trips") {
  TempDir dir;
  std::vector<TensorToWrite> tensors = {
      {"z.weight", {2, 3}, [](std::span<float> v) { for (size_t i = 0; i < v.size(); ++i) v[i] = float(i); }},
      {"a.bias", {3}, [](std::span<float> v) { for (auto& x : v) x = -1.0f; }},
  };
  write_safetensors(dir / "model.safetensors", tensors);
  Weights weights = Weights::open_file(dir / "model.safetensors");
  CHECK(weights.names() == std::vector<std::string>{"a.bias", "z.weight"});
  CHECK(weights.get("z.weight").data()[5] == 5.0f);
  CHECK(weights.get("a.bias").data()[2] == -1.0f);
  CHECK(test::read_bytes(dir / "model.safetensors").size() % 4 == 0);
}

TEST_CASE("safetensors: sharded checkpoints through model.safetensors.index.json") {
  TempDir dir;
  auto fill = [](float value) { return [value](std::span<float> v) { for (auto& x : v) x = value; }; };
  write_safetensors(dir / "model-00001-of-00002.safetensors", {{"x", {2}, fill(1.0f)}});
  write_safetensors(dir / "model-00002-of-00002.safetensors", {{"y", {3}, fill(2.0f)}});
  test::write_bytes(dir / "model.safetensors.index.json",
                    R"({"metadata":{"total_size":20},"weight_map":{"x":"model-00001-of-00002.safetensors",)"
                    R"("y":"model-00002-of-00002.safetensors"}})");
  Weights weights = Weights::open_folder(dir.path());
  CHECK(weights.get("x").data()[1] == 1.0f);
  CHECK(weights.get("y").data()[2] == 2.0f);

  test::write_bytes(dir / "model.safetensors.index.json",
                    R"({"weight_map":{"x":"model-00002-of-00002.safetensors"}})");
  expect_model_error([&] { Weights::open_folder(dir.path()); }, {"index.json", "'x'", "does not hold it"});
  test::write_bytes(dir / "model.safetensors.index.json", R"({"weight_map":{"x":"../etc/passwd"}})");
  expect_model_error([&] { Weights::open_folder(dir.path()); }, {"index.json", "'x'", "file name"});
  test::write_bytes(dir / "model.safetensors.index.json", R"({"weight_map":{"x":"missing.safetensors"}})");
  expect_model_error([&] { Weights::open_folder(dir.path()); }, {"missing.safetensors", "cannot open"});
  test::write_bytes(dir / "model.safetensors.index.json", R"({"weights":{}})");
  expect_model_error([&] { Weights::open_folder(dir.path()); }, {"index.json", "weight_map"});
  test::write_bytes(dir / "model.safetensors.index.json", "{oops");
  expect_model_error([&] { Weights::open_folder(dir.path()); }, {"index.json", "not valid JSON"});

  TempDir empty;
  expect_model_error([&] { Weights::open_folder(empty.path()); }, {"no model.safetensors"});
}

TEST_CASE("safetensors: random byte flips in a valid header never crash") {
  const std::string header =
      R"({"__metadata__":{"format":"pt"},"emb":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]},)"
      R"("h":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},"w":{"dtype":"BF16","shape":[2,1],"data_offsets":[28,32]}})";
  const std::string valid = image(header, std::string(32, '\x01'));
  std::mt19937 rng(1234);
  const char interesting[] = {'{', '}', '[', ']', '"', ',', ':', '0', '9', '-', ' ', '\0', '\xff', 'F', '1'};
  int accepted = 0;
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string bytes = valid;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      // Mostly the header, sometimes its length field.
      const size_t at = rng() % 16 == 0 ? rng() % 8 : 8 + rng() % header.size();
      bytes[at] = rng() % 2 ? static_cast<char>(rng() & 0xff) : interesting[rng() % sizeof interesting];
    }
    if (rng() % 8 == 0) bytes.resize(rng() % bytes.size());
    try {
      auto tensors = parse_safetensors({reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()}, "fuzz");
      ++accepted;
    } catch (const ModelError&) {
    }
  }
  CHECK(accepted > 0);  // some flips (inside names, inside padding) keep the file valid
}

TEST_CASE("safetensors: F32 weights are used in place, inside the file mapping") {
  Weights weights = Weights::open_folder(test::model_dir("tiny-bert-sst2"));
  Tensor embeddings = weights.get("bert.embeddings.word_embeddings.weight");
  const auto address = reinterpret_cast<uintptr_t>(embeddings.data());
  std::ifstream maps("/proc/self/maps");
  std::string line;
  std::string mapped_file;
  while (std::getline(maps, line)) {
    uintptr_t begin = 0, end = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx", &begin, &end) == 2 && address >= begin && address < end) {
      mapped_file = line.substr(line.find_last_of(' ') + 1);
    }
  }
  CHECK(mapped_file.size() >= 17);
  CHECK(mapped_file.substr(mapped_file.size() - 17) == "model.safetensors");
}
