#pragma once
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace xfmr::cli {

// One input as the user gave it: an argument, a line of text, or a JSONL object.
// `fields` always holds a JSON object: plain text becomes {"text": line}.
struct InputRecord {
  size_t index = 0;        // position in the input stream, from 0
  size_t line_number = 0;  // 1-based line of stdin / the file; 0 for arguments
  nlohmann::json fields = nlohmann::json::object();
  std::optional<nlohmann::json> id;  // copied to the output record unchanged
  std::string error;                 // why the input could not be read (invalid UTF-8, bad JSON)

  // The named text field; throws InputError when it is missing or not a string.
  const std::string& text(const char* field = "text") const;
  bool has(const char* field) const { return fields.contains(field); }
};

}  // namespace xfmr::cli
