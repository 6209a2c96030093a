// xfmr generate, translate and summarize: text in, generated text out, through
// the one decoding module (generate/decode.hpp).
//   generate   transformers' text-generation pipeline on decoder-only models;
//              text2text generation (plain model.generate()) on encoder-decoders.
//   translate  the translation pipeline: task prefix and task_specific_params.
//   summarize  the summarization pipeline: the same with "summarization".
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "cli/commands/decoding_flags.hpp"
#include "cli/generative_model.hpp"
#include "cli/io/record_writer.hpp"
#include "cli/model_session.hpp"
#include "cli/subcommand.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"
#include "generate/decode.hpp"
#include "heads/generated_text.hpp"

namespace xfmr::cli {

namespace {

enum class Kind { generate, translate, summarize };

struct GenerationFlags {
  std::vector<std::string> inputs;
  DecodingFlags decoding;
  bool no_prompt = false;
  bool no_prefix = false;
  std::string src_lang, tgt_lang;
};

nlohmann::json read_json_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  auto parsed = nlohmann::json::parse(in, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) throw ModelError(fmt::format("{}: not a JSON object", file.string()));
  return parsed;
}

// The fields of a JSONL record that are not generate() options.
bool is_input_field(const std::string& key) { return key == "text" || key == "id"; }

struct Request {
  const InputRecord* record = nullptr;
  std::string text;                 // what was fed (prefix included)
  std::vector<int32_t> ids;         // the tokenized input
  std::vector<int32_t> decoder_prompt;
  gen::GenerationConfig config;
};

class GenerationTask final : public Task {
 public:
  GenerationTask(Kind kind, const GenerationFlags& flags) : kind_(kind), flags_(flags) {}

  void prepare(const GlobalOptions& options) override {
    options_ = &options;
    apply_threads(options);
    folder_ = model_folder(options, default_model());
    model_ = GenerativeModel::load(folder_);
    if (kind_ != Kind::generate && !model_->encoder_decoder())
      throw ModelError(fmt::format("{} needs an encoder-decoder model (T5, BART, Marian); {} holds {}", name(),
                                   folder_.string(), model_->config().architecture()));
    tokenizer_ = tok::Tokenizer::from_folder(folder_);
    base_ = load_config();
    output_key_ = kind_ == Kind::translate ? "translation_text" : kind_ == Kind::summarize ? "summary_text" : "generated_text";
    bool text_output = options.output == "text" || (options.output.empty() && ::isatty(1));
    stream_ = flags_.decoding.stream.value_or(text_output && ::isatty(1));
    if (stream_ && !text_output) {
      if (!options.quiet) fmt::print(stderr, "xfmr: warning: --stream applies to -o text only\n");
      stream_ = false;
    }
  }

  // The merged generation config with the source of each value (--print-config).
  nlohmann::json describe_config() const { return gen::describe(base_); }

  void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) override {
    std::vector<Request> requests(records.size());
    for (size_t i = 0; i < records.size(); ++i) requests[i] = make_request(*records[i]);
    // Inputs that can share a decoding run go together; streaming shows one input at a time.
    for (size_t begin = 0; begin < requests.size();) {
      size_t end = begin + 1;
      while (!stream_ && end < requests.size() && gen::can_share_batch(requests[begin].config, requests[end].config)) ++end;
      run_group(std::span(requests).subspan(begin, end - begin), outcomes.subspan(begin, end - begin));
      begin = end;
    }
  }

  std::string text_line(const Record& record) const override {
    if (record.contains(output_key_)) return record[output_key_].get<std::string>();
    std::string line;
    for (const auto& t : record[output_key_ + "s"]) line += (line.empty() ? "" : " | ") + t.get<std::string>();
    return line;
  }
  std::vector<std::string> tsv_header() const override { return {"sequence", output_key_}; }
  std::vector<std::vector<std::string>> tsv_rows(const Record& record) const override {
    if (record.contains(output_key_)) return {{"0", tsv_field(record[output_key_].get<std::string>())}};
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : record[output_key_ + "s"]) rows.push_back({std::to_string(rows.size()), tsv_field(t.get<std::string>())});
    return rows;
  }
  bool text_already_printed() const override { return stream_; }

 private:
  const char* name() const { return kind_ == Kind::translate ? "translate" : kind_ == Kind::summarize ? "summarize" : "generate"; }
  const char* default_model() const {
    return kind_ == Kind::translate ? "google-t5/t5-base" : kind_ == Kind::summarize ? "sshleifer/distilbart-cnn-12-6" : "openai-community/gpt2";
  }

  // task_specific_params[translation_SRC_to_TGT], from --src-lang / --tgt-lang or the first such entry.
  const nlohmann::json* task_params(const nlohmann::json& config_json) {
    if (kind_ == Kind::summarize) return gen::find_task_params(config_json, "summarization");
    if (kind_ != Kind::translate) return nullptr;
    if (!flags_.src_lang.empty() || !flags_.tgt_lang.empty()) {
      if (flags_.src_lang.empty() || flags_.tgt_lang.empty()) throw UsageError("give both --src-lang and --tgt-lang");
      std::string task = fmt::format("translation_{}_to_{}", flags_.src_lang, flags_.tgt_lang);
      const nlohmann::json* params = gen::find_task_params(config_json, task);
      if (!params && config_json.contains("task_specific_params") && config_json["task_specific_params"].is_object()) {
        std::string known;
        for (auto& [key, value] : config_json["task_specific_params"].items())
          if (key.rfind("translation_", 0) == 0) known += " " + key;
        if (!known.empty()) throw UsageError(fmt::format("this model has no {} (it has:{})", task, known));
      }
      return params;
    }
    const auto it = config_json.find("task_specific_params");
    if (it == config_json.end() || !it->is_object()) return nullptr;
    for (auto& [key, value] : it->items())
      if (key.rfind("translation_", 0) == 0) return &value;
    return nullptr;
  }

  gen::GenerationConfig load_config() {
    config_json_ = read_json_file(folder_ / "config.json");
    std::optional<nlohmann::json> generation_json;
    if (std::filesystem::exists(folder_ / "generation_config.json"))
      generation_json = read_json_file(folder_ / "generation_config.json");
    const nlohmann::json* params = task_params(config_json_);
    if (params && params->contains("prefix") && (*params)["prefix"].is_string() && !flags_.no_prefix)
      prefix_ = (*params)["prefix"].get<std::string>();
    nlohmann::json call = flags_.decoding.call_options();
    if (!flags_.decoding.bad_words.empty()) call["bad_words_ids"] = bad_words_ids();
    return gen::build_generation_config(config_json_, generation_json ? &*generation_json : nullptr, params, &call);
  }

  // Each word as it starts a text and as it follows a space: BPE vocabularies differ.
  std::vector<std::vector<int32_t>> bad_words_ids() const {
    std::vector<std::vector<int32_t>> ids;
    tok::EncodeOptions plain;
    plain.add_special_tokens = false;
    for (const auto& word : flags_.decoding.bad_words)
      for (const std::string& form : {word, " " + word}) {
        auto encoded = tokenizer_->encode(form, plain).ids;
        if (!encoded.empty() && std::find(ids.begin(), ids.end(), encoded) == ids.end()) ids.push_back(encoded);
      }
    return ids;
  }

  Request make_request(const InputRecord& record) {
    Request request;
    request.record = &record;
    request.text = prefix_ + record.text("text");
    request.config = base_;
    nlohmann::json overrides = nlohmann::json::object();
    for (auto& [key, value] : record.fields.items())
      if (!is_input_field(key)) overrides[key] = value;
    if (!overrides.empty()) {
      try {
        request.config = gen::with_options(base_, overrides, "the input record");
      } catch (const UsageError& e) {
        throw InputError(e.what());
      }
    }
    request.ids = tokenizer_->encode(request.text).ids;
    if (int64_t limit = model_->max_input_length(); limit > 0) fit_to_limit(request, static_cast<size_t>(limit));
    if (model_->encoder_decoder()) {
      auto start = gen::decoder_start_token(request.config);
      if (!start) throw ModelError(fmt::format("{}: no decoder_start_token_id or bos_token_id in the config", folder_.string()));
      request.decoder_prompt = {*start};
    }
    return request;
  }

  // Inputs longer than the model takes are cut, with one warning per run. A
  // decoder-only prompt keeps its end (the text next to what is generated).
  void fit_to_limit(Request& request, size_t limit) {
    if (model_->encoder_decoder()) {
      if (request.ids.size() <= limit) return;
      size_t full = request.ids.size();
      tok::EncodeOptions cut;
      cut.max_length = limit;
      request.ids = tokenizer_->encode(request.text, cut).ids;
      truncation_warning_.print(*options_, fmt::format("inputs longer than {} tokens are truncated (one had {})", limit, full));
      return;
    }
    size_t room = limit - std::min<size_t>(limit - 1, std::max(1, request.config.max_new_tokens.value_or(1)));
    if (request.ids.size() <= room) return;
    size_t full = request.ids.size();
    request.ids.erase(request.ids.begin(), request.ids.end() - static_cast<std::ptrdiff_t>(room));
    truncation_warning_.print(*options_, fmt::format("prompts longer than {} tokens keep their last {} (one had {})",
                                                     room, room, full));
  }

  void run_group(std::span<Request> group, std::span<Outcome> outcomes) {
    std::vector<gen::DecodeInput> inputs;
    std::vector<std::vector<int32_t>> sources;
    for (const Request& r : group) {
      const auto& prompt = model_->encoder_decoder() ? r.decoder_prompt : r.ids;
      inputs.emplace_back(prompt, &r.config, flags_.decoding.seed, r.record->index,
                          model_->encoder_decoder() ? std::span<const int32_t>(r.ids) : std::span<const int32_t>());
      if (model_->encoder_decoder()) sources.push_back(r.ids);
    }
    // Tokens so far of every sequence, for stop strings and streaming.
    std::vector<std::vector<std::vector<int32_t>>> produced(group.size());
    std::vector<std::unique_ptr<heads::TextStream>> streams(group.size());
    for (size_t i = 0; i < group.size(); ++i) {
      produced[i].assign(static_cast<size_t>(gen::rows_per_input(group[i].config)), model_->encoder_decoder() ? group[i].decoder_prompt : group[i].ids);
      streams[i] = std::make_unique<heads::TextStream>(*tokenizer_, group[i].ids, !model_->encoder_decoder());
    }
    if (stream_ && kind_ == Kind::generate && !model_->encoder_decoder() && !flags_.no_prompt)
      write_out(stdout, group[0].record->text("text"));
    auto on_token = [&](const gen::TokenEvent& event) {
      auto& tokens = produced[static_cast<size_t>(event.input)][static_cast<size_t>(event.sequence)];
      tokens.push_back(event.token);
      const Request& r = group[static_cast<size_t>(event.input)];
      bool keep_going = !interrupted();
      if (stream_ && event.sequence == 0) write_out(stdout, streams[static_cast<size_t>(event.input)]->push(tokens));
      if (!r.config.stop_strings.empty()) {
        std::string text = model_->encoder_decoder() ? heads::seq2seq_text(*tokenizer_, tokens)
                                                     : heads::continuation_text(*tokenizer_, r.ids, tokens);
        for (const auto& stop : r.config.stop_strings)
          if (text.find(stop) != std::string::npos) keep_going = false;
      }
      return keep_going;
    };
    std::vector<gen::DecodedInput> results;
    try {
      results = gen::decode(model_->session(sources), inputs, on_token);
    } catch (const InputError&) {
      throw;
    }
    for (size_t i = 0; i < group.size(); ++i) outcomes[i].record = make_record(group[i], results[i]);
    if (stream_) write_out(stdout, "\n");
  }

  Record make_record(const Request& request, const gen::DecodedInput& result) const {
    Record record = Record::object();
    std::vector<std::string> texts;
    for (const auto& sequence : result.sequences) {
      if (model_->encoder_decoder()) {
        texts.push_back(heads::seq2seq_text(*tokenizer_, sequence.tokens));
      } else {
        std::string text = heads::continuation_text(*tokenizer_, request.ids, sequence.tokens);
        texts.push_back(flags_.no_prompt ? text : request.record->text("text") + text);
      }
    }
    if (texts.size() == 1) record[output_key_] = texts[0];
    else record[output_key_ + "s"] = texts;
    if (flags_.decoding.show_ids) {
      Record ids = Record::array();
      for (const auto& sequence : result.sequences) ids.push_back(sequence.tokens);
      record["token_ids"] = std::move(ids);
    }
    if (flags_.decoding.show_scores) {
      Record scores = Record::array();
      for (const auto& sequence : result.sequences) scores.push_back(round_score(sequence.score));
      record["scores"] = std::move(scores);
    }
    return record;
  }

  Kind kind_;
  const GenerationFlags& flags_;
  const GlobalOptions* options_ = nullptr;
  std::filesystem::path folder_;
  std::unique_ptr<GenerativeModel> model_;
  std::unique_ptr<tok::Tokenizer> tokenizer_;
  nlohmann::json config_json_;
  gen::GenerationConfig base_;
  std::string prefix_;
  std::string output_key_;
  bool stream_ = false;
  OnceWarning truncation_warning_;
};

void register_generation(CommandLine& cli, Kind kind, const char* name, const char* description, const char* footer) {
  auto flags = std::make_shared<GenerationFlags>();
  auto* app = cli.root.add_subcommand(name, description);
  app->footer(footer);
  add_inputs(*app, flags->inputs);
  if (kind == Kind::generate) app->add_flag("--no-prompt", flags->no_prompt, "Print only the generated text, not the prompt");
  if (kind == Kind::translate) {
    app->add_option("--src-lang", flags->src_lang, "Source language: picks task_specific_params translation_SRC_to_TGT");
    app->add_option("--tgt-lang", flags->tgt_lang, "Target language: picks task_specific_params translation_SRC_to_TGT");
  }
  if (kind != Kind::generate) app->add_flag("--no-prefix", flags->no_prefix, "Feed the input as it is, without the task prefix");
  add_decoding_flags(*app, flags->decoding);
  cli.subcommands.push_back({app, [kind, flags, &options = cli.options]() {
                               GenerationTask task(kind, *flags);
                               if (flags->decoding.print_config) {
                                 task.prepare(options);
                                 write_out(stdout, task.describe_config().dump(2) + "\n");
                                 return 0;
                               }
                               return run_task(task, options, flags->inputs);
                             }});
}

}  // namespace

void register_generate(CommandLine& cli) {
  register_generation(cli, Kind::generate, "generate", "Text generation (GPT-2, Llama family; text2text on T5, BART, Marian)",
                      "Default model: openai-community/gpt2");
}
void register_translate(CommandLine& cli) {
  register_generation(cli, Kind::translate, "translate", "Translation with T5 or Marian (task prefix and defaults from the config)",
                      "Default model: google-t5/t5-base (translation_en_to_de)");
}
void register_summarize(CommandLine& cli) {
  register_generation(cli, Kind::summarize, "summarize", "Summarization with BART or T5 (task prefix and defaults from the config)",
                      "Default model: sshleifer/distilbart-cnn-12-6");
}

}  // namespace xfmr::cli
