#pragma once
// Records as JSON text. nlohmann's dump() is not always the shortest form of a
// double (0.680645 can come out as 0.6806449999999999); scores must print with
// their 6 significant digits, so numbers go through std::to_chars here.
#include <string>

#include "cli/io/record.hpp"

namespace xfmr::cli {

void append_json(std::string& out, const Record& value);
std::string json_text(const Record& value);

}  // namespace xfmr::cli
