#pragma once
#include <nlohmann/json.hpp>

namespace xfmr::cli {

// Output records keep their fields in the order the pipelines print them.
using Record = nlohmann::ordered_json;

}  // namespace xfmr::cli
