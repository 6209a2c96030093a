// Building one input's processor chain in transformers' order (_get_logits_processor).
#include <algorithm>

#include "generate/processors.hpp"

namespace xfmr::gen {

Scratch::Scratch(int32_t vocab_size)
    : values(static_cast<size_t>(vocab_size)),
      order(static_cast<size_t>(vocab_size)),
      weights(static_cast<size_t>(vocab_size)),
      stamps_(static_cast<size_t>(vocab_size), 0) {}

void Scratch::clear_marks() {
  if (++stamp_ == 0) {
    std::fill(stamps_.begin(), stamps_.end(), 0);
    stamp_ = 1;
  }
}

bool Scratch::mark(int32_t id) {
  uint32_t& stamp = stamps_[static_cast<size_t>(id)];
  if (stamp == stamp_) return false;
  stamp = stamp_;
  return true;
}

namespace {

void add_warpers(ProcessorChain& chain, const GenerationConfig& config) {
  // Beam sampling keeps one token more than there are EOS ids, so that every beam can go on.
  int32_t min_keep = 1;
  if (config.num_beams > 1)
    min_keep = config.eos_token_id.empty() ? 2 : static_cast<int32_t>(config.eos_token_id.size()) + 1;
  if (config.temperature != 1.0) chain.add(std::make_unique<Temperature>(config.temperature));
  if (config.top_k != 0) chain.add(std::make_unique<TopK>(config.top_k, min_keep));
  if (config.top_p < 1.0) chain.add(std::make_unique<TopP>(config.top_p, min_keep));
  if (config.min_p) chain.add(std::make_unique<MinP>(*config.min_p, min_keep));
  if (config.typical_p < 1.0) chain.add(std::make_unique<Typical>(config.typical_p, min_keep));
  if (config.epsilon_cutoff > 0.0 && config.epsilon_cutoff < 1.0)
    chain.add(std::make_unique<ProbabilityCutoff>(ProbabilityCutoff::Kind::epsilon, config.epsilon_cutoff, min_keep));
  if (config.eta_cutoff > 0.0 && config.eta_cutoff < 1.0)
    chain.add(std::make_unique<ProbabilityCutoff>(ProbabilityCutoff::Kind::eta, config.eta_cutoff, min_keep));
}

}  // namespace

ProcessorChain build_chain(const GenerationConfig& config, const LengthLimits& limits, int32_t prompt_length,
                           std::span<const int32_t> encoder_tokens) {
  ProcessorChain chain;
  const auto& eos = config.eos_token_id;
  if (!config.sequence_bias.empty()) {
    std::vector<std::pair<std::vector<int32_t>, float>> entries;
    for (const auto& [ids, bias] : config.sequence_bias) entries.emplace_back(ids, static_cast<float>(bias));
    chain.add(std::make_unique<SequenceBias>(std::move(entries)));
  }
  if (config.repetition_penalty != 1.0) chain.add(std::make_unique<RepetitionPenalty>(config.repetition_penalty));
  if (config.no_repeat_ngram_size > 0) chain.add(std::make_unique<NoRepeatNGram>(config.no_repeat_ngram_size));
  if (config.encoder_no_repeat_ngram_size > 0) {
    chain.add(std::make_unique<EncoderNoRepeatNGram>(
        config.encoder_no_repeat_ngram_size, std::vector<int32_t>(encoder_tokens.begin(), encoder_tokens.end())));
  }
  if (!config.bad_words_ids.empty()) {
    if (auto bad_words = make_bad_words(config.bad_words_ids, eos)) chain.add(std::move(bad_words));
  }
  // transformers adds MinLength and MinNewTokensLength; with min_new_tokens set both ban EOS
  // below prompt + min_new_tokens (resolve_lengths), so one processor does.
  if (!eos.empty() && limits.min_length > 0) chain.add(std::make_unique<MinLength>(limits.min_length, eos));
  if (config.forced_bos_token_id) chain.add(std::make_unique<ForcedBos>(*config.forced_bos_token_id));
  if (!config.forced_eos_token_id.empty())
    chain.add(std::make_unique<ForcedEos>(limits.max_length, config.forced_eos_token_id));
  if (config.remove_invalid_values) chain.add(std::make_unique<InfNanRemove>());
  if (!config.suppress_tokens.empty()) chain.add(std::make_unique<SuppressTokens>(config.suppress_tokens));
  if (!config.begin_suppress_tokens.empty()) {
    // With a one-token prompt and a forced BOS, the first free position comes one later.
    const int32_t begin = prompt_length > 1 || !config.forced_bos_token_id ? prompt_length : prompt_length + 1;
    chain.add(std::make_unique<SuppressTokens>(config.begin_suppress_tokens, begin));
  }
  if (config.do_sample) add_warpers(chain, config);
  if (config.renormalize_logits) chain.add(std::make_unique<LogSoftmax>());
  return chain;
}

}  // namespace xfmr::gen
