#include "tokenize/pipeline.hpp"

#include "core/error.hpp"
#include "tokenize/decoders.hpp"
#include "tokenize/encoding_ops.hpp"
#include "tokenize/utf8.hpp"

namespace xfmr::tok {
namespace {

class PipelineTokenizer : public Tokenizer {
 public:
  explicit PipelineTokenizer(PipelineParts parts) : p_(std::move(parts)) {
    if (!p_.model) throw ModelError("tokenizer has no model");
    if (!p_.post_processor) throw ModelError("tokenizer has no post-processor");
    size_t extra = 0;
    for (const auto& t : p_.added.tokens()) {
      if (t.id >= 0 && static_cast<size_t>(t.id) >= p_.model->vocab_size()) ++extra;
    }
    vocab_size_ = p_.model->vocab_size() + extra;
  }

  Encoding encode(std::string_view text, const EncodeOptions& options) const override {
    Encoding a = encode_sequence(text, 0);
    return finish(a, nullptr, options);
  }

  Encoding encode_pair(std::string_view text, std::string_view pair, const EncodeOptions& options) const override {
    Encoding a = encode_sequence(text, 0);
    Encoding b = encode_sequence(pair, 1);
    return finish(a, &b, options);
  }

  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens,
                     std::optional<bool> clean_up) const override {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (int32_t id : ids) {
      if (skip_special_tokens && p_.added.is_special(id)) continue;
      std::string_view t = token_string(id);
      if (t.empty() && p_.model->id_to_token(id).empty() && !p_.added.find_id(id)) continue;
      tokens.emplace_back(t);
    }
    std::string text = join(tokens, p_.decoder.get());
    if (clean_up.value_or(p_.clean_up_default)) text = clean_up_tokenization(std::move(text));
    return text;
  }

  std::string tokens_to_string(std::span<const std::string> tokens) const override {
    std::vector<std::string> copy(tokens.begin(), tokens.end());
    return join(copy, p_.tokens_decoder ? p_.tokens_decoder.get() : p_.decoder.get());
  }

  std::optional<int32_t> token_to_id(std::string_view token) const override {
    if (const AddedToken* t = p_.added.find_content(token)) return t->id;
    int32_t id = p_.model->token_to_id(token);
    if (id < 0) return std::nullopt;
    return id;
  }
  std::string id_to_token(int32_t id) const override { return std::string(token_string(id)); }
  size_t vocab_size() const override { return vocab_size_; }
  const SpecialTokenIds& special_ids() const override { return p_.special_ids; }
  bool is_special(int32_t id) const override { return p_.added.is_special(id); }
  std::string kind() const override { return p_.kind; }
  std::optional<std::string> continuing_subword_prefix() const override {
    std::string prefix = p_.model->continuing_subword_prefix();
    if (prefix.empty()) return std::nullopt;
    return prefix;
  }
  size_t model_max_length() const override { return p_.model_max_length; }
  PaddingSide padding_side() const override { return p_.padding_side; }

 private:
  std::string_view token_string(int32_t id) const {
    if (const AddedToken* t = p_.added.find_id(id)) return t->content;
    return p_.model->id_to_token(id);
  }

  std::string join(std::vector<std::string>& tokens, const Decoder* decoder) const {
    std::string text;
    if (decoder) {
      decoder->decode_chain(tokens);
      for (const auto& t : tokens) text += t;
    } else {
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (i) text += ' ';
        text += tokens[i];
      }
    }
    return text;
  }

  // Splits `text` on added tokens, normalizes and pre-tokenizes the rest.
  void split_and_normalize(std::string_view text, Pieces& pieces) const {
    thread_local NormalizedText segment;
    thread_local std::vector<AddedMatch> raw_matches, normalized_matches;
    pieces.clear();
    auto add_span = [&](const NormalizedText& from, size_t begin, size_t end, int32_t id) {
      if (end <= begin) return;
      uint32_t at = static_cast<uint32_t>(pieces.buffer.size());
      pieces.buffer.append_from(from, begin, end);
      pieces.spans.push_back({at, static_cast<uint32_t>(pieces.buffer.size()), id});
    };
    auto add_text = [&](size_t begin, size_t end) {
      if (end <= begin) return;
      segment.assign_original(text.substr(begin, end - begin), static_cast<uint32_t>(begin));
      if (p_.normalizer) p_.normalizer->normalize(segment);
      normalized_matches.clear();
      p_.added.normalized_matcher().find(segment.text, p_.added.tokens(), normalized_matches);
      size_t at = 0;
      for (const AddedMatch& m : normalized_matches) {
        add_span(segment, at, m.begin, -1);
        add_span(segment, m.begin, m.end, m.id);
        at = m.end;
      }
      add_span(segment, at, segment.size(), -1);
    };
    raw_matches.clear();
    p_.added.raw_matcher().find(text, p_.added.tokens(), raw_matches);
    size_t at = 0;
    for (const AddedMatch& m : raw_matches) {
      add_text(at, m.begin);
      uint32_t begin = static_cast<uint32_t>(pieces.buffer.size());
      pieces.buffer.append(text.substr(m.begin, m.end - m.begin), m.begin, m.end);
      pieces.spans.push_back({begin, static_cast<uint32_t>(pieces.buffer.size()), m.id});
      at = m.end;
    }
    add_text(at, text.size());
    if (p_.pre_tokenizer) p_.pre_tokenizer->pre_tokenize(pieces);
  }

  Encoding encode_sequence(std::string_view text, int32_t sequence) const {
    if (!is_valid_utf8(text)) throw InputError("input text is not valid UTF-8");
    thread_local Pieces pieces;
    thread_local std::vector<ModelToken> model_tokens;
    thread_local std::vector<uint32_t> cp_index;
    split_and_normalize(text, pieces);
    code_point_index(text, cp_index);
    Encoding e;
    const NormalizedText& buffer = pieces.buffer;
    int32_t word = 0;
    auto push = [&](int32_t id, uint32_t start, uint32_t end) {
      uint32_t cp_start = cp_index[start];
      uint32_t cp_end = end > start ? cp_index[end - 1] + 1 : cp_start;
      e.ids.push_back(id);
      e.tokens.emplace_back(token_string(id));
      e.offsets.push_back({cp_start, cp_end});
      e.word_ids.push_back(word);
    };
    for (const Span& span : pieces.spans) {
      if (span.end <= span.begin) continue;
      if (span.added_id >= 0) {
        push(span.added_id, buffer.orig_start[span.begin], buffer.orig_end[span.end - 1]);
      } else {
        model_tokens.clear();
        p_.model->tokenize(pieces.text(span), model_tokens);
        for (const ModelToken& t : model_tokens) {
          push(t.id, buffer.orig_start[span.begin + t.begin], buffer.orig_end[span.begin + t.end - 1]);
        }
      }
      ++word;
    }
    const size_t n = e.ids.size();
    e.sequence_ids.assign(n, sequence);
    e.type_ids.assign(n, sequence);
    e.special_tokens_mask.assign(n, 0);
    e.attention_mask.assign(n, 1);
    return e;
  }

  Encoding finish(Encoding& a, Encoding* b, const EncodeOptions& options) const {
    if (options.max_length > 0) {
      size_t added = options.add_special_tokens ? p_.post_processor->added_tokens(b != nullptr) : 0;
      if (options.max_length < added) {
        throw InputError("max_length " + std::to_string(options.max_length) + " leaves no room for the " +
                         std::to_string(added) + " special tokens");
      }
      truncate_pair(a, b, options.max_length - added, options.truncation, options.stride, p_.strict_truncation);
      if (!options.return_overflowing) {
        a.overflowing.clear();
        if (b) b->overflowing.clear();
      }
    }
    std::vector<Encoding> parts;
    parts.push_back(std::move(a));
    if (b) parts.push_back(std::move(*b));
    p_.post_processor->process(parts, options.add_special_tokens);
    return merge_parts(parts);
  }

  PipelineParts p_;
  size_t vocab_size_ = 0;
};

}  // namespace

std::unique_ptr<Tokenizer> make_pipeline_tokenizer(PipelineParts parts) {
  return std::make_unique<PipelineTokenizer>(std::move(parts));
}

}  // namespace xfmr::tok
