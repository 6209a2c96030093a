// Pre-tokenizers that rewrite text as well as splitting it: ByteLevel (bytes
// to printable characters) and Metaspace (spaces to a meta character).
#include "tokenize/byte_level.hpp"
#include "tokenize/pre_tokenizer_util.hpp"
#include "tokenize/pre_tokenizers.hpp"
#include "tokenize/regex_split.hpp"

namespace xfmr::tok {
namespace {

// Swaps in a rebuilt buffer and span list.
struct Rebuild {
  NormalizedText& buffer;
  std::vector<Span>& spans;
  void commit(Pieces& pieces) {
    std::swap(pieces.buffer, buffer);
    pieces.spans.swap(spans);
  }
};

class ByteLevelPreTokenizer : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space), use_regex_(use_regex) {}

  void pre_tokenize(Pieces& pieces) const override {
    if (add_prefix_space_) prepend_spaces(pieces);
    if (use_regex_) {
      split_spans(pieces, [](std::string_view text, Ranges& out) {
        thread_local std::vector<MatchRange> matches;
        matches.clear();
        gpt2_matcher().find(text, matches);
        for (const auto& m : matches) out.emplace_back(m.begin, m.end);
      });
    }
    map_bytes(pieces);
  }

 private:
  static void prepend_spaces(Pieces& pieces) {
    thread_local NormalizedText buffer;
    thread_local std::vector<Span> spans;
    buffer.clear();
    spans.clear();
    for (const Span& s : pieces.spans) {
      uint32_t begin = static_cast<uint32_t>(buffer.size());
      if (s.added_id < 0 && pieces.buffer.text[s.begin] != ' ') {
        buffer.append(" ", pieces.buffer.orig_start[s.begin], pieces.buffer.orig_end[s.begin]);
      }
      buffer.append_from(pieces.buffer, s.begin, s.end);
      spans.push_back({begin, static_cast<uint32_t>(buffer.size()), s.added_id});
    }
    Rebuild{buffer, spans}.commit(pieces);
  }

  static void map_bytes(Pieces& pieces) {
    thread_local NormalizedText buffer;
    thread_local std::vector<Span> spans;
    buffer.clear();
    spans.clear();
    const NormalizedText& in = pieces.buffer;
    for (const Span& s : pieces.spans) {
      uint32_t begin = static_cast<uint32_t>(buffer.size());
      if (s.added_id >= 0) {
        buffer.append_from(in, s.begin, s.end);
      } else {
        for (uint32_t i = s.begin; i < s.end; ++i) {
          buffer.append(byte_level_char(static_cast<uint8_t>(in.text[i])), in.orig_start[i], in.orig_end[i]);
        }
      }
      spans.push_back({begin, static_cast<uint32_t>(buffer.size()), s.added_id});
    }
    Rebuild{buffer, spans}.commit(pieces);
  }

  bool add_prefix_space_;
  bool use_regex_;
};

class MetaspacePreTokenizer : public PreTokenizer {
 public:
  MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}

  void pre_tokenize(Pieces& pieces) const override {
    thread_local NormalizedText buffer;
    thread_local std::vector<Span> spans;
    buffer.clear();
    spans.clear();
    const NormalizedText& in = pieces.buffer;
    for (const Span& s : pieces.spans) {
      uint32_t begin = static_cast<uint32_t>(buffer.size());
      if (s.added_id >= 0) {
        buffer.append_from(in, s.begin, s.end);
        spans.push_back({begin, static_cast<uint32_t>(buffer.size()), s.added_id});
        continue;
      }
      bool starts_with_space = in.text[s.begin] == ' ' ||
                               std::string_view(in.text).substr(s.begin, s.end - s.begin).starts_with(replacement_);
      bool prepend = !starts_with_space && (scheme_ == PrependScheme::always ||
                                            (scheme_ == PrependScheme::first && in.orig_start[s.begin] == 0));
      if (prepend) buffer.append(replacement_, in.orig_start[s.begin], in.orig_end[s.begin]);
      for (uint32_t i = s.begin; i < s.end; ++i) {
        if (in.text[i] == ' ') {
          buffer.append(replacement_, in.orig_start[i], in.orig_end[i]);
        } else {
          buffer.text.push_back(in.text[i]);
          buffer.orig_start.push_back(in.orig_start[i]);
          buffer.orig_end.push_back(in.orig_end[i]);
        }
      }
      uint32_t end = static_cast<uint32_t>(buffer.size());
      if (!split_) {
        spans.push_back({begin, end, -1});
        continue;
      }
      // Each replacement character starts a new piece.
      std::string_view text = std::string_view(buffer.text).substr(begin, end - begin);
      uint32_t piece = 0;
      size_t at = text.find(replacement_, 1);
      while (at != std::string_view::npos) {
        spans.push_back({begin + piece, begin + static_cast<uint32_t>(at), -1});
        piece = static_cast<uint32_t>(at);
        at = text.find(replacement_, at + replacement_.size());
      }
      spans.push_back({begin + piece, end, -1});
    }
    Rebuild{buffer, spans}.commit(pieces);
  }

 private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

}  // namespace

std::unique_ptr<PreTokenizer> make_byte_level_pre_tokenizer(bool add_prefix_space, bool use_regex) {
  return std::make_unique<ByteLevelPreTokenizer>(add_prefix_space, use_regex);
}

std::unique_ptr<PreTokenizer> make_metaspace_pre_tokenizer(const std::string& replacement, PrependScheme scheme,
                                                           bool split) {
  return std::make_unique<MetaspacePreTokenizer>(replacement, scheme, split);
}

}  // namespace xfmr::tok
