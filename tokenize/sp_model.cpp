#include "tokenize/sp_model.hpp"

#include "core/error.hpp"

namespace xfmr::tok {
namespace {

// Minimal protobuf wire format: enough to copy fields and rewrite one.
bool read_varint(std::string_view data, size_t& pos, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && pos < data.size(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(data[pos++]);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

void write_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

struct Field {
  uint64_t number;
  uint64_t wire_type;
  size_t begin;  // whole field, key included
  size_t end;
  size_t payload;  // start of the length-delimited payload
};

bool next_field(std::string_view data, size_t& pos, Field& f) {
  f.begin = pos;
  uint64_t key;
  if (!read_varint(data, pos, key)) return false;
  f.number = key >> 3;
  f.wire_type = key & 7;
  uint64_t v;
  switch (f.wire_type) {
    case 0:
      if (!read_varint(data, pos, v)) return false;
      break;
    case 1: pos += 8; break;
    case 5: pos += 4; break;
    case 2:
      if (!read_varint(data, pos, v)) return false;
      f.payload = pos;
      pos += v;
      break;
    default: return false;
  }
  if (pos > data.size()) return false;
  f.end = pos;
  return true;
}

}  // namespace

std::string without_dummy_prefix(std::string_view model) {
  constexpr uint64_t kNormalizerSpec = 3, kAddDummyPrefix = 3;
  std::string out;
  out.reserve(model.size() + 4);
  size_t pos = 0;
  Field f;
  bool found = false;
  while (pos < model.size()) {
    if (!next_field(model, pos, f)) throw ModelError("sentencepiece model is corrupt");
    if (f.number != kNormalizerSpec || f.wire_type != 2) {
      out.append(model.substr(f.begin, f.end - f.begin));
      continue;
    }
    found = true;
    std::string_view spec = model.substr(f.payload, f.end - f.payload);
    std::string rewritten;
    size_t p = 0;
    Field g;
    while (p < spec.size()) {
      if (!next_field(spec, p, g)) throw ModelError("sentencepiece model has a corrupt normalizer_spec");
      if (g.number != kAddDummyPrefix) rewritten.append(spec.substr(g.begin, g.end - g.begin));
    }
    write_varint(rewritten, (kAddDummyPrefix << 3) | 0);
    write_varint(rewritten, 0);
    write_varint(out, (kNormalizerSpec << 3) | 2);
    write_varint(out, rewritten.size());
    out += rewritten;
  }
  if (!found) {
    std::string spec;
    write_varint(spec, (kAddDummyPrefix << 3) | 0);
    write_varint(spec, 0);
    write_varint(out, (kNormalizerSpec << 3) | 2);
    write_varint(out, spec.size());
    out += spec;
  }
  return out;
}

std::unique_ptr<sentencepiece::SentencePieceProcessor> load_sentencepiece(const std::string& serialized,
                                                                          const std::filesystem::path& source) {
  auto sp = std::make_unique<sentencepiece::SentencePieceProcessor>();
  auto status = sp->LoadFromSerializedProto(serialized);
  if (!status.ok()) throw ModelError("cannot load sentencepiece model " + source.string() + ": " + status.ToString());
  return sp;
}

}  // namespace xfmr::tok
