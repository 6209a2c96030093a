// xfmr fill-mask: the likeliest tokens for each mask, as transformers' fill-mask pipeline.
#include <fmt/format.h>

#include "cli/commands/encoder_inputs.hpp"
#include "cli/io/json_text.hpp"
#include "cli/io/record_writer.hpp"
#include "cli/subcommand.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"
#include "heads/fill_mask.hpp"

namespace xfmr::cli {

namespace {

constexpr const char* kDefaultModel = "distilbert/distilroberta-base";

struct FillMaskFlags {
  std::vector<std::string> inputs;
  size_t top_k = 5;
  std::vector<std::string> targets;
};

class FillMaskTask final : public Task {
 public:
  explicit FillMaskTask(const FillMaskFlags& flags) : flags_(flags) {}

  void prepare(const GlobalOptions& options) override {
    options_ = &options;
    session_ = load_encoder(options, kDefaultModel, EncoderHead::masked_lm, "fill-mask");
    mask_id_ = session_.tokenizer->special_ids().mask;
    if (!mask_id_) throw ModelError(fmt::format("{}: the tokenizer has no mask token", session_.folder.string()));
    if (!flags_.targets.empty()) {
      std::vector<std::string> warnings;
      target_ids_ = heads::resolve_targets(flags_.targets, *session_.tokenizer, warnings);
      if (!options.quiet)
        for (const auto& w : warnings) fmt::print(stderr, "xfmr: warning: {}\n", w);
    }
  }

  void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) override {
    std::vector<tok::Encoding> encodings;
    std::vector<std::vector<size_t>> masks(records.size());
    std::vector<int64_t> rows;
    EncoderBatch batch;
    for (size_t i = 0; i < records.size(); ++i) {
      encodings.push_back(encode_truncated(session_, *options_, truncation_warning_, records[i]->text()));
      const auto& ids = encodings.back().ids;
      for (size_t t = 0; t < ids.size(); ++t)
        if (ids[t] == *mask_id_) {
          masks[i].push_back(t);
          rows.push_back(batch.tokens() + static_cast<int64_t>(t));
        }
      if (masks[i].empty())
        throw InputError(fmt::format("no mask token {} in the input", session_.tokenizer->id_to_token(*mask_id_)));
      add_to_batch(batch, encodings.back());
    }
    Tensor logits = session_.model->masked_lm_logits(batch, rows);  // [masks, vocab]
    const size_t vocab = static_cast<size_t>(logits.dim(1));
    size_t row = 0;
    for (size_t i = 0; i < records.size(); ++i) {
      std::span<const float> mine{logits.row(static_cast<int64_t>(row)), masks[i].size() * vocab};
      row += masks[i].size();
      auto predictions = heads::fill_masks(encodings[i].ids, masks[i], mine, vocab, *session_.tokenizer, flags_.top_k,
                                           target_ids_);
      Record lists = Record::array();
      for (const auto& list : predictions) {
        Record out = Record::array();
        for (const auto& p : list)
          out.push_back({{"score", round_score(p.score)}, {"token", p.token}, {"token_str", p.token_str}, {"sequence", p.sequence}});
        lists.push_back(std::move(out));
      }
      outcomes[i].record["predictions"] = lists.size() == 1 ? std::move(lists[0]) : std::move(lists);
    }
  }

  std::string text_line(const Record& record) const override {
    const auto& predictions = record["predictions"];
    bool several = !predictions.empty() && predictions[0].is_array();
    std::string line;
    auto one_list = [&](const Record& list) {
      std::string part;
      for (const auto& p : list) part += fmt::format("{}{} {}", part.empty() ? "" : ", ", p["token_str"].get<std::string>(), json_text(p["score"]));
      return part;
    };
    if (!several) return one_list(predictions);
    for (const auto& list : predictions) line += (line.empty() ? "" : " | ") + one_list(list);
    return line;
  }
  std::vector<std::string> tsv_header() const override { return {"mask", "token_str", "score", "token", "sequence"}; }
  std::vector<std::vector<std::string>> tsv_rows(const Record& record) const override {
    const auto& predictions = record["predictions"];
    bool several = !predictions.empty() && predictions[0].is_array();
    std::vector<std::vector<std::string>> rows;
    for (size_t m = 0; m < (several ? predictions.size() : 1); ++m)
      for (const auto& p : several ? predictions[m] : predictions)
        rows.push_back({std::to_string(m), tsv_field(p["token_str"].get<std::string>()), json_text(p["score"]),
                        std::to_string(p["token"].get<int64_t>()), tsv_field(p["sequence"].get<std::string>())});
    return rows;
  }

 private:
  const FillMaskFlags& flags_;
  const GlobalOptions* options_ = nullptr;
  EncoderSession session_;
  std::optional<int32_t> mask_id_;
  std::vector<int32_t> target_ids_;
  OnceWarning truncation_warning_;
};

}  // namespace

void register_fill_mask(CommandLine& cli) {
  auto flags = std::make_shared<FillMaskFlags>();
  auto* app = cli.root.add_subcommand("fill-mask", "The likeliest tokens for the mask token(s) of each input");
  app->footer(fmt::format("Several masks in one input give one list per mask.\nDefault model: {}", kDefaultModel));
  add_inputs(*app, flags->inputs);
  app->add_option("--top-k", flags->top_k, "Predictions per mask")->check(CLI::PositiveNumber)->capture_default_str();
  app->add_option("--targets", flags->targets, "Only score these tokens (comma-separated)")->delimiter(',');
  cli.subcommands.push_back({app, [flags, &options = cli.options]() {
                               FillMaskTask task(*flags);
                               return run_task(task, options, flags->inputs);
                             }});
}

}  // namespace xfmr::cli
