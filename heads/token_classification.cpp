#include "heads/token_classification.hpp"

#include <algorithm>
#include <cmath>

#include "heads/code_points.hpp"
#include "heads/probabilities.hpp"

namespace xfmr::heads {

namespace {

// A token with its label probabilities, before aggregation.
struct PreEntity {
  std::string word;
  std::vector<float> scores;
  uint32_t start, end;
  int32_t index;
  bool is_subword;
};

// A labelled unit (token or word) before grouping.
struct Labelled {
  std::string label;
  float score;
  int32_t index;
  std::string word;
  uint32_t start, end;
};

size_t argmax(std::span<const float> v) { return std::max_element(v.begin(), v.end()) - v.begin(); }

const std::string& label_of(const std::vector<std::string>& labels, size_t id) {
  static const std::string unknown = "LABEL";
  return id < labels.size() ? labels[id] : unknown;
}

std::vector<PreEntity> gather_pre_entities(const CodePointIndex& text, const TokenChunk& chunk,
                                           const tok::Tokenizer& tokenizer, size_t num_labels) {
  const tok::Encoding& enc = *chunk.encoding;
  const bool word_aware = tokenizer.continuing_subword_prefix().has_value();
  const auto unk = tokenizer.special_ids().unk;
  std::vector<PreEntity> out;
  for (size_t i = 0; i < enc.size(); ++i) {
    if (enc.special_tokens_mask[i]) continue;
    PreEntity e;
    e.word = tokenizer.id_to_token(enc.ids[i]);
    e.scores = softmax(chunk.logits.subspan(i * num_labels, num_labels));
    e.start = enc.offsets[i].start;
    e.end = enc.offsets[i].end;
    e.index = static_cast<int32_t>(i);
    std::string_view word_ref = text.slice(e.start, e.end);
    if (word_aware) {
      e.is_subword = count_code_points(e.word) != count_code_points(word_ref);
    } else {
      // The pipeline's heuristic for tokenizers without word boundaries.
      e.is_subword = e.start > 0 && text.slice(e.start - 1, e.start + 1).find(' ') == std::string_view::npos;
    }
    if (unk && enc.ids[i] == *unk) {
      e.word = std::string(word_ref);
      e.is_subword = false;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Labelled aggregate_word(std::span<const PreEntity> tokens, Aggregation aggregation, const tok::Tokenizer& tokenizer,
                        const std::vector<std::string>& labels) {
  std::vector<std::string> pieces;
  for (const auto& t : tokens) pieces.push_back(t.word);
  Labelled word{"", 0, -1, tokenizer.tokens_to_string(pieces), tokens.front().start, tokens.back().end};
  if (aggregation == Aggregation::first) {
    size_t id = argmax(tokens.front().scores);
    word.label = label_of(labels, id);
    word.score = tokens.front().scores[id];
  } else if (aggregation == Aggregation::max) {
    const PreEntity* best = &tokens.front();
    float best_max = *std::max_element(best->scores.begin(), best->scores.end());
    for (const auto& t : tokens) {
      float m = *std::max_element(t.scores.begin(), t.scores.end());
      if (m > best_max) best = &t, best_max = m;
    }
    size_t id = argmax(best->scores);
    word.label = label_of(labels, id);
    word.score = best->scores[id];
  } else {  // average
    std::vector<float> mean(tokens.front().scores.size(), 0.0f);
    for (const auto& t : tokens)
      for (size_t k = 0; k < mean.size(); ++k) mean[k] += t.scores[k];
    for (float& m : mean) m /= static_cast<float>(tokens.size());
    size_t id = argmax(mean);
    word.label = label_of(labels, id);
    word.score = mean[id];
  }
  return word;
}

// "B-PER" → (B, PER); "I-PER" → (I, PER); anything else continues: (I, label).
std::pair<char, std::string_view> split_tag(std::string_view label) {
  if (label.size() >= 2 && (label[0] == 'B' || label[0] == 'I') && label[1] == '-') return {label[0], label.substr(2)};
  return {'I', label};
}

Entity group_of(std::span<const Labelled> members, const tok::Tokenizer& tokenizer) {
  Entity group;
  std::string_view first = members.front().label;
  auto dash = first.rfind('-');
  group.label = std::string(dash == std::string_view::npos ? first : first.substr(dash + 1));
  float sum = 0;
  std::vector<std::string> words;
  for (const auto& m : members) {
    sum += m.score;
    words.push_back(m.word);
  }
  group.score = sum / static_cast<float>(members.size());
  group.word = tokenizer.tokens_to_string(words);
  group.start = members.front().start;
  group.end = members.back().end;
  return group;
}

std::vector<Entity> group_entities(const std::vector<Labelled>& items, const tok::Tokenizer& tokenizer) {
  std::vector<Entity> groups;
  size_t begin = 0;
  for (size_t i = 1; i <= items.size(); ++i) {
    bool extend = false;
    if (i < items.size()) {
      auto [bi, tag] = split_tag(items[i].label);
      auto [last_bi, last_tag] = split_tag(items[i - 1].label);
      extend = tag == last_tag && bi != 'B';
    }
    if (!extend) {
      if (i > begin) groups.push_back(group_of(std::span(items).subspan(begin, i - begin), tokenizer));
      begin = i;
    }
  }
  return groups;
}

// Chunks overlap: of entities that start inside another, keep the longer (then the surer) one.
std::vector<Entity> merge_overlapping(std::vector<Entity> entities) {
  if (entities.empty()) return entities;
  std::stable_sort(entities.begin(), entities.end(), [](const Entity& a, const Entity& b) { return a.start < b.start; });
  std::vector<Entity> merged;
  Entity previous = entities.front();
  for (const auto& e : entities) {
    if (previous.start <= e.start && e.start < previous.end) {
      uint32_t length = e.end - e.start, previous_length = previous.end - previous.start;
      if (length > previous_length || (length == previous_length && e.score > previous.score)) previous = e;
    } else {
      merged.push_back(previous);
      previous = e;
    }
  }
  merged.push_back(previous);
  return merged;
}

}  // namespace

std::optional<Aggregation> parse_aggregation(std::string_view name) {
  if (name == "none") return Aggregation::none;
  if (name == "simple") return Aggregation::simple;
  if (name == "first") return Aggregation::first;
  if (name == "average") return Aggregation::average;
  if (name == "max") return Aggregation::max;
  return std::nullopt;
}

std::vector<Entity> extract_entities(std::string_view text, std::span<const TokenChunk> chunks,
                                     const tok::Tokenizer& tokenizer, const std::vector<std::string>& labels,
                                     Aggregation aggregation, const std::vector<std::string>& ignore_labels) {
  const CodePointIndex index(text);
  const size_t num_labels = labels.size();
  std::vector<Entity> all;
  for (const auto& chunk : chunks) {
    std::vector<PreEntity> pre = gather_pre_entities(index, chunk, tokenizer, num_labels);
    std::vector<Labelled> items;
    if (aggregation == Aggregation::none || aggregation == Aggregation::simple) {
      for (auto& p : pre) {
        size_t id = argmax(p.scores);
        items.push_back({label_of(labels, id), p.scores[id], p.index, std::move(p.word), p.start, p.end});
      }
    } else {
      size_t begin = 0;
      for (size_t i = 1; i <= pre.size(); ++i) {
        if (i < pre.size() && pre[i].is_subword) continue;
        if (i > begin) items.push_back(aggregate_word(std::span(pre).subspan(begin, i - begin), aggregation, tokenizer, labels));
        begin = i;
      }
    }
    std::vector<Entity> entities;
    if (aggregation == Aggregation::none) {
      for (auto& it : items) entities.push_back({std::move(it.label), it.score, it.index, std::move(it.word), it.start, it.end});
    } else {
      entities = group_entities(items, tokenizer);
    }
    for (auto& e : entities)
      if (std::find(ignore_labels.begin(), ignore_labels.end(), e.label) == ignore_labels.end()) all.push_back(std::move(e));
  }
  if (chunks.size() > 1) all = merge_overlapping(std::move(all));
  return all;
}

}  // namespace xfmr::heads
