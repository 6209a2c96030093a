#include "cli/io/json_text.hpp"

#include <charconv>
#include <cmath>

#include "tokenize/utf8.hpp"

namespace xfmr::cli {

namespace {

void append_string(std::string& out, const std::string& text) {
  if (!tok::is_valid_utf8(text)) {
    // Only a bug can put invalid UTF-8 here; replace it rather than write broken JSON.
    out += Record(text).dump(-1, ' ', false, Record::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

template <typename Number>
void append_number(std::string& out, Number value) {
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

void append_json(std::string& out, const Record& value) {
  switch (value.type()) {
    case Record::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        append_string(out, key);
        out += ':';
        append_json(out, item);
      }
      out += '}';
      return;
    }
    case Record::value_t::array: {
      out += '[';
      for (size_t i = 0; i < value.size(); ++i) {
        if (i) out += ',';
        append_json(out, value[i]);
      }
      out += ']';
      return;
    }
    case Record::value_t::string: append_string(out, value.get_ref<const std::string&>()); return;
    case Record::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case Record::value_t::number_integer: append_number(out, value.get<int64_t>()); return;
    case Record::value_t::number_unsigned: append_number(out, value.get<uint64_t>()); return;
    case Record::value_t::number_float: {
      double number = value.get<double>();
      if (!std::isfinite(number)) {
        out += "null";  // JSON has no NaN or infinity
        return;
      }
      append_number(out, number);
      return;
    }
    default: out += "null"; return;
  }
}

std::string json_text(const Record& value) {
  std::string out;
  append_json(out, value);
  return out;
}

}  // namespace xfmr::cli
