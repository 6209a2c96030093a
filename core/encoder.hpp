#pragma once
// The encoder family: BERT, DistilBERT, RoBERTa, ALBERT (post-LN transformer
// encoders) and their task heads.
//
//   xfmr::set_num_threads(2);                          // core/threads.hpp
//   auto model = xfmr::EncoderModel::load("models/distilbert-sst2");
//   xfmr::EncoderBatch batch;
//   batch.add(ids_of_text_1);                          // unpadded token ids
//   batch.add(ids_of_text_2, type_ids_of_text_2);      // optional type ids
//   xfmr::Tensor logits = model.sequence_classification_logits(batch);  // [2, labels]
//   xfmr::Tensor hidden = model.forward(batch);        // [tokens, hidden], if wanted
//
// Each head has a fast form taking the batch (the last layer then runs only
// for the rows the head reads: first tokens, masks) and a form taking hidden
// states from forward(). Head outputs are raw logits; softmax, labels and
// spans are the heads/ stage's job.
//
// Batches are PACKED, not padded: the sequences' tokens are concatenated
// (EncoderBatch::offsets delimits them) and every projection runs as one sgemm
// over all tokens of all sequences, while attention runs per sequence over its
// own length. Nothing is computed for padding, and a batch gives the same
// numbers as its sequences one at a time. Input that is already padded goes
// through add_padded(), which drops the padding (right padding only).
// Token rows of the outputs are in the packed order: row offsets[b] + i is
// token i of sequence b.
//
// Errors: model problems throw ModelError at load; bad input (ids out of the
// vocabulary, type ids out of range, empty or too long sequences, masked-LM
// rows out of range) throws InputError naming the sequence and token.
// A model is not safe for concurrent forward() calls (it reuses scratch
// buffers; BLAS threads already use the cores).
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "core/config.hpp"
#include "core/encoder_weights.hpp"
#include "core/tensor.hpp"
#include "core/weights.hpp"

namespace xfmr {

struct EncoderBatch {
  std::vector<int32_t> ids;          // all tokens, sequence after sequence
  std::vector<int32_t> type_ids;     // same length; 0 where not given
  std::vector<int64_t> offsets{0};   // sequence b is [offsets[b], offsets[b+1])

  // Appends one sequence; type_ids empty means all 0, else same length as ids.
  void add(std::span<const int32_t> sequence_ids, std::span<const int32_t> sequence_type_ids = {});
  // Appends one row of a right-padded batch: the tokens where mask is 1, which
  // must come first (InputError for left padding or holes).
  void add_padded(std::span<const int32_t> row_ids, std::span<const int32_t> mask,
                  std::span<const int32_t> row_type_ids = {});

  int64_t size() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t tokens() const { return offsets.back(); }
  int64_t begin(int64_t b) const { return offsets[static_cast<size_t>(b)]; }
  int64_t length(int64_t b) const { return offsets[static_cast<size_t>(b) + 1] - offsets[static_cast<size_t>(b)]; }
};

class EncoderModel {
 public:
  // Reads dir/config.json and the weights (model.safetensors or shards).
  static EncoderModel load(const std::filesystem::path& dir);
  EncoderModel(ModelConfig config, const Weights& weights);

  const ModelConfig& config() const { return config_; }
  EncoderHead head() const { return weights_.head; }
  int64_t hidden_size() const { return config_.hidden_size; }
  // The longest sequence the position embeddings allow (512 for BERT).
  int64_t max_sequence_length() const;

  // Last hidden states [batch.tokens(), hidden_size].
  Tensor forward(const EncoderBatch& batch);
  // Last hidden states of the given packed token rows only, [rows.size(),
  // hidden_size], in that order. The last layer then computes queries,
  // attention and FFN for these rows alone (keys and values still for all
  // tokens): a sixth less work for a 6-layer model when a head needs one row
  // per sequence (classification, multiple choice) or a few (the masks).
  Tensor forward_rows(const EncoderBatch& batch, std::span<const int64_t> rows);

  // Heads (each throws ModelError if the model's architecture lacks it).
  // Each comes in two forms: from the batch (runs the forward pass, computing
  // only the rows the head reads: the fast path) or from hidden states
  // already computed by forward() (when the caller wants those too).

  // [batch.size(), num_labels]: from the first token of each sequence.
  Tensor sequence_classification_logits(const EncoderBatch& batch);
  Tensor sequence_classification_logits(const Tensor& hidden, const EncoderBatch& batch);
  // [tokens, num_labels].
  Tensor token_classification_logits(const Tensor& hidden);
  // [tokens, 2]: start logit, end logit of every token.
  Tensor question_answering_logits(const Tensor& hidden);
  // [rows.size(), vocab_size]: only at the given packed token rows (the masks).
  Tensor masked_lm_logits(const EncoderBatch& batch, std::span<const int64_t> rows);
  Tensor masked_lm_logits(const Tensor& hidden, std::span<const int64_t> rows);
  // [batch.size()]: one logit per (prompt, choice) sequence; the caller groups
  // the rows of one prompt and takes the softmax over them.
  Tensor multiple_choice_logits(const EncoderBatch& batch);
  Tensor multiple_choice_logits(const Tensor& hidden, const EncoderBatch& batch);

 private:
  static int64_t padded_rows(int64_t tokens);
  void check_batch(const EncoderBatch& batch) const;
  void embed(const EncoderBatch& batch, Tensor& hidden);
  void run_layer(const EncoderLayerWeights& layer, const EncoderBatch& batch, Tensor& hidden);
  Tensor run_layer_on_rows(const EncoderLayerWeights& layer, const EncoderBatch& batch, const Tensor& hidden,
                           std::span<const int64_t> rows);
  void attention_output_and_ffn(const EncoderLayerWeights& layer, float* x, int64_t rows, int64_t count,
                                const float* context);
  void require_head(EncoderHead wanted) const;
  Tensor sequence_stages(Tensor first_tokens);
  Tensor masked_lm_from_rows(const Tensor& picked);

  ModelConfig config_;
  const EncoderNames* names_ = nullptr;
  EncoderWeights weights_;
  Scratch embedding_scratch_, qkv_scratch_, query_scratch_, context_scratch_, delta_scratch_, ffn_scratch_,
      scores_scratch_;
};

// The first token row of every sequence (offsets[0 .. size-1]).
std::vector<int64_t> first_token_rows(const EncoderBatch& batch);

}  // namespace xfmr
