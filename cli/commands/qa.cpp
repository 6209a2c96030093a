// xfmr qa: extractive question answering, as transformers' (4.x)
// question-answering pipeline, with document striding over long contexts.
#include <fmt/format.h>

#include "cli/commands/encoder_inputs.hpp"
#include "cli/io/json_text.hpp"
#include "cli/io/record_writer.hpp"
#include "cli/model_session.hpp"
#include "cli/subcommand.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"
#include "heads/question_answering.hpp"

namespace xfmr::cli {

namespace {

constexpr const char* kDefaultModel = "distilbert/distilbert-base-cased-distilled-squad";

struct QaFlags {
  std::vector<std::string> inputs;
  std::string question;
  std::string context;
  size_t top_k = 0;  // 0: the best answer as one object
  size_t max_seq_len = 384;
  size_t doc_stride = 0;  // 0: min(max_seq_len / 2, 128)
  size_t max_answer_len = 15;
  bool handle_impossible_answer = false;
};

class QaTask final : public Task {
 public:
  explicit QaTask(const QaFlags& flags) : flags_(flags) {}

  std::string line_field() const override { return "context"; }

  void prepare(const GlobalOptions& options) override {
    session_ = load_encoder(options, kDefaultModel, EncoderHead::question_answering, "qa");
    encode_.max_length = std::min(flags_.max_seq_len, session_.max_tokens);
    encode_.stride = flags_.doc_stride ? flags_.doc_stride : std::min<size_t>(encode_.max_length / 2, 128);
    if (encode_.stride >= encode_.max_length)
      throw UsageError(fmt::format("--doc-stride {} must be smaller than --max-seq-len {}", encode_.stride, encode_.max_length));
    encode_.truncation = tok::Truncation::only_second;
    encode_.return_overflowing = true;
    qa_.top_k = std::max<size_t>(1, flags_.top_k);
    qa_.max_answer_len = flags_.max_answer_len;
    qa_.handle_impossible_answer = flags_.handle_impossible_answer;
  }

  void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) override {
    std::vector<std::vector<tok::Encoding>> chunks(records.size());
    EncoderBatch batch;
    for (size_t i = 0; i < records.size(); ++i) {
      const std::string& question = question_of(*records[i]);
      chunks[i] = add_chunks(batch, session_.tokenizer->encode_pair(question, records[i]->text("context"), encode_));
    }
    Tensor hidden = session_.model->forward(batch);
    Tensor logits = session_.model->question_answering_logits(hidden);  // [tokens, 2]
    int64_t sequence = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      std::vector<std::vector<float>> starts, ends;
      for (const auto& c : chunks[i]) {
        int64_t row = batch.begin(sequence++);
        std::vector<float> s(c.size()), e(c.size());
        for (size_t t = 0; t < c.size(); ++t) {
          s[t] = logits.row(row + static_cast<int64_t>(t))[0];
          e[t] = logits.row(row + static_cast<int64_t>(t))[1];
        }
        starts.push_back(std::move(s));
        ends.push_back(std::move(e));
      }
      std::vector<heads::QaChunk> views;
      for (size_t c = 0; c < chunks[i].size(); ++c) views.push_back({&chunks[i][c], starts[c], ends[c]});
      auto answers = heads::extract_answers(records[i]->text("context"), views, session_.tokenizer->special_ids().cls, qa_);
      Record& out = outcomes[i].record;
      if (flags_.top_k == 0) {
        if (answers.empty()) {
          outcomes[i].error = "no answer span found in the context";
          continue;
        }
        out = answer_record(answers[0]);
      } else {
        Record list = Record::array();
        for (const auto& a : answers) list.push_back(answer_record(a));
        out["answers"] = std::move(list);
      }
    }
  }

  std::string text_line(const Record& record) const override {
    if (!record.contains("answers")) return answer_text(record);
    std::string line;
    for (const auto& a : record["answers"]) line += (line.empty() ? "" : " | ") + answer_text(a);
    return line;
  }
  std::vector<std::string> tsv_header() const override { return {"answer", "score", "start", "end"}; }
  std::vector<std::vector<std::string>> tsv_rows(const Record& record) const override {
    std::vector<std::vector<std::string>> rows;
    auto row = [](const Record& a) {
      return std::vector<std::string>{tsv_field(a["answer"].get<std::string>()), json_text(a["score"]),
                                      std::to_string(a["start"].get<int64_t>()), std::to_string(a["end"].get<int64_t>())};
    };
    if (!record.contains("answers")) return {row(record)};
    for (const auto& a : record["answers"]) rows.push_back(row(a));
    return rows;
  }

 private:
  const std::string& question_of(const InputRecord& record) const {
    if (record.has("question")) return record.text("question");
    if (!flags_.question.empty()) return flags_.question;
    throw InputError("missing field \"question\" (or give --question)");
  }
  static Record answer_record(const heads::Answer& a) {
    return Record{{"answer", a.answer}, {"score", round_score(a.score)}, {"start", a.start}, {"end", a.end}};
  }
  static std::string answer_text(const Record& a) {
    return fmt::format("{} ({}, {}-{})", a["answer"].get<std::string>(), json_text(a["score"]), a["start"].get<int64_t>(),
                       a["end"].get<int64_t>());
  }

  const QaFlags& flags_;
  EncoderSession session_;
  tok::EncodeOptions encode_;
  heads::QaOptions qa_;
};

}  // namespace

void register_qa(CommandLine& cli) {
  auto flags = std::make_shared<QaFlags>();
  auto* app = cli.root.add_subcommand("qa", "Extractive question answering: the span of the context that answers");
  app->footer(fmt::format(
      "Inputs: --question Q --context C; or --question Q with one context per line; or --input jsonl with "
      "\"question\" and \"context\".\nDefault model: {}",
      kDefaultModel));
  add_inputs(*app, flags->inputs);
  app->add_option("--question", flags->question, "The question, for every context");
  app->add_option("--context", flags->context, "The context (instead of INPUT or standard input)");
  app->add_option("--top-k", flags->top_k, "Print the N best answers as {\"answers\": [...]}")->check(CLI::PositiveNumber);
  app->add_option("--max-seq-len", flags->max_seq_len, "Tokens per chunk (question and context)")
      ->check(CLI::Range(8, 100000))
      ->capture_default_str();
  app->add_option("--doc-stride", flags->doc_stride, "Context tokens shared by consecutive chunks (default: min(max-seq-len/2, 128))");
  app->add_option("--max-answer-len", flags->max_answer_len, "Longest answer, in tokens")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->add_flag("--handle-impossible-answer", flags->handle_impossible_answer, "Allow the empty answer");
  cli.subcommands.push_back({app, [flags, &options = cli.options]() {
                               QaTask task(*flags);
                               std::vector<std::string> inputs = flags->inputs;
                               if (!flags->context.empty()) inputs.insert(inputs.begin(), flags->context);
                               return run_task(task, options, inputs);
                             }});
}

}  // namespace xfmr::cli
