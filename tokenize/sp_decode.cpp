// Decoding and vocabulary of the sentencepiece tokenizers, as transformers'
// slow classes do it (_decode and each class's convert_tokens_to_string).
#include "tokenize/decoders.hpp"
#include "tokenize/sp_tokenizer.hpp"

namespace xfmr::tok {
namespace {

const std::string kSpaceMark = "\xE2\x96\x81";

void strip_python(std::string& s) {
  auto space = [](unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F); };
  size_t b = 0, e = s.size();
  while (b < e && space(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && space(static_cast<unsigned char>(s[e - 1]))) --e;
  s = s.substr(b, e - b);
}

}  // namespace

size_t SentencePieceTokenizer::base_vocab_size() const {
  return marian_vocab_.empty() ? static_cast<size_t>(sp_->GetPieceSize()) : marian_vocab_.size();
}

size_t SentencePieceTokenizer::vocab_size() const {
  size_t n = base_vocab_size();
  for (const auto& t : added_) {
    if (t.id >= 0 && static_cast<size_t>(t.id) >= base_vocab_size()) ++n;
  }
  return n;
}

std::string SentencePieceTokenizer::kind() const { return o_.family == "marian" ? "marian" : "sentencepiece"; }

std::optional<int32_t> SentencePieceTokenizer::token_to_id(std::string_view token) const {
  auto it = added_by_content_.find(std::string(token));
  if (it != added_by_content_.end()) return it->second;
  if (!marian_vocab_.empty()) {
    int32_t id = marian_ids_.get(token);
    if (id < 0) return std::nullopt;
    return id;
  }
  int id = sp_->PieceToId(std::string(token));
  if (id < 0 || sp_->IdToPiece(id) != token) return std::nullopt;
  return id;
}

std::string SentencePieceTokenizer::id_to_token(int32_t id) const {
  auto it = added_by_id_.find(id);
  if (it != added_by_id_.end()) return added_[it->second].content;
  if (!marian_vocab_.empty()) {
    if (id >= 0 && static_cast<size_t>(id) < marian_vocab_.size()) return marian_vocab_[id];
    return o_.unk_token;
  }
  if (id >= 0 && id < sp_->GetPieceSize()) return sp_->IdToPiece(id);
  return {};
}

std::string SentencePieceTokenizer::sp_decode(const std::vector<std::string>& pieces) const {
  std::vector<std::string> nonempty;
  nonempty.reserve(pieces.size());
  for (const auto& p : pieces) {
    if (!p.empty()) nonempty.push_back(p);
  }
  if (nonempty.empty()) return {};
  const auto& model = (o_.family == "marian" && target_) ? *target_ : (non_legacy() && plain_ ? *plain_ : *sp_);
  return model.DecodePieces(nonempty);
}

std::string SentencePieceTokenizer::convert_tokens(std::vector<std::string> tokens) const {
  std::string out;
  std::vector<std::string> current;
  if (o_.family == "marian") {
    for (auto& t : tokens) {
      if (all_special_tokens_.count(t)) {
        out += sp_decode(current) + t + " ";
        current.clear();
      } else {
        current.push_back(std::move(t));
      }
    }
    out += sp_decode(current);
    std::string spaced;
    spaced.reserve(out.size());
    for (size_t i = 0; i < out.size();) {
      if (out.compare(i, kSpaceMark.size(), kSpaceMark) == 0) {
        spaced += ' ';
        i += kSpaceMark.size();
      } else {
        spaced += out[i++];
      }
    }
    out.swap(spaced);
    strip_python(out);
    return out;
  }
  if (o_.family == "llama") {
    if (!tokens.empty() && tokens[0].starts_with(kSpaceMark) && o_.add_prefix_space) tokens[0].erase(0, kSpaceMark.size());
    bool previous_special = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
      std::string& t = tokens[i];
      if (all_special_tokens_.count(t)) {
        if (!previous_special && i != 0 && o_.legacy) out += " ";
        out += sp_decode(current) + t;
        previous_special = true;
        current.clear();
      } else {
        if (previous_special && i == 1 && o_.add_prefix_space && !t.starts_with(kSpaceMark)) out += " ";
        current.push_back(std::move(t));
        previous_special = false;
      }
    }
    out += sp_decode(current);
    return out;
  }
  // T5 and Albert.
  bool previous_special = false;
  for (auto& t : tokens) {
    if (all_special_tokens_.count(t)) {
      if (!previous_special) out += " ";
      out += sp_decode(current) + t;
      previous_special = true;
      current.clear();
    } else {
      current.push_back(std::move(t));
      previous_special = false;
    }
  }
  out += sp_decode(current);
  strip_python(out);
  return out;
}

std::string SentencePieceTokenizer::tokens_to_string(std::span<const std::string> tokens) const {
  return convert_tokens(std::vector<std::string>(tokens.begin(), tokens.end()));
}

std::string SentencePieceTokenizer::decode(std::span<const int32_t> ids, bool skip_special_tokens,
                                           std::optional<bool> clean_up) const {
  std::vector<std::string> parts;
  std::vector<std::string> current;
  for (int32_t id : ids) {
    if (skip_special_tokens && special_id_set_.count(id)) continue;
    std::string token = id_to_token(id);
    if (legacy_added_tokens_.count(token)) {
      if (!current.empty()) {
        std::string s = convert_tokens(std::move(current));
        if (!s.empty()) parts.push_back(std::move(s));
        current.clear();
      }
      parts.push_back(std::move(token));
    } else {
      current.push_back(std::move(token));
    }
  }
  if (!current.empty()) parts.push_back(convert_tokens(std::move(current)));
  std::string text;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i && o_.spaces_between_special_tokens) text += ' ';
    text += parts[i];
  }
  if (clean_up.value_or(o_.clean_up)) text = clean_up_tokenization(std::move(text));
  return text;
}

}  // namespace xfmr::tok
