#include "heads/multiple_choice.hpp"

#include <algorithm>

#include "heads/probabilities.hpp"

namespace xfmr::heads {

Choice pick_choice(std::span<const float> logits) {
  Choice choice{0, softmax(logits)};
  choice.index = std::max_element(logits.begin(), logits.end()) - logits.begin();
  return choice;
}

}  // namespace xfmr::heads
