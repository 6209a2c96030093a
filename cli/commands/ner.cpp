// xfmr ner: token classification with entity aggregation, as transformers'
// token-classification pipeline; long texts run as overlapping chunks.
#include <fmt/format.h>

#include "cli/commands/encoder_inputs.hpp"
#include "cli/io/json_text.hpp"
#include "cli/io/record_writer.hpp"
#include "cli/model_session.hpp"
#include "cli/subcommand.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"
#include "heads/token_classification.hpp"

namespace xfmr::cli {

namespace {

constexpr const char* kDefaultModel = "dbmdz/bert-large-cased-finetuned-conll03-english";

struct NerFlags {
  std::vector<std::string> inputs;
  std::string aggregation = "simple";
  std::vector<std::string> ignore_labels{"O"};
  size_t stride = 128;
};

class NerTask final : public Task {
 public:
  explicit NerTask(const NerFlags& flags) : flags_(flags) {}

  void prepare(const GlobalOptions& options) override {
    session_ = load_encoder(options, kDefaultModel, EncoderHead::token_classification, "ner");
    aggregation_ = *heads::parse_aggregation(flags_.aggregation);
    if ((aggregation_ == heads::Aggregation::first || aggregation_ == heads::Aggregation::average ||
         aggregation_ == heads::Aggregation::max) &&
        !session_.tokenizer->continuing_subword_prefix() && !options.quiet)
      fmt::print(stderr, "xfmr: warning: this tokenizer does not mark subwords; words are guessed from spaces\n");
    encode_.max_length = session_.max_tokens;
    encode_.return_overflowing = true;
    // The chunks must advance: at least one new token each.
    encode_.stride = std::min(flags_.stride, session_.max_tokens / 2);
  }

  void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) override {
    std::vector<std::vector<tok::Encoding>> chunks(records.size());
    EncoderBatch batch;
    for (size_t i = 0; i < records.size(); ++i) {
      chunks[i] = add_chunks(batch, session_.tokenizer->encode(records[i]->text(), encode_));
    }
    Tensor hidden = session_.model->forward(batch);
    Tensor logits = session_.model->token_classification_logits(hidden);
    const auto& labels = session_.model->config().id2label;
    const size_t num_labels = static_cast<size_t>(logits.dim(1));
    int64_t sequence = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      std::vector<heads::TokenChunk> views;
      for (const auto& c : chunks[i]) {
        const float* rows = logits.row(batch.begin(sequence++));
        views.push_back({&c, {rows, c.size() * num_labels}});
      }
      auto entities = heads::extract_entities(records[i]->text(), views, *session_.tokenizer, labels, aggregation_,
                                              flags_.ignore_labels);
      Record list = Record::array();
      for (const auto& e : entities) {
        Record entity = Record::object();
        entity[aggregation_ == heads::Aggregation::none ? "entity" : "entity_group"] = e.label;
        entity["score"] = round_score(e.score);
        if (aggregation_ == heads::Aggregation::none) entity["index"] = e.index;
        entity["word"] = e.word;
        entity["start"] = e.start;
        entity["end"] = e.end;
        list.push_back(std::move(entity));
      }
      outcomes[i].record["entities"] = std::move(list);
    }
  }

  std::string text_line(const Record& record) const override {
    std::string line;
    for (const auto& e : record["entities"])
      line += fmt::format("{}{} {} {}-{}", line.empty() ? "" : ", ", label(e), e["word"].get<std::string>(),
                          e["start"].get<int64_t>(), e["end"].get<int64_t>());
    return line;
  }
  std::vector<std::string> tsv_header() const override { return {"entity", "score", "word", "start", "end"}; }
  std::vector<std::vector<std::string>> tsv_rows(const Record& record) const override {
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : record["entities"])
      rows.push_back({tsv_field(label(e)), json_text(e["score"]), tsv_field(e["word"].get<std::string>()),
                      std::to_string(e["start"].get<int64_t>()), std::to_string(e["end"].get<int64_t>())});
    return rows;
  }

 private:
  static std::string label(const Record& entity) {
    return (entity.contains("entity_group") ? entity["entity_group"] : entity["entity"]).get<std::string>();
  }

  const NerFlags& flags_;
  EncoderSession session_;
  heads::Aggregation aggregation_ = heads::Aggregation::simple;
  tok::EncodeOptions encode_;
};

}  // namespace

void register_ner(CommandLine& cli) {
  auto flags = std::make_shared<NerFlags>();
  auto* app = cli.root.add_subcommand("ner", "Named entities (and other token labels) with character offsets");
  app->footer(fmt::format("Default model: {}", kDefaultModel));
  add_inputs(*app, flags->inputs);
  app->add_option("--aggregation", flags->aggregation, "How tokens are merged into entities")
      ->check(CLI::IsMember({"none", "simple", "first", "average", "max"}))
      ->capture_default_str();
  app->add_option("--ignore-labels", flags->ignore_labels, "Labels left out of the output (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  app->add_option("--stride", flags->stride, "Tokens shared by consecutive chunks of a long text")
      ->capture_default_str();
  cli.subcommands.push_back({app, [flags, &options = cli.options]() {
                               NerTask task(*flags);
                               return run_task(task, options, flags->inputs);
                             }});
}

}  // namespace xfmr::cli
