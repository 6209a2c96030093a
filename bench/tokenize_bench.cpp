// Tokenizer throughput: ~10 MB of synthetic English, encoded line by line on
// one thread, for WordPiece, byte-level BPE, Unigram and sentencepiece.
// Usage: xfmr_bench_tokenize [megabytes] [fixtures dir]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "tokenize/hf_config.hpp"
#include "tokenize/legacy.hpp"
#include "tokenize/tokenizer.hpp"

namespace {

namespace fs = std::filesystem;
using xfmr::tok::Tokenizer;

// Whole words of bert-base-uncased's vocabulary, most frequent first (the
// vocabulary is roughly frequency ordered), drawn with a Zipf law so that
// common words repeat and rare ones keep appearing, as in real text.
std::vector<std::string> load_words(const fs::path& vocab_txt) {
  std::string text = xfmr::tok::read_file(vocab_txt);
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string w = text.substr(pos, end - pos);
    pos = end + 1;
    if (w.size() < 2 || !std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
    words.push_back(w);
  }
  return words;
}

std::string synthesize(const std::vector<std::string>& words, size_t bytes) {
  std::mt19937_64 rng(42);
  std::vector<double> weights(words.size());
  for (size_t i = 0; i < words.size(); ++i) weights[i] = 1.0 / static_cast<double>(i + 10);
  std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
  const char* punctuation[] = {",", ",", ";", ":", " -", "'s", "."};
  std::string out;
  out.reserve(bytes + 256);
  while (out.size() < bytes) {
    size_t sentence_words = 6 + rng() % 24;
    for (size_t i = 0; i < sentence_words; ++i) {
      std::string w = words[pick(rng)];
      if (i == 0 || rng() % 23 == 0) w[0] = static_cast<char>(w[0] - 32);
      if (rng() % 41 == 0) w = std::to_string(rng() % 100000);
      out += w;
      if (i + 1 < sentence_words && rng() % 9 == 0) out += punctuation[rng() % 6];
      out += i + 1 < sentence_words ? " " : (rng() % 5 == 0 ? "?" : ".");
    }
    out += rng() % 3 == 0 ? "\n" : " ";
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

double run_once(const Tokenizer& tok, const std::vector<std::string>& lines, size_t& tokens) {
  auto start = std::chrono::steady_clock::now();
  tokens = 0;
  for (const auto& line : lines) tokens += tok.encode(line).ids.size();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const double megabytes = argc > 1 ? std::atof(argv[1]) : 10.0;
  const fs::path fixtures = argc > 2 ? fs::path(argv[2]) : fs::path(XFMR_FIXTURES);
  const fs::path real = fixtures / "real";
  {
    auto start = std::chrono::steady_clock::now();
    auto embedded = Tokenizer::embedded_default();
    std::printf("embedded default (bert-base-uncased) load: %.1f ms\n",
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  const auto words = load_words(real / "google-bert--bert-base-uncased" / "vocab.txt");
  const std::string text = synthesize(words, static_cast<size_t>(megabytes * 1e6));
  const auto lines = lines_of(text);
  std::printf("corpus: %.2f MB, %zu lines, %zu word types\n", text.size() / 1e6, lines.size(), words.size());

  struct Case {
    const char* name;
    std::function<std::unique_ptr<Tokenizer>()> load;
  };
  const std::vector<Case> cases = {
      {"wordpiece (bert-base-uncased, tokenizer.json)", [&] { return Tokenizer::from_folder(real / "google-bert--bert-base-uncased"); }},
      {"byte-level BPE (gpt2, tokenizer.json)", [&] { return Tokenizer::from_folder(real / "openai-community--gpt2"); }},
      {"BPE + byte fallback (mistral v0.3, tokenizer.json)", [&] { return Tokenizer::from_folder(real / "mistralai--Mistral-7B-Instruct-v0.3"); }},
      {"unigram (t5, tokenizer.json)", [&] { return Tokenizer::from_folder(real / "google-t5--t5-base"); }},
      {"sentencepiece library (t5 spiece.model)", [&] { return Tokenizer::from_legacy_files(real / "google-t5--t5-base"); }},
  };
  for (const auto& c : cases) {
    auto load_start = std::chrono::steady_clock::now();
    auto tok = c.load();
    double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
    std::vector<double> rates;
    size_t tokens = 0;
    for (int run = 0; run < 3; ++run) rates.push_back(text.size() / 1e6 / run_once(*tok, lines, tokens));
    std::sort(rates.begin(), rates.end());
    std::printf("%-52s load %6.1f ms   %6.2f MB/s (median of 3: %.2f %.2f %.2f)   %.2f M tokens\n", c.name, load_ms,
                rates[1], rates[0], rates[1], rates[2], tokens / 1e6);
  }
  return 0;
}
