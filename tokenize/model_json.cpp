// tokenizer.json "model" objects -> models.
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "tokenize/models.hpp"
#include "tokenize/string_map.hpp"

namespace xfmr::tok {
namespace {

using json = nlohmann::json;

std::string string_or_empty(const json& spec, const char* key) {
  auto it = spec.find(key);
  if (it == spec.end() || it->is_null()) return {};
  return it->get<std::string>();
}

std::vector<std::string> vocab_by_id(const json& vocab) {
  std::vector<std::string> tokens;
  for (const auto& [token, id] : vocab.items()) {
    int64_t i = id.get<int64_t>();
    if (i < 0 || i > 50'000'000) throw ModelError("tokenizer.json: vocabulary id out of range for '" + token + "'");
    if (static_cast<size_t>(i) >= tokens.size()) tokens.resize(static_cast<size_t>(i) + 1);
    tokens[static_cast<size_t>(i)] = token;
  }
  return tokens;
}

// Whole words looked up as they are.
class WordLevel : public Model {
 public:
  WordLevel(std::vector<std::string> tokens, const std::string& unk) : tokens_(std::move(tokens)) {
    ids_.reserve(tokens_.size());
    for (size_t i = 0; i < tokens_.size(); ++i) ids_.set(tokens_[i], static_cast<int32_t>(i));
    unk_id_ = ids_.get(unk);
  }
  void tokenize(std::string_view word, std::vector<ModelToken>& out) const override {
    int32_t id = ids_.get(word);
    if (id < 0) id = unk_id_;
    if (id < 0) throw InputError("WordLevel model: no token for '" + std::string(word) + "' and no unknown token");
    out.push_back({id, 0, static_cast<uint32_t>(word.size())});
  }
  int32_t token_to_id(std::string_view token) const override { return ids_.get(token); }
  std::string_view id_to_token(int32_t id) const override {
    return id >= 0 && static_cast<size_t>(id) < tokens_.size() ? std::string_view(tokens_[id]) : std::string_view();
  }
  size_t vocab_size() const override { return tokens_.size(); }
  std::string kind() const override { return "wordlevel"; }

 private:
  std::vector<std::string> tokens_;
  StringIdMap ids_;
  int32_t unk_id_ = -1;
};

std::unique_ptr<Model> make_bpe_from_json(const json& spec) {
  std::vector<std::pair<std::string, int32_t>> vocab;
  const json& v = spec.at("vocab");
  vocab.reserve(v.size());
  for (const auto& [token, id] : v.items()) vocab.emplace_back(token, id.get<int32_t>());
  std::vector<std::pair<std::string, std::string>> merges;
  const json& m = spec.at("merges");
  merges.reserve(m.size());
  for (const auto& merge : m) {
    if (merge.is_string()) {
      const std::string& s = merge.get_ref<const std::string&>();
      size_t space = s.find(' ', 1);
      if (space == std::string::npos) throw ModelError("tokenizer.json: bad BPE merge '" + s + "'");
      merges.emplace_back(s.substr(0, space), s.substr(space + 1));
    } else if (merge.is_array() && merge.size() == 2) {
      merges.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
    } else {
      throw ModelError("tokenizer.json: bad BPE merge " + merge.dump());
    }
  }
  BpeOptions o;
  o.unk_token = string_or_empty(spec, "unk_token");
  o.continuing_subword_prefix = string_or_empty(spec, "continuing_subword_prefix");
  o.end_of_word_suffix = string_or_empty(spec, "end_of_word_suffix");
  o.fuse_unk = spec.value("fuse_unk", false);
  o.byte_fallback = spec.value("byte_fallback", false);
  o.ignore_merges = spec.value("ignore_merges", false);
  return make_bpe(std::move(vocab), merges, o);
}

std::unique_ptr<Model> make_unigram_from_json(const json& spec) {
  std::vector<std::pair<std::string, double>> vocab;
  const json& v = spec.at("vocab");
  vocab.reserve(v.size());
  for (const auto& entry : v) vocab.emplace_back(entry.at(0).get<std::string>(), entry.at(1).get<double>());
  const auto it = spec.find("unk_id");
  int32_t unk_id = (it == spec.end() || it->is_null()) ? -1 : it->get<int32_t>();
  return make_unigram(std::move(vocab), unk_id, spec.value("byte_fallback", false));
}

std::string infer_type(const json& spec) {
  if (spec.contains("type")) return spec["type"].get<std::string>();
  if (spec.contains("merges")) return "BPE";
  const auto v = spec.find("vocab");
  if (v != spec.end() && v->is_array()) return "Unigram";
  if (spec.contains("max_input_chars_per_word") || spec.contains("continuing_subword_prefix")) return "WordPiece";
  if (v != spec.end() && v->is_object()) return "WordLevel";
  throw ModelError("tokenizer.json: cannot tell the model type from its keys");
}

}  // namespace

std::unique_ptr<Model> make_model(const json& spec) {
  try {
    const std::string type = infer_type(spec);
    if (type == "BPE") return make_bpe_from_json(spec);
    if (type == "Unigram") return make_unigram_from_json(spec);
    if (type == "WordPiece") {
      WordPieceOptions o;
      o.unk_token = spec.value("unk_token", std::string("[UNK]"));
      o.continuing_subword_prefix = spec.value("continuing_subword_prefix", std::string("##"));
      o.max_input_chars_per_word = spec.value("max_input_chars_per_word", size_t{100});
      return make_wordpiece(vocab_by_id(spec.at("vocab")), o);
    }
    if (type == "WordLevel") {
      return std::make_unique<WordLevel>(vocab_by_id(spec.at("vocab")), string_or_empty(spec, "unk_token"));
    }
    throw ModelError("tokenizer.json: unsupported model type '" + type + "'");
  } catch (const nlohmann::json::exception& e) {
    throw ModelError(std::string("tokenizer.json: bad \"model\": ") + e.what());
  }
}

}  // namespace xfmr::tok
