// xfmr choose: multiple choice — which choice best continues the prompt.
#include <fmt/format.h>

#include "cli/commands/encoder_inputs.hpp"
#include "cli/io/json_text.hpp"
#include "cli/io/record_writer.hpp"
#include "cli/subcommand.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"
#include "heads/multiple_choice.hpp"

namespace xfmr::cli {

namespace {

struct ChooseFlags {
  std::vector<std::string> inputs;
  std::string prompt;
  std::vector<std::string> choices;
};

class ChooseTask final : public Task {
 public:
  explicit ChooseTask(const ChooseFlags& flags) : flags_(flags) {}

  std::string line_field() const override { return "prompt"; }

  void prepare(const GlobalOptions& options) override {
    options_ = &options;
    session_ = load_encoder(options, nullptr, EncoderHead::multiple_choice, "choose");
  }

  void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) override {
    std::vector<std::vector<std::string>> choices(records.size());
    EncoderBatch batch;
    for (size_t i = 0; i < records.size(); ++i) {
      choices[i] = choices_of(*records[i]);
      const std::string& prompt = records[i]->text("prompt");
      for (const auto& choice : choices[i])
        add_to_batch(batch, encode_truncated(session_, *options_, truncation_warning_, prompt, &choice));
    }
    Tensor logits = session_.model->multiple_choice_logits(batch);  // one per (prompt, choice)
    size_t row = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      heads::Choice best = heads::pick_choice({logits.data() + row, choices[i].size()});
      row += choices[i].size();
      Record scores = Record::array();
      for (float s : best.scores) scores.push_back(round_score(s));
      outcomes[i].record = Record{{"choice", best.index}, {"text", choices[i][best.index]}, {"scores", std::move(scores)}};
    }
  }

  std::string text_line(const Record& record) const override {
    return fmt::format("{} {}", record["choice"].get<int64_t>(), record["text"].get<std::string>());
  }
  std::vector<std::string> tsv_header() const override { return {"choice", "text", "scores"}; }
  std::vector<std::vector<std::string>> tsv_rows(const Record& record) const override {
    std::string scores;
    for (const auto& s : record["scores"]) scores += (scores.empty() ? "" : " ") + json_text(s);
    return {{std::to_string(record["choice"].get<int64_t>()), tsv_field(record["text"].get<std::string>()), scores}};
  }

 private:
  std::vector<std::string> choices_of(const InputRecord& record) const {
    std::vector<std::string> out;
    if (record.has("choices")) {
      const auto& list = record.fields["choices"];
      if (!list.is_array()) throw InputError("\"choices\" must be an array of strings");
      for (const auto& c : list) {
        if (!c.is_string()) throw InputError("\"choices\" must be an array of strings");
        out.push_back(c.get<std::string>());
      }
    } else {
      out = flags_.choices;
    }
    if (out.size() < 2) throw InputError("give at least two choices (--choice A --choice B, or \"choices\" in JSONL)");
    return out;
  }

  const ChooseFlags& flags_;
  const GlobalOptions* options_ = nullptr;
  EncoderSession session_;
  OnceWarning truncation_warning_;
};

}  // namespace

void register_choose(CommandLine& cli) {
  auto flags = std::make_shared<ChooseFlags>();
  auto* app = cli.root.add_subcommand("choose", "Multiple choice: the choice that best continues the prompt");
  app->footer(
      "Inputs: --prompt P --choice A --choice B ...; or --choice ... with one prompt per line; or --input jsonl "
      "with \"prompt\" and \"choices\".\nNo default model (transformers has no multiple-choice pipeline): give -m.");
  add_inputs(*app, flags->inputs);
  app->add_option("--prompt", flags->prompt, "The prompt (instead of INPUT or standard input)");
  app->add_option("--choice", flags->choices, "A choice; repeat for each")->type_name("TEXT")->allow_extra_args(false);
  cli.subcommands.push_back({app, [flags, &options = cli.options]() {
                               ChooseTask task(*flags);
                               std::vector<std::string> inputs = flags->inputs;
                               if (!flags->prompt.empty()) inputs.insert(inputs.begin(), flags->prompt);
                               return run_task(task, options, inputs);
                             }});
}

}  // namespace xfmr::cli
