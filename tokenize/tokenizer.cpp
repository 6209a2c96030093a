// Entry points: which tokenizer a folder needs, the embedded default, padding.
#include "tokenize/tokenizer.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "tokenize/hf_config.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/pipeline.hpp"

extern "C" {
extern const char xfmr_default_tokenizer_json[];
extern const char xfmr_default_tokenizer_json_end[];
extern const char xfmr_default_tokenizer_config_json[];
extern const char xfmr_default_tokenizer_config_json_end[];
extern const char xfmr_default_config_json[];
extern const char xfmr_default_config_json_end[];
}

namespace xfmr::tok {
namespace {

namespace fs = std::filesystem;

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

void require_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ModelError("model folder not found: " + dir.string());
}

template <class V, class T>
void pad_vector(V& v, size_t count, const T& value, PaddingSide side) {
  if (side == PaddingSide::right) {
    v.insert(v.end(), count, value);
  } else {
    v.insert(v.begin(), count, value);
  }
}

void pad_one(Encoding& e, size_t target, int32_t pad_id, PaddingSide side) {
  if (e.ids.size() < target) {
    const size_t n = target - e.ids.size();
    pad_vector(e.ids, n, pad_id, side);
    pad_vector(e.tokens, n, std::string(), side);
    pad_vector(e.offsets, n, Offset{}, side);
    pad_vector(e.word_ids, n, int32_t{-1}, side);
    pad_vector(e.sequence_ids, n, int32_t{-1}, side);
    pad_vector(e.type_ids, n, int32_t{0}, side);
    pad_vector(e.special_tokens_mask, n, uint8_t{1}, side);
    pad_vector(e.attention_mask, n, uint8_t{0}, side);
  }
  for (Encoding& o : e.overflowing) pad_one(o, target, pad_id, side);
}

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::from_folder(const fs::path& dir) {
  require_directory(dir);
  if (is_file(dir / "tokenizer.json")) {
    TokenizerConfig config = read_tokenizer_config(dir);
    try {
      return build_from_tokenizer_json(read_file(dir / "tokenizer.json"), config);
    } catch (const ModelError& e) {
      throw ModelError((dir / "tokenizer.json").string() + ": " + e.what());
    }
  }
  return load_legacy(dir);
}

std::unique_ptr<Tokenizer> Tokenizer::from_legacy_files(const fs::path& dir) {
  require_directory(dir);
  return load_legacy(dir);
}

std::unique_ptr<Tokenizer> Tokenizer::embedded_default() {
  auto text = [](const char* begin, const char* end) { return std::string_view(begin, static_cast<size_t>(end - begin)); };
  TokenizerConfig config =
      parse_tokenizer_config(text(xfmr_default_tokenizer_config_json, xfmr_default_tokenizer_config_json_end), "", "",
                             text(xfmr_default_config_json, xfmr_default_config_json_end));
  return build_from_tokenizer_json(text(xfmr_default_tokenizer_json, xfmr_default_tokenizer_json_end), config);
}

std::unique_ptr<Tokenizer> load_legacy(const fs::path& dir, const std::string& tokenizer_class) {
  require_directory(dir);
  TokenizerConfig config = read_tokenizer_config(dir);
  if (!tokenizer_class.empty()) {
    config.tokenizer_class = tokenizer_class;
    const std::string fast = "Fast";
    if (config.tokenizer_class.ends_with(fast)) config.tokenizer_class.resize(config.tokenizer_class.size() - fast.size());
  }
  std::string family = tokenizer_family(config);
  if (family.empty()) {
    if (is_file(dir / "vocab.txt")) {
      family = "bert";
    } else if (is_file(dir / "source.spm")) {
      family = "marian";
    } else if (is_file(dir / "vocab.json") && is_file(dir / "merges.txt")) {
      family = "gpt2";
    }
  }
  try {
    if (family == "bert") return load_wordpiece_legacy(dir, config);
    if (family == "gpt2" || family == "roberta" || family == "bart") return load_bpe_legacy(dir, config, family);
    if (family == "t5" || family == "albert" || family == "llama" || family == "marian" || family.empty()) {
      if (family.empty() && !is_file(dir / "spiece.model") && !is_file(dir / "tokenizer.model")) {
        throw ModelError("no tokenizer files (tokenizer.json, vocab.txt, vocab.json + merges.txt, spiece.model, "
                         "tokenizer.model) in " + dir.string());
      }
      return load_sentencepiece_legacy(dir, config, family);
    }
  } catch (const ModelError& e) {
    throw;
  }
  throw ModelError("unsupported tokenizer '" + (config.tokenizer_class.empty() ? config.model_type : config.tokenizer_class) +
                   "' in " + dir.string());
}

void pad(std::vector<Encoding>& batch, int32_t pad_id, PaddingSide side, size_t length) {
  size_t target = length;
  for (const Encoding& e : batch) {
    target = std::max(target, e.ids.size());
    for (const Encoding& o : e.overflowing) target = std::max(target, o.ids.size());
  }
  for (Encoding& e : batch) pad_one(e, target, pad_id, side);
}

}  // namespace xfmr::tok
