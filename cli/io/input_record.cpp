#include "cli/io/input_record.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace xfmr::cli {

const std::string& InputRecord::text(const char* field) const {
  auto it = fields.find(field);
  if (it == fields.end()) throw InputError(fmt::format("missing field \"{}\"", field));
  if (!it->is_string()) throw InputError(fmt::format("field \"{}\" must be a string", field));
  return it->get_ref<const std::string&>();
}

}  // namespace xfmr::cli
