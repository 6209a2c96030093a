#include "cli/completion/cli_spec.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>

namespace xfmr::cli {

namespace {

// CLI11 describes an IsMember validator as "{a,b,c}".
bool read_choices(const std::string& description, std::vector<std::string>& choices) {
  if (description.size() < 2 || description.front() != '{' || description.back() != '}') return false;
  std::string items = description.substr(1, description.size() - 2);
  size_t start = 0;
  while (start <= items.size()) {
    size_t comma = items.find(',', start);
    if (comma == std::string::npos) comma = items.size();
    choices.push_back(items.substr(start, comma - start));
    start = comma + 1;
  }
  return true;
}

// CLI11's validator descriptions ("POSITIVE", "FLOAT in [0 - 1]") in words.
std::string constraint_in_words(const std::string& description) {
  if (description == "POSITIVE") return "greater than 0";
  if (description == "NONNEGATIVE") return "0 or more";
  auto in = description.find(" in [");
  auto dash = description.find(" - ", in == std::string::npos ? 0 : in);
  if (in != std::string::npos && dash != std::string::npos && description.back() == ']')
    return "from " + description.substr(in + 5, dash - in - 5) + " to " +
           description.substr(dash + 3, description.size() - dash - 4);
  return description;
}

std::vector<std::string> validator_descriptions(CLI::Option& option) {
  std::vector<std::string> out;
  // CLI11 2.1 offers no count of validators: ask by index until it says there is none.
  for (int i = 0;; ++i) {
    CLI::Validator* validator = nullptr;
    try {
      validator = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    if (!validator->get_active()) continue;
    std::string description = validator->get_description();
    if (!description.empty()) out.push_back(std::move(description));
  }
  return out;
}

std::string plain_type_name(const CLI::Option& option) {
  std::string name = option.get_type_name();  // "TEXT:{a,b}" when validators describe themselves
  return name.substr(0, name.find(':'));
}

ValueKind value_kind(const std::string& type_name, const std::vector<std::string>& long_names, bool has_choices) {
  if (has_choices) return ValueKind::choice;
  auto named = [&](const char* name) { return std::find(long_names.begin(), long_names.end(), name) != long_names.end(); };
  if (type_name == "MODEL" || named("--model")) return ValueKind::model;
  if (type_name == "FILE" || named("--file")) return ValueKind::file;
  return ValueKind::text;
}

// Vector values print as "[O]" or "[a,b]": shown without the brackets.
std::string plain_default(std::string value) {
  if (value.size() >= 2 && value.front() == '[' && value.back() == ']') value = value.substr(1, value.size() - 2);
  return value;
}

CommandSpec read_command(CLI::App& app, const std::string& name) {
  CommandSpec command;
  command.name = name;
  command.description = app.get_description();
  for (CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    std::vector<std::string> choices, constraints;
    for (const auto& description : validator_descriptions(*option))
      if (!read_choices(description, choices)) constraints.push_back(constraint_in_words(description));
    const bool takes_value = option->get_items_expected_max() > 0;
    const bool many = option->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll ||
                      option->get_items_expected_max() > 1;
    if (!option->nonpositional()) {
      PositionalSpec positional;
      positional.name = option->get_name(true);
      positional.description = option->get_description();
      positional.choices = choices;
      positional.kind = value_kind(plain_type_name(*option), {}, !choices.empty());
      positional.many = many;
      command.positionals.push_back(std::move(positional));
      continue;
    }
    OptionSpec spec;
    for (const auto& s : option->get_snames()) spec.short_names.push_back("-" + s);
    for (const auto& l : option->get_lnames()) spec.long_names.push_back("--" + l);
    spec.group = option->get_group();
    spec.description = option->get_description();
    spec.env = option->get_envname();
    if (takes_value) {
      spec.value_name = plain_type_name(*option);
      spec.kind = value_kind(spec.value_name, spec.long_names, !choices.empty());
      spec.choices = std::move(choices);
      spec.constraints = std::move(constraints);
      spec.default_value = plain_default(option->get_default_str());
      spec.repeatable = many;
    }
    command.options.push_back(std::move(spec));
  }
  return command;
}

}  // namespace

std::vector<std::string> OptionSpec::names() const {
  std::vector<std::string> all = short_names;
  all.insert(all.end(), long_names.begin(), long_names.end());
  return all;
}

const CommandSpec* CliSpec::find(const std::string& name) const {
  if (name == root.name) return &root;
  for (const auto& command : commands)
    if (command.name == name) return &command;
  return nullptr;
}

CliSpec read_cli_spec(CLI::App& root) {
  CliSpec spec;
  spec.root = read_command(root, root.get_name().empty() ? "xfmr" : root.get_name());
  for (CLI::App* sub : root.get_subcommands([](CLI::App* app) { return !app->get_group().empty(); }))
    spec.commands.push_back(read_command(*sub, sub->get_name()));
  return spec;
}

std::vector<std::string> flag_names(const CliSpec& spec, const std::string& command) {
  std::vector<std::string> names;
  auto add = [&](const CommandSpec& c) {
    for (const auto& option : c.options)
      for (const auto& name : option.names())
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  if (const CommandSpec* c = spec.find(command)) add(*c);
  if (command != spec.root.name) add(spec.root);
  return names;
}

}  // namespace xfmr::cli
