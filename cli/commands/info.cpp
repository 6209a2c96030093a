// xfmr info: what a model folder holds (architecture, parameters, dtype,
// lengths, tokenizer, labels, generation defaults, files), read from its
// files without loading the weights.
#include <unistd.h>

#include <fmt/format.h>

#include "cli/io/record_writer.hpp"
#include "cli/model_info.hpp"
#include "cli/model_resolution.hpp"
#include "cli/subcommand.hpp"
#include "core/error.hpp"

namespace xfmr::cli {

namespace {

struct InfoFlags {
  std::vector<std::string> models;
};

// 1234567 -> "1,234,567".
std::string grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string short_count(uint64_t n) {
  if (n >= 1'000'000'000) return fmt::format("{:.2f}B", n / 1e9);
  if (n >= 1'000'000) return fmt::format("{:.2f}M", n / 1e6);
  if (n >= 1'000) return fmt::format("{:.1f}K", n / 1e3);
  return std::to_string(n);
}

std::string bytes(uint64_t n) {
  if (n >= (1ull << 30)) return fmt::format("{:.1f} GiB", n / double(1ull << 30));
  if (n >= (1ull << 20)) return fmt::format("{:.1f} MiB", n / double(1ull << 20));
  if (n >= (1ull << 10)) return fmt::format("{:.1f} KiB", n / double(1ull << 10));
  return fmt::format("{} B", n);
}

std::string value_text(const Record& value) {
  if (value.is_null()) return "-";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

void line(std::string& out, const char* key, const std::string& value) { out += fmt::format("{:<15}{}\n", key, value); }

std::string text_report(const Record& info) {
  std::string out;
  line(out, "model", value_text(info["model"]));
  line(out, "folder", value_text(info["folder"]));
  std::string arch = value_text(info["architecture"]);
  if (!info["model_type"].is_null()) arch += fmt::format(" (model_type {}, {})", value_text(info["model_type"]), value_text(info["family"]));
  line(out, "architecture", arch);
  if (!info["parameters"].is_null()) {
    uint64_t n = info["parameters"].get<uint64_t>();
    line(out, "parameters", fmt::format("{} ({}) in {} tensors", grouped(n), short_count(n), info["tensors"].get<uint64_t>()));
    std::string dtypes;
    for (const auto& [dtype, count] : info["dtypes"].items())
      dtypes += fmt::format("{}{} ({})", dtypes.empty() ? "" : ", ", dtype, grouped(count.get<uint64_t>()));
    if (!info["torch_dtype"].is_null()) dtypes += fmt::format("; config torch_dtype {}", value_text(info["torch_dtype"]));
    line(out, "dtype on disk", dtypes);
  } else {
    line(out, "parameters", "-");
  }
  line(out, "shape", fmt::format("hidden size {}, {} layers, {} attention heads", value_text(info["hidden_size"]),
                                 value_text(info["num_hidden_layers"]), value_text(info["num_attention_heads"])));
  line(out, "max positions", value_text(info["max_position_embeddings"]));
  line(out, "vocab size", value_text(info["vocab_size"]));
  if (const Record& t = info["tokenizer"]; !t.is_null()) {
    std::string text = fmt::format("{}, {} tokens", value_text(t["kind"]), value_text(t["vocab_size"]));
    if (!t["model_max_length"].is_null()) text += fmt::format(", model_max_length {}", value_text(t["model_max_length"]));
    line(out, "tokenizer", text);
  } else {
    line(out, "tokenizer", "-");
  }
  if (const Record& labels = info["labels"]; !labels.is_null()) {
    std::string text;
    for (size_t i = 0; i < labels.size(); ++i)
      text += fmt::format("{}{} {}", text.empty() ? "" : ", ", i, value_text(labels[i]));
    line(out, "labels", text);
  }
  if (const Record& generation = info["generation"]; !generation.is_null()) {
    // The values the model's files set; the rest are transformers' defaults.
    std::string text;
    for (const auto& [field, described] : generation.items())
      if (described["source"] != "default")
        text += fmt::format("{}{}={} ({})", text.empty() ? "" : "\n" + std::string(15, ' '), field,
                            described["value"].dump(), value_text(described["source"]));
    line(out, "generation", text.empty() ? "transformers' defaults" : text);
  }
  if (const Record& params = info["task_specific_params"]; !params.is_null()) {
    std::string text;
    for (const auto& [task, values] : params.items())
      text += fmt::format("{}{}: {}", text.empty() ? "" : "\n" + std::string(15, ' '), task, values.dump());
    line(out, "task params", text);
  }
  std::string files;
  for (const auto& f : info["files"])
    files += fmt::format("{}{:<30}{:>12}\n", files.empty() ? "" : std::string(15, ' '), value_text(f["name"]),
                         bytes(f["bytes"].get<uint64_t>()));
  files += fmt::format("{}{:<30}{:>12}", std::string(15, ' '), "total", bytes(info["total_bytes"].get<uint64_t>()));
  line(out, "files", files);
  for (const auto& note : info["notes"]) line(out, "note", value_text(note));
  return out;
}

std::string tsv_report(const Record& info) {
  std::string out;
  for (const auto& [key, value] : info.items()) out += fmt::format("{}\t{}\n", key, tsv_field(value_text(value)));
  return out;
}

int run_info(const GlobalOptions& options, const InfoFlags& flags) {
  std::vector<std::string> models = flags.models;
  if (models.empty()) models.push_back(options.model);
  if (models.front().empty()) throw UsageError("info: no model given: use -m PATH or -m org/name, or set XFMR_MODEL");
  std::string format = options.output.empty() ? (::isatty(1) ? "text" : "jsonl") : options.output;
  std::vector<Record> infos;
  for (const auto& model : models) infos.push_back(model_info(model, resolve_model({model, options.revision})));
  std::string out;
  if (format == "json") {
    out = (infos.size() == 1 ? infos[0] : Record(infos)).dump(2) + "\n";
  } else {
    for (size_t i = 0; i < infos.size(); ++i) {
      if (format == "jsonl") out += infos[i].dump() + "\n";
      else if (format == "tsv") out += (i == 0 ? "field\tvalue\n" : "") + tsv_report(infos[i]);
      else out += (i == 0 ? "" : "\n") + text_report(infos[i]);
    }
  }
  write_out(stdout, out);
  return 0;
}

}  // namespace

void register_info(CommandLine& cli) {
  auto flags = std::make_shared<InfoFlags>();
  auto* app = cli.root.add_subcommand("info", "What a model holds: architecture, parameters, dtype, labels, files");
  app->footer("MODEL is a folder or a Hub id in the Hugging Face cache, as for -m.\n"
              "-o json prints one object; -o jsonl one line per model.");
  app->add_option("MODEL", flags->models, "Models to describe (default: -m, else XFMR_MODEL)")->type_name("MODEL");
  cli.subcommands.push_back({app, [flags, &options = cli.options]() { return run_info(options, *flags); }});
}

}  // namespace xfmr::cli
