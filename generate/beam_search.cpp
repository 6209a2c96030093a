// Beam search and beam sampling, following transformers 4.48 `_beam_search` with its
// BeamSearchScorer step by step, for each input on its own:
//   scores = processors(log_softmax(logits)) + running beam score        (per beam row)
//   candidates = top max(2, 1 + #eos) * num_beams of num_beams x vocab   (or sampled)
//   walking the candidates best first: an EOS among the first num_beams closes a hypothesis
//   (score / generated_len ** length_penalty); other tokens extend the next beams until
//   num_beams are chosen. The input is done when BeamHypotheses::is_done says so; at its
//   max_length the running beams are added as hypotheses too.
#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "generate/beam_hypotheses.hpp"
#include "generate/processors/row_math.hpp"
#include "generate/sampling.hpp"
#include "generate/strategies.hpp"

namespace xfmr::gen::detail {

namespace {

struct Candidate {
  float score;
  int64_t flat;  // beam * vocab + token
};

bool better(const Candidate& a, const Candidate& b) {
  return a.score > b.score || (a.score == b.score && a.flat < b.flat);
}

void log_softmax(std::span<float> row) {
  const float top = row_max(row);
  if (top == kMinusInf) return;
  const auto log_sum = static_cast<float>(log_sum_exp(row) - static_cast<double>(top));
  for (float& s : row) s = (s - top) - log_sum;
}

// The k best of (row[v] + beam_score), flat indices offset by `first_flat`, into `out`
// (k slots, best first). Returns how many were filled (fewer when the row is shorter).
// Blocks whose best score cannot enter are skipped after one vectorised max.
size_t row_top_k(std::span<const float> row, float beam_score, int64_t first_flat, std::span<Candidate> out) {
  constexpr size_t kBlock = 16;
  const size_t k = out.size();
  size_t filled = 0;
  auto offer = [&](size_t v) {
    const float score = row[v] + beam_score;
    if (std::isnan(score)) return;
    const Candidate candidate{score, first_flat + static_cast<int64_t>(v)};
    // Later tokens have larger flat indices: a tie with the last kept is not better.
    if (filled == k && !better(candidate, out[k - 1])) return;
    size_t at = filled < k ? filled++ : k - 1;
    while (at > 0 && better(candidate, out[at - 1])) {
      out[at] = out[at - 1];
      --at;
    }
    out[at] = candidate;
  };
  size_t v = 0;
  for (; v + kBlock <= row.size(); v += kBlock) {
    if (filled == k && row_max(row.subspan(v, kBlock)) + beam_score <= out[k - 1].score) continue;
    for (size_t j = v; j < v + kBlock; ++j) offer(j);
  }
  for (; v < row.size(); ++v) offer(v);
  return filled;
}

bool is_eos(int32_t token, const std::vector<int32_t>& eos) {
  return std::find(eos.begin(), eos.end(), token) != eos.end();
}

struct BeamInput {
  std::vector<float> beam_scores;
  BeamHypotheses hypotheses;
  size_t candidates_to_keep = 0;
  bool finished = false;
  bool done = false;
};

// Buffers reused by every step and input.
struct BeamWork {
  std::vector<Candidate> pool;        // [beams * keep]: per-row bests
  std::vector<Candidate> candidates;  // [keep]
  std::vector<int64_t> drawn;         // [keep]
  std::vector<float> weights;         // [beams * vocab] for beam sampling
  std::vector<int32_t> positive;      // [beams * vocab] for beam sampling
  std::vector<int32_t> new_tokens, new_parents;
  std::vector<float> new_scores;
};

size_t select_top(std::span<const float> scores, const BeamInput& state, size_t beams, size_t vocab, BeamWork& work) {
  const size_t keep = state.candidates_to_keep;
  size_t pooled = 0;
  for (size_t b = 0; b < beams; ++b) {
    const std::span<Candidate> slots(work.pool.data() + pooled, keep);
    pooled += row_top_k(scores.subspan(b * vocab, vocab), state.beam_scores[b], static_cast<int64_t>(b * vocab), slots);
  }
  const size_t take = std::min(keep, pooled);
  std::partial_sort(work.pool.begin(), work.pool.begin() + static_cast<std::ptrdiff_t>(take),
                    work.pool.begin() + static_cast<std::ptrdiff_t>(pooled), better);
  std::copy_n(work.pool.begin(), take, work.candidates.begin());
  return take;
}

// Beam sampling: the scores of all beams already include their beam score.
size_t select_sampled(std::span<const float> scores, BeamInput& state, Rng& rng, BeamWork& work) {
  const size_t keep = state.candidates_to_keep;
  const std::span<int64_t> drawn(work.drawn.data(), keep);
  size_t count = sample_distinct(scores, work.weights, work.positive, rng, drawn);
  // Fewer tokens with non-zero probability than needed (torch would raise): complete
  // with the best-scoring tokens left.
  while (count < keep) {
    int64_t best = -1;
    for (size_t i = 0; i < scores.size(); ++i) {
      const auto flat = static_cast<int64_t>(i);
      if (std::find(drawn.begin(), drawn.begin() + static_cast<std::ptrdiff_t>(count), flat) !=
          drawn.begin() + static_cast<std::ptrdiff_t>(count))
        continue;
      if (best < 0 || scores[i] > scores[static_cast<size_t>(best)]) best = flat;
    }
    if (best < 0) break;
    drawn[count++] = best;
  }
  for (size_t i = 0; i < count; ++i) work.candidates[i] = {scores[static_cast<size_t>(drawn[i])], drawn[i]};
  std::sort(work.candidates.begin(), work.candidates.begin() + static_cast<std::ptrdiff_t>(count), better);
  return count;
}

}  // namespace

std::vector<DecodedInput> run_beam_search(StepModel& model, std::vector<PreparedInput>& inputs) {
  const int32_t beam_count = inputs.front().config->num_beams;
  const auto beams = static_cast<size_t>(beam_count);
  const auto vocab = static_cast<size_t>(model.vocab_size());
  const size_t rows = inputs.size() * beams;

  RowSequences sequences(inputs, beam_count);
  std::vector<float> logits(rows * vocab);
  std::vector<int32_t> next(rows, 0), parents(rows, 0);
  Scratch scratch(static_cast<int32_t>(vocab));

  std::vector<BeamInput> state;
  state.reserve(inputs.size());
  size_t most_kept = 0;
  bool any_sampling = false;
  for (const PreparedInput& input : inputs) {
    const GenerationConfig& config = *input.config;
    BeamInput s{std::vector<float>(beams, -1e9f),
                BeamHypotheses(beam_count, config.length_penalty, config.early_stopping, input.limits.max_length,
                               static_cast<int32_t>(input.prompt.size()))};
    // Only the first beam is live at the start: the others are copies of it.
    s.beam_scores[0] = 0.0f;
    const size_t per_beam = std::max<size_t>(2, 1 + config.eos_token_id.size());
    s.candidates_to_keep = std::min(per_beam * beams, beams * vocab);
    if (config.eos_token_id.size() >= vocab)
      throw UsageError("beam search needs a vocabulary with more tokens than eos_token_id lists");
    most_kept = std::max(most_kept, s.candidates_to_keep);
    any_sampling = any_sampling || config.do_sample;
    state.push_back(std::move(s));
  }
  BeamWork work;
  work.pool.resize(beams * most_kept);
  work.candidates.resize(most_kept);
  work.drawn.resize(most_kept);
  if (any_sampling) {
    work.weights.resize(beams * vocab);
    work.positive.resize(beams * vocab);
  }
  work.new_tokens.resize(beams);
  work.new_parents.resize(beams);
  work.new_scores.resize(beams);

  model.start(sequences.prompts(beam_count), beam_count, logits);
  while (true) {
    for (size_t r = 0; r < rows; ++r) parents[r] = static_cast<int32_t>(r);
    for (size_t i = 0; i < inputs.size(); ++i) {
      PreparedInput& input = inputs[i];
      BeamInput& s = state[i];
      const size_t first_row = i * beams;
      if (s.finished) {
        std::fill_n(next.begin() + static_cast<std::ptrdiff_t>(first_row), beams, input.filler);
        continue;
      }
      const std::span<float> scores(logits.data() + first_row * vocab, beams * vocab);
      for (size_t b = 0; b < beams; ++b) {
        const auto row = scores.subspan(b * vocab, vocab);
        log_softmax(row);
        input.chain.apply(row, sequences.row(first_row + b), scratch);
      }
      size_t candidate_count = 0;
      if (input.config->do_sample) {
        for (size_t b = 0; b < beams; ++b)
          for (float& v : scores.subspan(b * vocab, vocab)) v = v + s.beam_scores[b];
        candidate_count = select_sampled(scores, s, input.rng, work);
      } else {
        candidate_count = select_top(scores, s, beams, vocab, work);
      }

      // BeamSearchScorer.process for this input.
      const auto current_length = static_cast<int32_t>(sequences.length(first_row)) + 1;
      const auto generated = current_length - static_cast<int32_t>(input.prompt.size());
      size_t chosen = 0;
      for (size_t rank = 0; rank < candidate_count && chosen < beams; ++rank) {
        const Candidate& c = work.candidates[rank];
        const auto token = static_cast<int32_t>(c.flat % static_cast<int64_t>(vocab));
        const auto beam = static_cast<size_t>(c.flat / static_cast<int64_t>(vocab));
        if (is_eos(token, input.config->eos_token_id)) {
          if (rank >= beams) continue;
          s.hypotheses.add(sequences.row(first_row + beam), c.score, generated, true);
        } else {
          work.new_tokens[chosen] = token;
          work.new_parents[chosen] = static_cast<int32_t>(first_row + beam);
          work.new_scores[chosen] = c.score;
          ++chosen;
        }
      }
      if (chosen < beams) throw UsageError("beam search found fewer non-EOS candidates than beams");
      s.done = s.hypotheses.is_done(work.candidates[0].score, current_length);
      for (size_t b = 0; b < beams; ++b) {
        parents[first_row + b] = work.new_parents[b];
        next[first_row + b] = work.new_tokens[b];
        s.beam_scores[b] = work.new_scores[b];
      }
    }

    bool identity = true;
    for (size_t r = 0; r < rows && identity; ++r) identity = parents[r] == static_cast<int32_t>(r);
    if (!identity) {
      model.reorder(parents);
      sequences.reorder(parents);
    }

    bool any_running = false;
    for (size_t i = 0; i < inputs.size(); ++i) {
      BeamInput& s = state[i];
      if (s.finished) continue;
      const size_t first_row = i * beams;
      for (size_t b = 0; b < beams; ++b) sequences.append(first_row + b, next[first_row + b]);
      const auto length = static_cast<int32_t>(sequences.length(first_row));
      if (s.done) {
        s.finished = true;
      } else if (length >= inputs[i].limits.max_length) {
        // BeamSearchScorer.finalize: the running beams compete with the finished ones.
        const auto generated = length - static_cast<int32_t>(inputs[i].prompt.size());
        for (size_t b = 0; b < beams; ++b)
          s.hypotheses.add(sequences.row(first_row + b), s.beam_scores[b], generated, false);
        s.finished = true;
      }
      any_running = any_running || !s.finished;
    }
    if (!any_running) break;
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (state[i].finished)
        std::fill_n(next.begin() + static_cast<std::ptrdiff_t>(i * beams), beams, inputs[i].filler);
    }
    model.step(next, logits);
  }

  std::vector<DecodedInput> results(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const PreparedInput& input = inputs[i];
    const auto& eos = input.config->eos_token_id;
    for (const auto* hypothesis : state[i].hypotheses.best(static_cast<size_t>(input.config->num_return_sequences))) {
      DecodedSequence sequence;
      sequence.tokens = hypothesis->tokens;
      // transformers appends the first EOS id to a hypothesis that ended with any EOS.
      if (hypothesis->ended_by_eos && !eos.empty()) sequence.tokens.push_back(eos.front());
      sequence.prompt_length = static_cast<int32_t>(input.prompt.size());
      sequence.generated = static_cast<int32_t>(sequence.tokens.size()) - sequence.prompt_length;
      sequence.score = static_cast<double>(static_cast<float>(hypothesis->score));
      sequence.finish = hypothesis->ended_by_eos ? FinishReason::eos : FinishReason::max_length;
      results[i].sequences.push_back(std::move(sequence));
    }
  }
  return results;
}

}  // namespace xfmr::gen::detail
