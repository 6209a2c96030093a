// The OPTIONS section of a man page, in roff, from the CLI definitions.
#include <algorithm>

#include <fmt/format.h>

#include "cli/completion/generators.hpp"

namespace xfmr::cli {

namespace {

// Running text: backslashes shown as such, a hyphen that starts a word (an
// option such as -m) typed as a minus sign, no line taken for a request.
std::string roff_text(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool starts_word = i == 0 || text[i - 1] == ' ' || text[i - 1] == '(' || text[i - 1] == '-';
    if (c == '\\') out += "\\e";
    else if (c == '-' && starts_word) out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

// A name typed on the command line: its hyphens are ASCII minus signs.
std::string roff_literal(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '-') out += "\\-";
    else if (c == '\\') out += "\\e";
    else out += c;
  }
  return out;
}

std::string sentence(std::string text) {
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text += '.';
  return text;
}

void describe_option(std::string& out, const OptionSpec& option) {
  out += ".TP\n";
  std::string head;
  for (const auto& name : option.names()) head += (head.empty() ? "" : ", ") + ("\\fB\\%" + roff_literal(name) + "\\fR");
  if (option.kind != ValueKind::none) head += " \\fI" + roff_literal(option.value_name) + "\\fR";
  if (option.repeatable) head += " (repeatable)";
  out += head + "\n";
  out += roff_text(sentence(option.description)) + "\n";
  if (!option.choices.empty()) {
    std::string list;
    for (const auto& c : option.choices) list += (list.empty() ? "" : ", ") + ("\\fB" + roff_literal(c) + "\\fR");
    out += "One of: " + list + ".\n";
  }
  for (const auto& constraint : option.constraints) out += "Value: " + roff_text(constraint) + ".\n";
  if (!option.default_value.empty()) out += "Default: \\fB" + roff_literal(option.default_value) + "\\fR.\n";
  if (!option.env.empty()) out += "Environment: \\fB" + roff_literal(option.env) + "\\fR.\n";
}

bool is_help(const OptionSpec& option) {
  for (const auto& name : option.long_names)
    if (name == "--help") return true;
  return false;
}

}  // namespace

std::string man_options(const CliSpec& spec, const std::string& command_name) {
  const CommandSpec* command = spec.find(command_name);
  if (!command) return "";
  std::string out;
  const bool is_root = command == &spec.root;
  std::vector<std::string> groups;
  for (const auto& option : command->options)
    if (std::find(groups.begin(), groups.end(), option.group) == groups.end()) groups.push_back(option.group);
  for (const auto& group : groups) {
    std::string title = group == "Options" ? (is_root ? "Global options" : "Options of xfmr " + command->name) : group;
    out += ".SS \"" + roff_text(title) + "\"\n";
    for (const auto& option : command->options)
      if (option.group == group) describe_option(out, option);
  }
  if (!is_root) {
    out += ".SS \"Global options\"\nValid before or after the subcommand; see \\fBxfmr\\fR(1).\n";
    for (const auto& option : spec.root.options)
      if (!is_help(option)) describe_option(out, option);
  }
  return out;
}

}  // namespace xfmr::cli
