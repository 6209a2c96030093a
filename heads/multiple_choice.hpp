#pragma once
#include <span>
#include <vector>

namespace xfmr::heads {

struct Choice {
  size_t index;               // the best choice
  std::vector<float> scores;  // softmax over the choices, in the order given
};

Choice pick_choice(std::span<const float> logits);

}  // namespace xfmr::heads
