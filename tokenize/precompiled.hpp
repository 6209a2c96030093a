#pragma once
// The "Precompiled" normalizer: sentencepiece's compiled character map (a
// Darts double-array trie of rules plus their replacement strings), as
// tokenizer.json stores it in base64.
#include <memory>
#include <string_view>

#include "tokenize/components.hpp"

namespace xfmr::tok {

std::unique_ptr<Normalizer> make_precompiled(std::string_view base64_charsmap);

}  // namespace xfmr::tok
