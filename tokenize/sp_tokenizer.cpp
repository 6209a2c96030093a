// Encoding with the sentencepiece ("slow") tokenizers: added-token splitting
// as PreTrainedTokenizer.tokenize does it, each family's text preparation,
// then the sentencepiece model.
#include "tokenize/sp_tokenizer.hpp"

#include "core/error.hpp"
#include "tokenize/encoding_ops.hpp"
#include "tokenize/unicode.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

const std::string kSpaceMark = "\xE2\x96\x81";  // ▁

// AlbertTokenizer.preprocess_text with alignment: collapse whitespace, ``
// and '' to ", accents removed (NFKD, combining marks dropped), lowercase.
void albert_preprocess(const NormalizedText& in, size_t begin, size_t end, const SentencePieceOptions& o,
                       NormalizedText& out) {
  out.clear();
  const std::string_view s(in.text);
  std::vector<uint32_t> decomposed;
  size_t pos = begin, len = 0;
  bool pending_space = false;
  uint32_t space_start = 0, space_end = 0;
  uint32_t previous = 0;
  while (pos < end) {
    uint32_t cp = decode_utf8(s, pos, len);
    uint32_t start = in.orig_start[pos], stop = in.orig_end[pos];
    size_t here = pos;
    pos += len;
    if (o.remove_space && is_python_space(cp)) {
      if (!pending_space) {
        space_start = start;
        space_end = stop;
      }
      pending_space = !out.text.empty();
      continue;
    }
    if (pending_space) {
      out.append(" ", space_start, space_end);
      pending_space = false;
      previous = ' ';
    }
    if ((cp == '`' || cp == '\'') && previous == cp && !out.text.empty() && here > begin) {
      // A doubled quote becomes one double quote.
      out.text.back() = '"';
      out.orig_end.back() = stop;
      previous = 0;
      continue;
    }
    previous = cp;
    decomposed.clear();
    if (o.keep_accents) {
      decomposed.push_back(cp);
    } else {
      append_decomposition(decomposed, cp, true);
    }
    for (uint32_t c : decomposed) {
      if (!o.keep_accents && combining_class(c) != 0) continue;
      if (o.do_lower_case) {
        uint32_t lowered[3];
        int n = lower_code_points(c, lowered);
        for (int k = 0; k < n; ++k) out.append_code_point(lowered[k], start, stop);
      } else {
        out.append_code_point(c, start, stop);
      }
    }
  }
}

struct Segment {
  size_t begin;
  size_t end;
  int32_t id;  // -1: text
};

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(SentencePieceOptions options,
                                               std::unique_ptr<sentencepiece::SentencePieceProcessor> source,
                                               std::unique_ptr<sentencepiece::SentencePieceProcessor> plain,
                                               std::unique_ptr<sentencepiece::SentencePieceProcessor> target,
                                               std::vector<std::string> marian_vocab)
    : o_(std::move(options)),
      sp_(std::move(source)),
      plain_(std::move(plain)),
      target_(std::move(target)),
      marian_vocab_(std::move(marian_vocab)) {
  if (!marian_vocab_.empty()) {
    marian_ids_.reserve(marian_vocab_.size());
    for (size_t i = 0; i < marian_vocab_.size(); ++i) marian_ids_.set(marian_vocab_[i], static_cast<int32_t>(i));
    marian_unk_ = marian_ids_.get(o_.unk_token);
  }
  if (plain_) unk_token_length_ = plain_->EncodeAsPieces(o_.unk_token).size();
}

void SentencePieceTokenizer::set_added_tokens(std::vector<AddedToken> tokens, std::vector<std::string> all_special,
                                              SpecialTokenIds ids) {
  added_ = std::move(tokens);
  added_plain_ = added_;
  matcher_ = AddedTokenMatcher();
  for (size_t i = 0; i < added_.size(); ++i) {
    AddedToken& plain = added_plain_[i];
    plain.lstrip = plain.rstrip = plain.single_word = false;
    matcher_.add(added_[i].content, i);
    added_by_id_[added_[i].id] = i;
    added_by_content_[added_[i].content] = added_[i].id;
  }
  all_special_tokens_.clear();
  special_id_set_.clear();
  for (const auto& s : all_special) {
    all_special_tokens_.insert(s);
    if (auto id = token_to_id(s)) special_id_set_.insert(*id);
  }
  legacy_added_tokens_.clear();
  for (const auto& t : added_) {
    if (!all_special_tokens_.count(t.content)) legacy_added_tokens_.insert(t.content);
  }
  // Additional special tokens past the model's own vocabulary also decode
  // apart (T5's <extra_id_N>).
  for (const auto& t : added_) {
    if (all_special_tokens_.count(t.content) && t.id >= 0 && static_cast<size_t>(t.id) >= base_vocab_size() &&
        t.content != o_.unk_token) {
      legacy_added_tokens_.insert(t.content);
    }
  }
  ids_ = ids;
}

int32_t SentencePieceTokenizer::piece_id(std::string_view piece, int32_t sp_id) const {
  if (marian_vocab_.empty()) return sp_id;
  int32_t id = marian_ids_.get(piece);
  return id >= 0 ? id : marian_unk_;
}

Encoding SentencePieceTokenizer::encode(std::string_view text, const EncodeOptions& options) const {
  Encoding a = encode_sequence(text, 0);
  return finish(a, nullptr, options);
}

Encoding SentencePieceTokenizer::encode_pair(std::string_view text, std::string_view pair,
                                             const EncodeOptions& options) const {
  Encoding a = encode_sequence(text, 0);
  Encoding b = encode_sequence(pair, 1);
  return finish(a, &b, options);
}

Encoding SentencePieceTokenizer::encode_sequence(std::string_view text, int32_t sequence) const {
  if (!is_valid_utf8(text)) throw InputError("input text is not valid UTF-8");
  NormalizedText doc;
  doc.assign_original(text, 0);
  if (non_legacy() && !text.empty()) {
    // "▁" in the text stands for a space; a space mark is prepended.
    NormalizedText prepared;
    if (o_.add_prefix_space) prepared.append(kSpaceMark, 0, 0);
    for (size_t i = 0; i < doc.size();) {
      if (doc.text.compare(i, kSpaceMark.size(), kSpaceMark) == 0) {
        prepared.append(" ", doc.orig_start[i], doc.orig_end[i]);
        i += kSpaceMark.size();
      } else {
        prepared.append_from(doc, i, i + 1);
        ++i;
      }
    }
    std::swap(doc, prepared);
  }
  // Split on added tokens, then apply their strip options to the neighbours.
  std::vector<AddedMatch> matches;
  matcher_.find(doc.text, added_plain_, matches);
  std::vector<Segment> segments;
  size_t at = 0;
  for (const AddedMatch& m : matches) {
    segments.push_back({at, m.begin, -1});
    segments.push_back({m.begin, m.end, m.id});
    at = m.end;
  }
  segments.push_back({at, doc.size(), -1});
  const std::string_view s(doc.text);
  auto is_space_at = [&](size_t pos) {
    size_t len = 0;
    return is_python_space(decode_utf8(s, pos, len));
  };
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].id < 0) continue;
    const AddedToken& t = added_[added_by_id_.at(segments[i].id)];
    if (t.rstrip && i + 1 < segments.size()) {
      Segment& right = segments[i + 1];
      size_t len = 0;
      while (right.begin < right.end && is_space_at(right.begin)) {
        decode_utf8(s, right.begin, len);
        right.begin += len;
      }
    }
    if (t.lstrip && i > 0) {
      Segment& left = segments[i - 1];
      while (left.end > left.begin) {
        size_t start = left.end - 1;
        while (start > left.begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
        if (!is_space_at(start)) break;
        left.end = start;
      }
    }
  }
  Encoding e;
  int32_t word = 0;
  for (const Segment& seg : segments) {
    if (seg.end <= seg.begin) continue;
    if (seg.id >= 0) {
      e.ids.push_back(seg.id);
      e.tokens.push_back(id_to_token(seg.id));
      e.offsets.push_back({doc.orig_start[seg.begin], doc.orig_end[seg.end - 1]});
      e.word_ids.push_back(word++);
      continue;
    }
    tokenize_chunk(doc, seg.begin, seg.end, e, word);
  }
  if (non_legacy() && e.ids.size() > 1 && e.tokens[0] == kSpaceMark && all_special_tokens_.count(e.tokens[1])) {
    for (auto* v : {&e.word_ids}) v->erase(v->begin());
    e.ids.erase(e.ids.begin());
    e.tokens.erase(e.tokens.begin());
    e.offsets.erase(e.offsets.begin());
  }
  // Offsets so far are bytes of the original text: make them code points.
  std::vector<uint32_t> cp_index;
  code_point_index(text, cp_index);
  for (Offset& o : e.offsets) {
    uint32_t start = cp_index[std::min<size_t>(o.start, text.size())];
    uint32_t end = o.end > o.start ? cp_index[std::min<size_t>(o.end - 1, text.size())] + 1 : start;
    o = {start, end};
  }
  const size_t n = e.ids.size();
  e.sequence_ids.assign(n, sequence);
  e.type_ids.assign(n, sequence);
  e.special_tokens_mask.assign(n, 0);
  e.attention_mask.assign(n, 1);
  return e;
}

void SentencePieceTokenizer::tokenize_chunk(const NormalizedText& doc, size_t begin, size_t end, Encoding& e,
                                            int32_t& word) const {
  NormalizedText prepared;
  const NormalizedText* chunk = &doc;
  size_t chunk_begin = begin, chunk_end = end;
  if (o_.family == "albert") {
    albert_preprocess(doc, begin, end, o_, prepared);
    chunk = &prepared;
    chunk_begin = 0;
    chunk_end = prepared.size();
  }
  std::string_view text = std::string_view(chunk->text).substr(chunk_begin, chunk_end - chunk_begin);
  if (text.empty()) return;
  sentencepiece::ImmutableSentencePieceText result;
  size_t skip = 0, shift = 0;
  std::string input;
  if (non_legacy()) {
    if (text.starts_with(kSpaceMark) || text.starts_with(" ")) {
      input = o_.unk_token;
      input.append(text);
      result = plain_->EncodeAsImmutableProto(input);
      skip = unk_token_length_;
      shift = o_.unk_token.size();
    } else {
      result = plain_->EncodeAsImmutableProto(text);
    }
  } else {
    result = sp_->EncodeAsImmutableProto(text);
  }
  const size_t count = result.pieces_size();
  if (skip > count) skip = 0;
  auto to_original = [&](size_t pos, bool is_end) -> uint32_t {
    size_t at = chunk_begin + pos;
    if (is_end) return at > chunk_begin ? chunk->orig_end[at - 1] : chunk->orig_start[chunk_begin];
    if (at >= chunk_end) return chunk->orig_end[chunk_end - 1];
    return chunk->orig_start[at];
  };
  for (size_t i = skip; i < count; ++i) {
    auto piece = result.pieces(i);
    std::string piece_text = piece.piece();
    int32_t id = piece_id(piece_text, static_cast<int32_t>(piece.id()));
    size_t b = piece.begin() >= shift ? piece.begin() - shift : 0;
    size_t en = piece.end() >= shift ? piece.end() - shift : 0;
    b = std::min(b, text.size());
    en = std::min(std::max(en, b), text.size());
    const uint32_t ob = to_original(b, false);
    const uint32_t oe = en > b ? to_original(en, true) : ob;
    // Albert splits "<digit>," pieces: the comma becomes its own piece.
    if (o_.family == "albert" && piece_text.size() > 1 && piece_text.back() == ',' &&
        std::isdigit(static_cast<unsigned char>(piece_text[piece_text.size() - 2]))) {
      std::string inner = piece_text.substr(0, piece_text.size() - 1);
      for (size_t k = inner.find(kSpaceMark); k != std::string::npos; k = inner.find(kSpaceMark)) {
        inner.erase(k, kSpaceMark.size());
      }
      std::vector<std::string> sub = sp_->EncodeAsPieces(inner);
      if (!piece_text.starts_with(kSpaceMark) && !sub.empty() && sub[0].starts_with(kSpaceMark)) {
        if (sub[0].size() == kSpaceMark.size()) {
          sub.erase(sub.begin());
        } else {
          sub[0].erase(0, kSpaceMark.size());
        }
      }
      // Each sub-piece covers its own characters; the comma is the last byte.
      size_t visible = 0;
      for (const auto& p : sub) visible += p.size() - (p.starts_with(kSpaceMark) ? kSpaceMark.size() : 0);
      size_t cursor = en > b + 1 + visible ? en - 1 - visible : b;
      sub.push_back(",");
      for (size_t k = 0; k < sub.size(); ++k) {
        const std::string& p = sub[k];
        if (p.starts_with(kSpaceMark) || e.ids.empty()) ++word;
        size_t len = p.size() - (p.starts_with(kSpaceMark) ? kSpaceMark.size() : 0);
        size_t from = k + 1 == sub.size() ? (en > b ? en - 1 : b) : cursor;
        size_t to = k + 1 == sub.size() ? en : std::min(cursor + len, en);
        cursor = to;
        uint32_t pb = to_original(from, false);
        e.ids.push_back(piece_id(p, sp_->PieceToId(p)));
        e.tokens.push_back(id_to_token(e.ids.back()));
        e.offsets.push_back({pb, to > from ? to_original(to, true) : pb});
        e.word_ids.push_back(word - 1);
      }
      continue;
    }
    if (piece_text.starts_with(kSpaceMark) || i == skip) ++word;
    e.ids.push_back(id);
    e.tokens.push_back(id_to_token(id));
    e.offsets.push_back({ob, oe});
    e.word_ids.push_back(word - 1);
  }
}

Encoding SentencePieceTokenizer::finish(Encoding& a, Encoding* b, const EncodeOptions& options) const {
  if (options.max_length > 0) {
    size_t added = options.add_special_tokens ? post_->added_tokens(b != nullptr) : 0;
    if (options.max_length < added) {
      throw InputError("max_length " + std::to_string(options.max_length) + " leaves no room for the special tokens");
    }
    truncate_pair(a, b, options.max_length - added, options.truncation, options.stride, false);
    if (!options.return_overflowing) {
      a.overflowing.clear();
      if (b) b->overflowing.clear();
    }
  }
  std::vector<Encoding> parts;
  parts.push_back(std::move(a));
  if (b) parts.push_back(std::move(*b));
  post_->process(parts, options.add_special_tokens);
  return merge_parts(parts);
}

}  // namespace xfmr::tok
