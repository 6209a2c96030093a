// xfmr tokenize: text → input_ids, tokens, masks and offsets; --decode: ids → text.
#include <charconv>

#include <fmt/format.h>

#include "cli/model_resolution.hpp"
#include "cli/subcommand.hpp"
#include "cli/task.hpp"
#include "core/error.hpp"
#include "tokenize/tokenizer.hpp"

namespace xfmr::cli {

namespace {

struct TokenizeFlags {
  std::vector<std::string> inputs;
  std::string pair;
  bool has_pair = false;
  bool no_special_tokens = false;
  bool truncation = false;
  bool padding = false;
  std::string padding_side;
  bool decode = false;
  bool skip_special_tokens = false;
};

// Ids given as a JSON array or as integers separated by spaces or commas.
std::vector<int32_t> parse_ids(const nlohmann::json& field) {
  std::vector<int32_t> ids;
  if (field.is_array()) {
    for (const auto& v : field) {
      if (!v.is_number_integer()) throw InputError("ids must be integers");
      ids.push_back(v.get<int32_t>());
    }
    return ids;
  }
  if (!field.is_string()) throw InputError("ids must be a JSON array or a string of integers");
  const std::string& text = field.get_ref<const std::string&>();
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    if (*p == ' ' || *p == ',' || *p == '\t' || *p == '[' || *p == ']') {
      ++p;
      continue;
    }
    int32_t id = 0;
    auto [next, ec] = std::from_chars(p, end, id);
    if (ec != std::errc()) throw InputError(fmt::format("not a token id: {}", std::string(p, std::min<size_t>(end - p, 20))));
    ids.push_back(id);
    p = next;
  }
  return ids;
}

std::string join_ints(const auto& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? " " : "") + std::to_string(values[i]);
  return out;
}

class TokenizeTask final : public Task {
 public:
  explicit TokenizeTask(const TokenizeFlags& flags) : flags_(flags) {}

  void prepare(const GlobalOptions& options) override {
    if (options.model.empty()) {
      tokenizer_ = tok::Tokenizer::embedded_default();
    } else {
      tokenizer_ = tok::Tokenizer::from_folder(resolve_model({options.model, options.revision}));
    }
    encode_.add_special_tokens = !flags_.no_special_tokens;
    if (flags_.truncation) {
      encode_.max_length = options.max_length ? options.max_length : tokenizer_->model_max_length();
      if (encode_.max_length == 0) throw UsageError("--truncation needs --max-length N (the tokenizer sets no maximum)");
    } else if (options.max_length && !flags_.padding) {
      throw UsageError("--max-length on tokenize needs --truncation or --padding");
    }
    if (flags_.padding) {
      pad_length_ = options.max_length;
      if (pad_length_ == 0) throw UsageError("--padding needs --max-length N");
      if (!tokenizer_->special_ids().pad) throw UsageError("--padding: this tokenizer has no pad token");
      side_ = tokenizer_->padding_side();
      if (flags_.padding_side == "left") side_ = tok::PaddingSide::left;
      if (flags_.padding_side == "right") side_ = tok::PaddingSide::right;
    }
  }

  void run(std::span<const InputRecord* const> records, std::span<Outcome> outcomes) override {
    for (size_t i = 0; i < records.size(); ++i) {
      try {
        outcomes[i].record = flags_.decode ? decode(*records[i]) : encode(*records[i]);
      } catch (const InputError& e) {
        outcomes[i].error = e.what();
      }
    }
  }

  std::string text_line(const Record& record) const override {
    if (flags_.decode) return record["text"].get<std::string>();
    std::string line;
    const auto& tokens = record["tokens"];
    const auto& ids = record["input_ids"];
    for (size_t i = 0; i < tokens.size(); ++i)
      line += fmt::format("{}{}({})", i ? " " : "", tokens[i].get<std::string>(), ids[i].get<int64_t>());
    return line;
  }
  std::vector<std::string> tsv_header() const override {
    if (flags_.decode) return {"text"};
    return {"input_ids", "tokens", "attention_mask", "token_type_ids", "offsets"};
  }
  std::vector<std::vector<std::string>> tsv_rows(const Record& record) const override {
    if (flags_.decode) return {{tsv_field(record["text"].get<std::string>())}};
    std::string tokens, offsets;
    for (const auto& t : record["tokens"]) tokens += (tokens.empty() ? "" : " ") + tsv_field(t.get<std::string>());
    for (const auto& o : record["offsets"])
      offsets += fmt::format("{}{}-{}", offsets.empty() ? "" : " ", o[0].get<int64_t>(), o[1].get<int64_t>());
    return {{join_ints(record["input_ids"].get<std::vector<int64_t>>()), tokens,
             join_ints(record["attention_mask"].get<std::vector<int64_t>>()),
             join_ints(record["token_type_ids"].get<std::vector<int64_t>>()), offsets}};
  }

 private:
  Record encode(const InputRecord& input) const {
    const std::string& text = input.text("text");
    std::optional<std::string> pair;
    if (input.has("text_pair")) pair = input.text("text_pair");
    else if (flags_.has_pair) pair = flags_.pair;
    tok::Encoding encoding = pair ? tokenizer_->encode_pair(text, *pair, encode_) : tokenizer_->encode(text, encode_);
    if (flags_.padding) {
      std::vector<tok::Encoding> one;
      one.push_back(std::move(encoding));
      tok::pad(one, *tokenizer_->special_ids().pad, side_, pad_length_);
      encoding = std::move(one[0]);
    }
    Record record = Record::object();
    record["input_ids"] = encoding.ids;
    record["tokens"] = encoding.tokens;
    record["attention_mask"] = encoding.attention_mask;
    record["token_type_ids"] = encoding.type_ids;
    Record offsets = Record::array();
    for (const auto& o : encoding.offsets) offsets.push_back({o.start, o.end});
    record["offsets"] = std::move(offsets);
    return record;
  }

  Record decode(const InputRecord& input) const {
    const nlohmann::json* field = nullptr;
    for (const char* name : {"input_ids", "ids", "text"})
      if (input.has(name)) {
        field = &input.fields[name];
        break;
      }
    if (!field) throw InputError("missing field \"input_ids\"");
    std::vector<int32_t> ids = parse_ids(*field);
    const int32_t vocab = static_cast<int32_t>(tokenizer_->vocab_size());
    for (int32_t id : ids)
      if (id < 0 || id >= vocab) throw InputError(fmt::format("token id {} is outside the vocabulary (0..{})", id, vocab - 1));
    Record record = Record::object();
    record["text"] = tokenizer_->decode(ids, flags_.skip_special_tokens);
    return record;
  }

  const TokenizeFlags& flags_;
  std::unique_ptr<tok::Tokenizer> tokenizer_;
  tok::EncodeOptions encode_;
  size_t pad_length_ = 0;
  tok::PaddingSide side_ = tok::PaddingSide::right;
};

}  // namespace

void register_tokenize(CommandLine& cli) {
  auto flags = std::make_shared<TokenizeFlags>();
  auto* app = cli.root.add_subcommand("tokenize", "Token ids, tokens, masks and offsets of each input (default: bert-base-uncased)");
  add_inputs(*app, flags->inputs);
  app->add_option("--pair", flags->pair, "Second text of a pair, for every input (JSONL: text_pair)")
      ->each([f = flags.get()](const std::string&) { f->has_pair = true; });
  app->add_flag("--no-special-tokens", flags->no_special_tokens, "Do not add [CLS], [SEP], <s>, </s> ...");
  app->add_flag("--truncation", flags->truncation, "Truncate to --max-length (default: the tokenizer's maximum)");
  app->add_flag("--padding", flags->padding, "Pad to --max-length");
  app->add_option("--padding-side", flags->padding_side, "Where padding goes (default: the tokenizer's side)")
      ->check(CLI::IsMember({"left", "right"}));
  app->add_flag("--decode", flags->decode, "Turn ids (JSON arrays or space-separated) back into text");
  app->add_flag("--skip-special-tokens", flags->skip_special_tokens, "With --decode: drop special tokens");
  cli.subcommands.push_back({app, [flags, &options = cli.options]() {
                               TokenizeTask task(*flags);
                               return run_task(task, options, flags->inputs);
                             }});
}

}  // namespace xfmr::cli
