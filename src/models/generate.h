#pragma once
// Greedy generation as transformers 5.17's GenerationMixin.generate runs it for
// a decoder-only model (generation/utils.py `_sample`), reproduced operator for
// operator around the model's forward: the inputs of each step sliced from the
// running ids and position ids (prepare_inputs_for_generation), the position
// ids and attention mask extended (_update_model_kwargs_for_generation), the
// last position's logits in float32, argmax, the EOS masking with the pad id,
// the new token appended, the stopping criteria (max length, EOS) and the stop
// check. ngbench's context is never padded: the attention mask is all ones, as
// a tokenizer gives it for unpadded text.
//
// One sequence: start() is generate's setup, its prefill forward and the rest
// of the loop's first iteration (the first token); step() is one further
// iteration: one token per row, over the KV cache. Generation does not stop
// early: a row that produced EOS is padded, as HF does, and the stop check runs
// but every sequence takes the same number of steps (docs/decode.md).
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>

namespace ngbench::models::hf {

// What the model's generation config gives greedy search.
struct GenerateOptions {
  int64_t eos_token_id = -1;  // < 0: none (no EOS masking, no EOS criterion)
  int64_t max_new_tokens = 1;  // tokens this sequence generates: the prefill's one and one per step()
};

class GreedyGenerator {
 public:
  // The model's forward over the cache it holds: (input_ids, position_ids, attention_mask) -> logits
  // (batch, kept positions, vocab). The model keeps the last position only (generate's logits_to_keep=1).
  using Forward = std::function<at::Tensor(const at::Tensor& input_ids, const at::Tensor& position_ids,
                                           const at::Tensor& attention_mask)>;

  explicit GreedyGenerator(GenerateOptions options) : options_(options) {}

  // generate(context_ids, attention_mask=ones): setup, the prefill forward over the context (the caller's
  // cache empty) and the first token.
  void start(const at::Tensor& context_ids, const Forward& forward);
  // One step: one token per row, the model's forward over its cache.
  void step(const Forward& forward);

  // The ids so far: the context and every generated token, (batch, context + generated).
  const at::Tensor& input_ids() const { return input_ids_; }

 private:
  // The loop body after the forward: kwargs update, next token, stopping criteria, stop check.
  void next_token(const at::Tensor& logits);

  GenerateOptions options_;
  at::Tensor input_ids_, attention_mask_, position_ids_, unfinished_, pad_token_, eos_tokens_;
  int64_t max_length_ = 0;
};

}  // namespace ngbench::models::hf
