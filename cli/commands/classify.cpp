// xfmr classify: text classification, as transformers' text-classification pipeline.
#include <fmt/format.h>

#include "cli/commands/encoder_inputs.hpp"
#include "cli/io/json_text.hpp"
#include "cli/io/record_writer.hpp"
#include "cli/subcommand.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"
#include "heads/classification.hpp"

namespace xfmr::cli {

namespace {

constexpr const char* kDefaultModel = "distilbert/distilbert-base-uncased-finetuned-sst-2-english";

struct ClassifyFlags {
  std::vector<std::string> inputs;
  size_t top_k = 0;  // 0: only the best label, as {"label", "score"}
  bool all_scores = false;
  std::string function;
  std::string pair;
};

class ClassifyTask final : public Task {
 public:
  explicit ClassifyTask(const ClassifyFlags& flags) : flags_(flags) {}

  void prepare(const GlobalOptions& options) override {
    options_ = &options;
    session_ = load_encoder(options, kDefaultModel, EncoderHead::sequence_classification, "classify");
    const ModelConfig& config = session_.model->config();
    labels_ = config.id2label;
    function_ = heads::default_score_function(config.problem_type, labels_.size());
    if (!flags_.function.empty()) function_ = *heads::parse_score_function(flags_.function);
  }

  void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) override {
    EncoderBatch batch;
    for (const InputRecord* record : records) {
      const std::string* pair = record->has("text_pair") ? &record->text("text_pair")
                                : flags_.pair.empty()      ? nullptr
                                                           : &flags_.pair;
      add_to_batch(batch, encode_truncated(session_, *options_, truncation_warning_, record->text(), pair));
    }
    Tensor logits = session_.model->sequence_classification_logits(batch);
    const size_t num_labels = static_cast<size_t>(logits.dim(1));
    for (size_t i = 0; i < records.size(); ++i) {
      auto scores = heads::score_labels({logits.row(static_cast<int64_t>(i)), num_labels}, function_, labels_);
      Record& out = outcomes[i].record;
      if (flags_.top_k == 0 && !flags_.all_scores) {
        out["label"] = scores[0].label;
        out["score"] = round_score(scores[0].score);
        continue;
      }
      size_t keep = flags_.all_scores ? scores.size() : std::min(flags_.top_k, scores.size());
      Record list = Record::array();
      for (size_t k = 0; k < keep; ++k) list.push_back({{"label", scores[k].label}, {"score", round_score(scores[k].score)}});
      out["labels"] = std::move(list);
    }
  }

  std::string text_line(const Record& record) const override {
    if (record.contains("label")) return fmt::format("{} {}", record["label"].get<std::string>(), json_text(record["score"]));
    std::string line;
    for (const auto& l : record["labels"])
      line += fmt::format("{}{} {}", line.empty() ? "" : ", ", l["label"].get<std::string>(), json_text(l["score"]));
    return line;
  }
  std::vector<std::string> tsv_header() const override { return {"label", "score"}; }
  std::vector<std::vector<std::string>> tsv_rows(const Record& record) const override {
    if (record.contains("label")) return {{tsv_field(record["label"].get<std::string>()), json_text(record["score"])}};
    std::vector<std::vector<std::string>> rows;
    for (const auto& l : record["labels"]) rows.push_back({tsv_field(l["label"].get<std::string>()), json_text(l["score"])});
    return rows;
  }

 private:
  const ClassifyFlags& flags_;
  const GlobalOptions* options_ = nullptr;
  EncoderSession session_;
  std::vector<std::string> labels_;
  heads::ScoreFunction function_ = heads::ScoreFunction::softmax;
  OnceWarning truncation_warning_;
};

}  // namespace

void register_classify(CommandLine& cli) {
  auto flags = std::make_shared<ClassifyFlags>();
  auto* app = cli.root.add_subcommand("classify", "Text classification: sentiment, topics, NLI pairs");
  app->footer(fmt::format("Default model: {}", kDefaultModel));
  add_inputs(*app, flags->inputs);
  app->add_option("--top-k", flags->top_k, "Print the N best labels as {\"labels\": [...]}")->check(CLI::PositiveNumber);
  app->add_flag("--all-scores", flags->all_scores, "Print every label as {\"labels\": [...]}, best first");
  app->add_option("--function", flags->function, "Score function (default: as transformers, from the config)")
      ->check(CLI::IsMember({"softmax", "sigmoid", "none"}));
  app->add_option("--pair", flags->pair, "Second text of a pair, for every input (JSONL: text_pair)");
  cli.subcommands.push_back({app, [flags, &options = cli.options]() {
                               ClassifyTask task(*flags);
                               return run_task(task, options, flags->inputs);
                             }});
}

}  // namespace xfmr::cli
