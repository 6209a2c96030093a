#pragma once
// A string -> id hash map built once and then only read: keys live in one
// arena, lookups take a string_view and allocate nothing.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace xfmr::tok {

inline uint64_t hash_bytes(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xff51afd7ed558ccdull);
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 32;
  return h;
}

class StringIdMap {
 public:
  void reserve(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    arena_.reserve(n * 8);
  }
  // Inserts or overwrites.
  void set(std::string_view key, int32_t id) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    size_t i = find_slot(key);
    if (slots_[i].id < 0) {
      slots_[i].offset = static_cast<uint32_t>(arena_.size());
      slots_[i].length = static_cast<uint32_t>(key.size());
      arena_.append(key);
      ++count_;
    }
    slots_[i].id = id;
  }
  int32_t get(std::string_view key) const {
    if (slots_.empty()) return -1;
    return slots_[find_slot(key)].id;
  }
  bool contains(std::string_view key) const { return get(key) >= 0; }
  size_t size() const { return count_; }

 private:
  struct Slot {
    uint32_t offset = 0;
    uint32_t length = 0;
    int32_t id = -1;
  };
  size_t find_slot(std::string_view key) const {
    size_t mask = slots_.size() - 1;
    size_t i = hash_bytes(key) & mask;
    while (true) {
      const Slot& s = slots_[i];
      if (s.id < 0) return i;
      if (s.length == key.size() && std::memcmp(arena_.data() + s.offset, key.data(), key.size()) == 0) return i;
      i = (i + 1) & mask;
    }
  }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.id < 0) continue;
      std::string_view key(arena_.data() + s.offset, s.length);
      slots_[find_slot(key)] = s;
    }
  }

  std::vector<Slot> slots_;
  std::string arena_;
  size_t count_ = 0;
};

}  // namespace xfmr::tok
