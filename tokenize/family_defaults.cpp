#include "tokenize/family_defaults.hpp"

namespace xfmr::tok {
namespace {

void fill(std::optional<SpecialTokenSpec>& slot, const char* content, bool lstrip = false) {
  if (slot.has_value()) return;
  SpecialTokenSpec s;
  s.content = content;
  s.lstrip = lstrip;
  slot = s;
}

}  // namespace

void apply_family_defaults(TokenizerConfig& c, const std::string& family) {
  if (family == "bert") {
    fill(c.unk, "[UNK]");
    fill(c.sep, "[SEP]");
    fill(c.pad, "[PAD]");
    fill(c.cls, "[CLS]");
    fill(c.mask, "[MASK]");
  } else if (family == "gpt2") {
    fill(c.bos, "<|endoftext|>");
    fill(c.eos, "<|endoftext|>");
    fill(c.unk, "<|endoftext|>");
  } else if (family == "roberta" || family == "bart") {
    fill(c.bos, "<s>");
    fill(c.eos, "</s>");
    fill(c.sep, "</s>");
    fill(c.cls, "<s>");
    fill(c.unk, "<unk>");
    fill(c.pad, "<pad>");
    fill(c.mask, "<mask>", true);
  } else if (family == "t5") {
    fill(c.eos, "</s>");
    fill(c.unk, "<unk>");
    fill(c.pad, "<pad>");
    if (c.additional_special.empty()) {
      int extra = c.extra_ids.value_or(100);
      for (int i = 0; i < extra; ++i) {
        SpecialTokenSpec s;
        s.content = "<extra_id_" + std::to_string(i) + ">";
        s.lstrip = true;
        s.rstrip = true;
        c.additional_special.push_back(s);
      }
    }
  } else if (family == "albert") {
    fill(c.bos, "[CLS]");
    fill(c.eos, "[SEP]");
    fill(c.unk, "<unk>");
    fill(c.sep, "[SEP]");
    fill(c.pad, "<pad>");
    fill(c.cls, "[CLS]");
    fill(c.mask, "[MASK]", true);
  } else if (family == "llama") {
    fill(c.bos, "<s>");
    fill(c.eos, "</s>");
    fill(c.unk, "<unk>");
  } else if (family == "marian") {
    fill(c.eos, "</s>");
    fill(c.unk, "<unk>");
    fill(c.pad, "<pad>");
  }
}

bool family_clean_up_default(const std::string& family) { return family == "bert"; }

}  // namespace xfmr::tok
