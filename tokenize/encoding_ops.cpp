#include "tokenize/encoding_ops.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace xfmr::tok {
namespace {

Encoding slice(const Encoding& e, size_t begin, size_t end) {
  auto cut = [&](const auto& v) {
    using V = std::decay_t<decltype(v)>;
    if (v.size() < end) return V(v.begin() + std::min(begin, v.size()), v.end());
    return V(v.begin() + begin, v.begin() + end);
  };
  Encoding out;
  out.ids = cut(e.ids);
  out.tokens = cut(e.tokens);
  out.offsets = cut(e.offsets);
  out.word_ids = cut(e.word_ids);
  out.sequence_ids = cut(e.sequence_ids);
  out.type_ids = cut(e.type_ids);
  out.special_tokens_mask = cut(e.special_tokens_mask);
  out.attention_mask = cut(e.attention_mask);
  return out;
}

template <class V>
void append(V& into, const V& from) {
  into.insert(into.end(), from.begin(), from.end());
}

void append_fields(Encoding& into, const Encoding& other) {
  append(into.ids, other.ids);
  append(into.tokens, other.tokens);
  append(into.offsets, other.offsets);
  append(into.word_ids, other.word_ids);
  append(into.sequence_ids, other.sequence_ids);
  append(into.type_ids, other.type_ids);
  append(into.special_tokens_mask, other.special_tokens_mask);
  append(into.attention_mask, other.attention_mask);
}

}  // namespace

void truncate_encoding(Encoding& e, size_t max_len, size_t stride) {
  const size_t n = e.ids.size();
  if (max_len >= n) return;
  if (max_len == 0) {
    Encoding all = std::move(e);
    e = Encoding();
    e.overflowing.push_back(std::move(all));
    return;
  }
  if (stride >= max_len) {
    throw InputError("truncation: stride (" + std::to_string(stride) + ") must be smaller than the tokens left for " +
                     "the sequence (" + std::to_string(max_len) + ")");
  }
  const size_t step = max_len - stride;
  Encoding head = slice(e, 0, max_len);
  for (size_t start = step; start < n; start += step) {
    size_t stop = std::min(start + max_len, n);
    head.overflowing.push_back(slice(e, start, stop));
    if (stop == n) break;
  }
  e = std::move(head);
}

void truncate_pair(Encoding& first, Encoding* second, size_t max_length, Truncation strategy, size_t stride,
                   bool strict) {
  const size_t total = first.size() + (second ? second->size() : 0);
  if (total <= max_length) return;
  const size_t to_remove = total - max_length;
  if (strategy == Truncation::longest_first) {
    if (second == nullptr) {
      truncate_encoding(first, total - to_remove, stride);
      return;
    }
    size_t n1 = first.size(), n2 = second->size();
    bool swap = n1 > n2;
    if (swap) std::swap(n1, n2);
    if (n1 > max_length) {
      n2 = n1;
    } else {
      n2 = std::max(n1, max_length - n1);
    }
    if (n1 + n2 > max_length) {
      n1 = max_length / 2;
      n2 = n1 + max_length % 2;
    }
    if (swap) std::swap(n1, n2);
    truncate_encoding(first, n1, stride);
    truncate_encoding(*second, n2, stride);
    return;
  }
  Encoding* target = strategy == Truncation::only_first ? &first : second;
  if (target == nullptr) {
    if (strict) throw InputError("truncation only_second needs a pair of sequences");
    return;
  }
  if (target->size() <= to_remove) {
    if (strict) {
      throw InputError("truncation: the sequence to truncate has " + std::to_string(target->size()) +
                       " tokens but " + std::to_string(to_remove) + " must go to fit max_length " +
                       std::to_string(max_length));
    }
    return;
  }
  truncate_encoding(*target, target->size() - to_remove, stride);
}

void merge_into(Encoding& into, const Encoding& other) {
  std::vector<Encoding> overflowing;
  for (const Encoding& mine : into.overflowing) {
    Encoding n = mine;
    merge_into(n, other);
    overflowing.push_back(std::move(n));
    for (const Encoding& theirs : other.overflowing) {
      Encoding m = mine;
      merge_into(m, theirs);
      overflowing.push_back(std::move(m));
    }
  }
  for (const Encoding& theirs : other.overflowing) {
    Encoding n = into;
    n.overflowing.clear();
    merge_into(n, theirs);
    overflowing.push_back(std::move(n));
  }
  append_fields(into, other);
  into.overflowing = std::move(overflowing);
}

Encoding merge_parts(std::vector<Encoding>& parts) {
  if (parts.empty()) return Encoding();
  Encoding out = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) merge_into(out, parts[i]);
  return out;
}

Encoding special_tokens_encoding(const std::vector<int32_t>& ids, const std::vector<std::string>& tokens,
                                 int32_t type_id) {
  Encoding e;
  const size_t n = ids.size();
  e.ids = ids;
  e.tokens = tokens;
  e.tokens.resize(n);
  e.offsets.assign(n, Offset{});
  e.word_ids.assign(n, -1);
  e.sequence_ids.assign(n, -1);
  e.type_ids.assign(n, type_id);
  e.special_tokens_mask.assign(n, 1);
  e.attention_mask.assign(n, 1);
  return e;
}

void set_type_ids(Encoding& e, int32_t type_id) {
  std::fill(e.type_ids.begin(), e.type_ids.end(), type_id);
  for (Encoding& o : e.overflowing) set_type_ids(o, type_id);
}

void set_sequence_id(Encoding& e, int32_t sequence_id) {
  std::fill(e.sequence_ids.begin(), e.sequence_ids.end(), sequence_id);
  for (Encoding& o : e.overflowing) set_sequence_id(o, sequence_id);
}

}  // namespace xfmr::tok
